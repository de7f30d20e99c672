"""Invitations and password resets: a signed link that works once, for a while, and a reset page
that tells nobody whether an address has an account."""

import re

import itsdangerous.timed
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, OutboxMessage, User
from app.services import invitations
from tests.conftest import PASSWORD
from tests.html import text_of

NEW_PASSWORD = "a brand new passphrase"


def link_in(message: OutboxMessage) -> str:
    return re.search(r"https://cartera\.test(/auth/password/\w+/\S+)", message.text).group(1)


def last_message(user: User) -> OutboxMessage:
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.user_id == user.id).order_by(OutboxMessage.id.desc())
    ).first()


def test_an_invited_user_chooses_a_password_once_and_is_signed_in(client, make_user):
    user = make_user("manager", name="Ana Pérez", password_hash=None)
    invitations.invite(user)
    db.session.commit()
    url = link_in(last_message(user))
    page = client.get(url)
    assert page.status_code == 200 and "Welcome, Ana Pérez" in page.data.decode()
    short = client.post(url, data={"new_password": "short", "confirm": "short"})
    assert b"At least 12 characters" in short.data and db.session.get(User, user.id).password_hash is None
    done = client.post(url, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert client.get("/learn/").status_code == 200  # signed in
    used = client.get(url)
    assert used.status_code == 400 and "used already" in text_of(used.data, "[role=alert]")
    client.post("/auth/logout")
    signed_in = client.post("/auth/login", data={"email": user.email, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302


def test_an_invited_user_cannot_sign_in_before_choosing(client, make_user):
    user = make_user("manager", password_hash=None)
    response = client.post("/auth/login", data={"email": user.email, "password": ""})
    assert response.status_code in (200, 401)
    for guess in ("None", "", "x" * 12):
        assert client.post("/auth/login", data={"email": user.email, "password": guess}).status_code != 302


def test_an_expired_or_altered_link_is_explained(client, make_user, monkeypatch, app):
    user = make_user("manager", password_hash=None)
    days = app.config["INVITATION_DAYS"]
    real_time = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real_time() - (days + 1) * 86400)
    invitations.invite(user)
    monkeypatch.setattr(itsdangerous.timed.time, "time", real_time)
    db.session.commit()
    url = link_in(last_message(user))
    expired = client.get(url)
    assert expired.status_code == 400 and "expired" in text_of(expired.data, "[role=alert]")
    assert "send the invitation again" in expired.data.decode()
    altered = client.get(url[:-3] + "abc")
    assert altered.status_code == 400 and "not valid" in text_of(altered.data, "[role=alert]")
    # An invitation link does not work as a reset link (another purpose, another signature).
    assert client.get(url.replace("/invitation/", "/reset/")).status_code == 400


def test_the_reset_page_answers_the_same_for_any_address(client, make_user):
    user = make_user("manager", email="ana@banco.es")
    user.locale = "es"
    db.session.commit()
    known = client.post("/auth/reset", data={"email": "ANA@banco.es"})
    unknown = client.post("/auth/reset", data={"email": "nobody@banco.es"})
    assert known.status_code == unknown.status_code == 200
    assert text_of(known.data, "[role=status]").replace("ANA@banco.es", "X") == text_of(
        unknown.data, "[role=status]"
    ).replace("nobody@banco.es", "X")
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1
    message = last_message(user)
    assert message.kind == "password_reset" and message.subject == "Elige una nueva contraseña de Cartera"


def test_a_reset_link_sets_a_new_password_and_ends_other_sessions(client, app, make_user):
    user = make_user("manager", email="ana@banco.es")
    other_device = app.test_client()
    other_device.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert other_device.get("/learn/").status_code == 200
    client.post("/auth/reset", data={"email": user.email})
    url = link_in(last_message(user))
    client.post(url, data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert other_device.get("/learn/").status_code == 302  # signed out there
    assert client.post("/auth/logout").status_code == 302
    assert client.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code == 401
    assert client.post("/auth/login", data={"email": user.email, "password": NEW_PASSWORD}).status_code == 302
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.target == f"user:{user.id}")).all()
    assert "user.password_reset_requested" in actions and "user.password_set_by_reset" in actions


def test_a_deactivated_users_link_no_longer_works(client, make_user):
    user = make_user("manager", password_hash=None)
    invitations.invite(user)
    user.active = False
    db.session.commit()
    assert client.get(link_in(last_message(user))).status_code == 400
    client.post("/auth/reset", data={"email": user.email})
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "password_reset")) == 0


def test_reset_requests_are_throttled_per_address(client, make_user):
    user = make_user("manager")
    answers = [client.post("/auth/reset", data={"email": user.email}).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_a_reset_request_for_something_that_is_not_an_address_says_so(client):
    response = client.post("/auth/reset", data={"email": "not-an-address"})
    assert "Invalid email address." in text_of(response.data, "#email-error")
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
