"""E-mail through a real SMTP server, in this process (aiosmtpd): what arrives, in which language,
in both parts; and what happens while the server is down."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import worker
from app.extensions import db
from app.models import OutboxMessage
from app.services import invitations, outbox


def test_invitations_arrive_in_each_readers_language_as_text_and_html(make_user, run_queued, smtp):
    inbox = smtp.inbox
    ana = make_user("manager", email="ana@banco.es", name="Ana", password_hash=None)
    ana.locale = "es"
    tom = make_user("manager", email="tom@banco.es", name="Tom", password_hash=None)
    tom.locale = "en"
    invitations.invite(ana)
    invitations.invite(tom)
    run_queued()
    arrived = {rcpt[0]: message for rcpt, message in inbox.received}
    assert set(arrived) == {"ana@banco.es", "tom@banco.es"}
    spanish, english = arrived["ana@banco.es"], arrived["tom@banco.es"]
    assert spanish["Subject"].strip() == "Tu cuenta de Cartera está lista: elige tu contraseña"
    assert english["Subject"] == "Your Cartera account is ready: choose your password"
    assert english["Content-Language"] == "en" and spanish["From"] == "Cartera <no-reply@cartera.local>"
    text = english.get_body(("plain",)).get_content()
    html = english.get_body(("html",)).get_content()
    link = next(word for word in text.split() if word.startswith("https://cartera.test/auth/password/invitation/"))
    assert "Hello Tom," in text and f'href="{link}"' in html
    assert "Hola Ana:" in spanish.get_body(("plain",)).get_content()
    sent = db.session.scalars(select(OutboxMessage)).all()
    assert [(m.sent_by, m.tries) for m in sent] == [("smtp", 1), ("smtp", 1)]


def test_while_the_server_is_down_messages_wait_and_leave_once_it_is_back(make_user, run_queued, smtp):
    inbox = smtp.inbox
    user = make_user("manager", email="ana@banco.es", name="Ana", password_hash=None)
    smtp.stop()
    invitations.invite(user)
    db.session.commit()
    with pytest.raises(ConnectionRefusedError):
        worker.deliver_mail()  # the queued task would be retried with backoff
    message = db.session.scalar(select(OutboxMessage))
    assert message.sent_at is None
    smtp.start()
    run_queued()
    db.session.refresh(message)
    assert message.sent_by == "smtp" and [rcpt for rcpt, _m in inbox.received] == [["ana@banco.es"]]


def test_a_message_the_server_refuses_is_tried_a_few_times_then_kept_with_the_reason(make_user, run_queued, smtp):
    inbox = smtp.inbox
    bounce = make_user("manager", email="bounce@banco.es", name="Bea", password_hash=None)
    good = make_user("manager", email="ana@banco.es", name="Ana", password_hash=None)
    invitations.invite(bounce)
    invitations.invite(good)
    run_queued()  # the delivery task is retried with backoff (the test runs the retries at once)
    refused = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to == "bounce@banco.es"))
    assert refused.sent_at is None and refused.tries == outbox.MAX_TRIES
    assert "No such mailbox" in refused.last_error
    assert [rcpt for rcpt, _m in inbox.received] == [["ana@banco.es"]]  # the other left at once, once
