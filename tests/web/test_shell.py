"""What every response carries: security headers, error pages, accessibility landmarks, health."""

import re

import pytest
from sqlalchemy.exc import OperationalError

from app.extensions import db
from tests.conftest import login


def test_security_headers_on_every_response(client):
    for url in ["/auth/login", "/healthz", "/nope", "/static/css/cartera.css"]:
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style(client, make_user):
    login(client, make_user("admin"))
    for url in ["/admin/users", "/admin/import", "/admin/org-units", "/admin/audit"]:
        html = client.get(url).data.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert " style=" not in html and "<style" not in html, url


def test_errors_are_html_for_people_and_json_for_the_api(client, make_user):
    html = client.get("/nope")
    assert html.status_code == 404 and html.mimetype == "text/html"
    assert b"<h1" in html.data
    api = client.get("/api/v1/nope")
    assert api.status_code == 404 and api.json["error"] == "not_found"
    login(client, make_user("manager"))
    forbidden = client.get("/admin/users")
    assert forbidden.status_code == 403 and b"permission" in forbidden.data
    wants_json = client.get("/admin/users", headers={"Accept": "application/json"})
    assert wants_json.status_code == 403 and wants_json.json["error"] == "forbidden"


def test_the_api_says_who_is_signed_in(client, make_user, bank):
    user = make_user("manager", "trainer", unit=bank["bilbao"], career_level="mid")
    login(client, user)
    assert client.get("/api/v1/me").json == {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "roles": ["manager", "trainer"],
        "career_level": "mid",
        "org_unit": "Bilbao",
        "locale": None,
    }


@pytest.mark.parametrize(
    "url", ["/auth/login", "/learn/", "/admin/users", "/admin/users/new", "/admin/import", "/people/"]
)
def test_pages_have_one_h1_a_skip_link_and_labelled_controls(client, make_user, url):
    login(client, make_user("admin", "manager", "hr")) if url != "/auth/login" else None
    html = client.get(url).data.decode()
    assert html.count("<h1") == 1, url
    assert 'href="#content"' in html and 'id="content"' in html
    controls = re.findall(r"<(?:input|select|textarea)\b[^>]*>", html)
    needing_label = [c for c in controls if not re.search(r'type="(hidden|submit)"', c)]
    ids = [re.search(r'\bid="([^"]+)"', c) for c in needing_label]
    labelled = set(re.findall(r'<label[^>]*for="([^"]+)"', html))
    assert all(ids), (url, needing_label)
    assert {m.group(1) for m in ids} - labelled == set(), url


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_database_outage(client, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "degraded", "database": "unavailable"}


def test_the_home_page_sends_visitors_to_sign_in(client):
    assert client.get("/").headers["Location"] == "/auth/login"


def test_a_user_without_roles_is_told_so(client, make_user):
    user = make_user("manager")
    user.role_rows = []
    db.session.commit()
    login(client, user)
    assert b"no role" in client.get("/").data
