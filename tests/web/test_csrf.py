"""With CSRF protection on (as in every real deployment), a form without its token is refused."""

import re

import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def token_from(html: bytes) -> str:
    return re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1).decode()


def test_sign_in_without_a_token_is_refused(client, make_user, csrf_on):
    user = make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/learn/").status_code == 302  # still signed out


def test_sign_in_with_the_page_token_works(client, make_user, csrf_on):
    user = make_user()
    token = token_from(client.get("/auth/login").data)
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        "/admin/users/new",
        "/admin/org-units",
        "/admin/import",
        "/admin/import/1/confirm",
        "/language",
        "/auth/logout",
        "/auth/reset",
    ],
)
def test_every_kind_of_form_needs_a_token(client, login_as, csrf_on, url):
    login_as("admin")
    response = client.post(url, data={"name": "x", "email": "x@example.com", "locale": "en", "text": "email"})
    assert response.status_code == 400


def test_a_forged_admin_action_changes_nothing(client, login_as, make_user, csrf_on):
    login_as("admin")
    target = make_user()
    response = client.post(f"/admin/users/{target.id}/deactivate")
    assert response.status_code == 400
    assert target.active


def test_api_errors_are_json_even_for_csrf(client, login_as, csrf_on):
    login_as("admin")
    response = client.post("/admin/users/new", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.json["error"] == "bad_request"
