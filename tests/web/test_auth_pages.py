"""Signing in and out through the real forms."""

import pytest

from app.extensions import db
from app.models import User
from tests.conftest import PASSWORD, login, without_csrf_tokens


def page_without(response, email: str) -> bytes:
    """The page with the typed email and the (time-stamped) CSRF tokens taken out."""
    return without_csrf_tokens(response.data).replace(email.encode(), b"")


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post("/auth/login", data={"email": email, "password": password, **extra})


def test_each_role_lands_in_its_own_area(client, make_user):
    areas = {"manager": "/learn/", "trainer": "/train/", "hr": "/hr/", "admin": "/admin/users"}
    for role, area in areas.items():
        user = make_user(role)
        response = sign_in(client, user.email)
        assert response.status_code == 302
        assert client.get(response.headers["Location"]).headers["Location"].endswith(area)
        client.post("/auth/logout")


def test_a_wrong_password_shows_the_same_error_as_an_unknown_email(client, make_user):
    user = make_user()
    wrong = sign_in(client, user.email, "not-the-password")
    unknown = sign_in(client, "nobody@example.com", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert b'id="login-error"' in wrong.data
    assert page_without(wrong, user.email) == page_without(unknown, "nobody@example.com")


def test_a_locked_account_gives_no_hint_that_it_exists(client, make_user):
    user = make_user()
    for _ in range(10):
        sign_in(client, user.email, "not-the-password")
    locked = sign_in(client, user.email)  # right password, but locked
    unknown = sign_in(client, "nobody@example.com")
    assert locked.status_code == unknown.status_code == 401
    assert page_without(locked, user.email) == page_without(unknown, "nobody@example.com")


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [("/people/?page=2", "/people/?page=2"), ("https://evil.example/", "/"), ("//evil.example", "/")],
)
def test_only_local_next_targets_are_followed(client, make_user, next_url, expected):
    user = make_user("hr")
    response = sign_in(client, user.email, next=next_url)
    assert response.headers["Location"] == expected


def test_visiting_a_protected_page_comes_back_after_sign_in(client, make_user):
    user = make_user("hr")
    redirect = client.get("/people/?q=ana")
    assert redirect.headers["Location"] == "/auth/login?next=/people/?q%3Dana"
    form = client.get(redirect.headers["Location"])
    assert b'value="/people/?q=ana"' in form.data
    assert sign_in(client, user.email, next="/people/?q=ana").headers["Location"] == "/people/?q=ana"


def test_remember_me_sets_a_lasting_cookie(client, make_user):
    user = make_user()
    sign_in(client, user.email, remember="y")
    assert client.get_cookie("remember_token") is not None
    other = client.application.test_client()
    sign_in(other, user.email)
    assert other.get_cookie("remember_token") is None


def test_logout_ends_the_session(client, make_user):
    user = make_user()
    login(client, user)
    assert client.get("/learn/").status_code == 200
    client.post("/auth/logout")
    assert client.get("/learn/").status_code == 302


def test_a_password_set_by_an_admin_must_be_changed_first(client, make_user):
    user = make_user(must_change_password=True)
    login(client, user)
    assert client.get("/learn/").headers["Location"] == "/auth/password"
    page = client.get("/auth/password")
    assert page.status_code == 200
    refused = client.post(
        "/auth/password", data={"current_password": PASSWORD, "new_password": "short", "confirm": "short"}
    )
    assert b"At least 12 characters" in refused.data
    done = client.post(
        "/auth/password",
        data={"current_password": PASSWORD, "new_password": "my-own-passphrase", "confirm": "my-own-passphrase"},
    )
    assert done.status_code == 302
    assert client.get("/learn/").status_code == 200
    assert db.session.get(User, user.id).must_change_password is False


def test_deactivated_users_cannot_sign_in_or_stay_signed_in(client, make_user):
    user = make_user(active=False)
    assert sign_in(client, user.email).status_code == 401
    active = make_user()
    login(client, active)
    active.active = False
    db.session.commit()
    assert client.get("/learn/").status_code == 302


def test_logins_are_throttled_per_account(client, make_user):
    user = make_user()
    statuses = [sign_in(client, user.email, f"wrong-{i}").status_code for i in range(13)]
    assert statuses[:12] == [401] * 12
    assert statuses[12] == 429


def test_logins_are_throttled_per_address(client, make_user):
    statuses = [sign_in(client, f"person{i}@example.com", "wrong-password").status_code for i in range(31)]
    assert statuses[:30] == [401] * 30
    assert statuses[30] == 429


def test_signing_out_ends_every_session_and_remember_me_cookie(client, make_user):
    user = make_user()
    sign_in(client, user.email, remember="y")
    cookie = client.get_cookie("remember_token").value
    other_device = client.application.test_client()
    login(other_device, user)
    assert other_device.get("/learn/").status_code == 200
    client.post("/auth/logout")
    assert other_device.get("/learn/").status_code == 302
    replay = client.application.test_client()
    replay.set_cookie("remember_token", cookie)
    assert replay.get("/learn/").status_code == 302


def test_a_password_change_signs_out_other_sessions_but_not_this_one(client, make_user):
    user = make_user()
    login(client, user)
    other_device = client.application.test_client()
    login(other_device, user)
    client.post(
        "/auth/password",
        data={"current_password": PASSWORD, "new_password": "a-brand-new-one", "confirm": "a-brand-new-one"},
    )
    assert client.get("/learn/").status_code == 200
    assert other_device.get("/learn/").status_code == 302


def test_the_api_answers_json_while_a_password_change_is_pending(client, make_user):
    login(client, make_user(must_change_password=True))
    response = client.get("/api/v1/me")
    assert response.status_code == 403 and response.json["error"] == "password_change_required"
