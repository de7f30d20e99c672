"""Every endpoint declares who may use it, and the declaration is what happens."""

from __future__ import annotations

import pytest

from app import create_app
from app.access import declaration
from app.domain.people import ROLES
from config import TestConfig
from tests.conftest import login


def _endpoints(app):
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()})


def test_every_endpoint_declares_who_may_use_it(app):
    undeclared = [e for e in _endpoints(app) if declaration(app.view_functions[e]) is None]
    assert undeclared == []


def test_an_undeclared_endpoint_is_refused_even_before_sign_in():
    """Fail closed: without a declaration the answer is 403, not a login redirect."""
    probe_app = create_app(TestConfig)
    probe_app.add_url_rule("/__undeclared_probe", "undeclared_probe", lambda: "secret")
    response = probe_app.test_client().get("/__undeclared_probe")
    assert response.status_code == 403
    assert b"secret" not in response.data


def _rule_cases(app, user_id: int):
    """One (endpoint, url, method, declaration) per route, with real values for URL arguments."""
    samples = {
        "user_id": user_id,
        "filename": "css/cartera.css",
        "key": "no-such-exercise",
        "attempt_id": 999999,
        "number": 1,
        "family": "duty",
        "item_key": "no-such-item",
        "assignment_id": 999999,
        "code": "ethics",
        "name": "scores",
        "file_format": "csv",
        "notice_id": 999999,
        "task_id": 999999,
        "grading_id": 999999,
        "exercise_id": 999999,
        "n": 1,
        "action": "up",
        "collection": "items",
        "job_id": 999999,
        "message_id": 999999,
        "purpose": "reset",
        "token": "not-a-token",
    }
    cases = []
    for rule in app.url_map.iter_rules():
        url = rule.build({arg: samples[arg] for arg in rule.arguments}, append_unknown=False)[1]
        method = "GET" if "GET" in rule.methods else "POST"
        cases.append((rule.endpoint, url, method, declaration(app.view_functions[rule.endpoint])))
    return sorted(cases)


@pytest.fixture
def target_user(make_user):
    """A real user for routes that take a user id, so allowed roles get past the lookup."""
    return make_user("manager")


def test_anonymous_visitors_reach_only_public_endpoints(app, client, target_user):
    for endpoint, url, method, access in _rule_cases(app, target_user.id):
        response = client.open(
            url, method=method, buffered=True
        )  # a streamed body is read and closed, as a server does
        if access.public:
            assert response.status_code != 403, endpoint
            continue
        if url.startswith("/api/"):
            assert response.status_code == 401, endpoint
            assert response.is_json, endpoint
        else:
            assert response.status_code == 302, endpoint
            assert "/auth/login" in response.headers["Location"], endpoint


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_allowed_or_forbidden_as_declared(app, client, make_user, target_user, role, bank):
    scope = (bank["bank"],) if role in ("hr", "trainer") else ()
    target_user.org_unit = bank["bilbao"]
    checked = 0
    for endpoint, url, method, access in _rule_cases(app, target_user.id):
        if access.public or endpoint == "auth.logout":
            continue
        user = make_user(role, scope=scope, unit=bank["bilbao"])
        login(client, user)
        response = client.open(
            url, method=method, buffered=True
        )  # a streamed body is read and closed, as a server does
        if access.allows(frozenset({role})):
            assert response.status_code != 403, (role, endpoint)
            assert "/auth/login" not in response.headers.get("Location", ""), (role, endpoint)
            assert response.status_code < 500, (role, endpoint)
        else:
            assert response.status_code == 403, (role, endpoint)
        checked += 1
    assert checked > 10
