"""Odd input answers 404 or a clear 400/422, never a 500 (issue 13.5), on SQLite and PostgreSQL."""

import re

import pytest
from werkzeug.routing import IntegerConverter

from app.security import MAX_DATABASE_INT
from tests.conftest import login
from tests.html import rows_of, select

HUGE = ("99999999999999999999", str(MAX_DATABASE_INT + 1))


def int_routes(app):
    for rule in app.url_map.iter_rules():
        names = [name for name, conv in rule._converters.items() if isinstance(conv, IntegerConverter)]
        if names:
            yield rule, names


def test_every_numeric_url_segment_too_large_for_the_database_is_not_found(app, client, make_user):
    login(client, make_user("manager", "trainer", "hr", "admin"))
    checked = 0
    for rule, names in int_routes(app):
        for huge in HUGE:
            path = rule.rule
            for name in rule.arguments:
                path = re.sub(rf"<(?:[^:>]+:)?{name}>", huge if name in names else "x", path)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(path, method=method)
                assert response.status_code == 404, (method, path, response.status_code)
                checked += 1
    assert checked >= 30


@pytest.mark.parametrize(
    ("roles", "url"),
    [
        (("hr",), "/hr/heatmap"),
        (("hr",), "/hr/training-needs"),
        (("hr",), "/people/"),
        (("admin",), "/admin/users"),
        (("admin",), "/admin/audit"),
    ],
)
@pytest.mark.parametrize(
    "query", ["_method=POST", "_external=1", "_scheme=javascript", "endpoint=x", "page=2&_anchor=x"]
)
def test_query_arguments_meant_for_url_for_are_not_carried_into_links(client, make_user, bank, roles, url, query):
    login(client, make_user(*roles, scope=(bank["bank"],)))
    response = client.get(f"{url}?{query}")
    assert response.status_code in (200, 302), (url, query, response.status_code)
    if response.status_code == 200:
        hrefs = [a.attrs.get("href", "") for a in select(response.data, "main a")]
        assert not [h for h in hrefs if h.startswith(("http", "javascript")) or "_external" in h or "_method" in h]


def start(client, key):
    response = client.post(f"/learn/exercises/{key}/start")
    return re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1)


def item_number(client, attempt, key):
    from app.extensions import db
    from app.models import Attempt

    plan = db.session.get(Attempt, int(attempt)).plan
    return next(n for n, e in enumerate(plan, start=1) if e["key"] == key)


@pytest.mark.parametrize(
    ("key", "fields", "problem"),
    [
        ("fx-rank", {"answer-fx-rank-a": "²", "answer-fx-rank-b": "1", "answer-fx-rank-c": "3"}, "Give every response"),
        ("fx-rating", {"answer-fx-rating-a": "٣", "answer-fx-rating-b": "²"}, None),
        ("fx-numeric", {"answer-fx-numeric": "9" * 400}, "Type a number"),
        ("fx-numeric", {"answer-fx-numeric": "1e400"}, "Type a number"),
    ],
)
def test_answers_no_number_can_hold_are_refused_with_a_reason(client, make_user, content_bank, key, fields, problem):
    login(client, make_user("manager"))
    attempt = start(client, "fixture-quiz")
    url = f"/learn/attempts/{attempt}/answers/{key}"
    response = client.post(url, data=fields, headers={"Accept": "application/json"})
    if problem:
        assert response.status_code == 422 and problem in response.json["message"]
    else:  # non-ASCII digits are no rating: nothing is saved, and nothing breaks
        assert response.status_code == 200
    number = item_number(client, attempt, key)
    page = client.post(f"/learn/attempts/{attempt}/items/{number}", data={**fields, "go": "next"})
    assert page.status_code in (302, 422)


def test_a_likert_answer_in_superscript_is_refused(client, make_user, content_bank):
    login(client, make_user("manager"))
    attempt = start(client, "fixture-self")
    response = client.post(
        f"/learn/attempts/{attempt}/answers/fx-likert-1",
        data={"answer-fx-likert-1": "³"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/auth/login", {"email": "ana\x00@banco.es", "password": "x" * 12}),
        ("/auth/login?next=/learn/\x00", {"email": "ana@banco.es", "password": "x" * 12}),
    ],
)
def test_a_nul_character_in_a_form_is_a_bad_request(client, url, data):
    response = client.post(url, data=data)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "url", ["/people/?q=a%00b", "/admin/users?q=%00", "/hr/heatmap?level=%00", "/admin/audit?action=%00"]
)
def test_a_nul_character_in_a_search_or_filter_is_a_bad_request(client, make_user, bank, url):
    login(client, make_user("hr", "admin", scope=(bank["bank"],)))
    assert client.get(url).status_code == 400


def test_a_csv_field_beyond_the_csv_modules_limit_is_a_line_error(client, make_user, bank):
    login(client, make_user("admin"))
    csv = "email,name,career_level,org_unit,roles\n" + "ana@banco.es," + "A" * 200_000 + ",junior,Banco Test,manager\n"
    response = client.post("/admin/import", data={"pasted": csv})
    assert response.status_code in (200, 422)
    assert rows_of(response.data, "#import-errors") == [
        ["2", "—", "This line cannot be read as CSV: a field is far too long, or a quote is not closed."]
    ]
