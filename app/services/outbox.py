"""E-mail: composed in its reader's language when the event happens, delivered by a job.

`compose` writes the message (plain text and HTML) to the outbox table in the caller's
transaction, so a notice exists exactly when what it tells of was committed, and asks for
delivery once that commit is done. The worker (app/worker.py `deliver_mail`, a queued task and
the minutely sweep) sends what is pending: through SMTP (Flask-Mailman) when MAIL_BACKEND is "smtp", or, in the
embedded default ("outbox"), keeps it in the app, where administrators read it
(/admin/outbox). A slow mail server never slows a page.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_mailman import EmailMultiAlternatives
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db, mail
from app.models import OutboxMessage, User
from app.models.users import utcnow
from app.services.errors import NotFound

SUBJECTS = {
    "invitation": _l("Your Cartera account is ready: choose your password"),
    "password_reset": _l("Choose a new Cartera password"),
    "assignment": _l("New exercise: %(exercise)s"),
    "reminder": _l("Due in two days: %(exercise)s"),
    "overdue_digest": _l("Overdue exercises in your assignments"),
    "graded": _l("Your written answers have been graded: %(exercise)s"),
}
DELIVERED_AT_ONCE = 200  # messages per delivery run; the next run takes the rest
MAX_TRIES = 6


def locale_of(user: User) -> str:
    return user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]


def link(endpoint: str, **values) -> str:
    """An absolute address for a message read outside any request (PUBLIC_URL's host and path)."""
    from urllib.parse import urlsplit

    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def compose(kind: str, user: User, ref: str, **context) -> OutboxMessage | None:
    """Write `kind`'s message to `user`, once per (kind, user, ref): None if it exists already.
    The templates are mail/<kind>.txt and .html, rendered in the reader's language."""
    exists = db.session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.kind == kind, OutboxMessage.user_id == user.id, OutboxMessage.ref == ref
        )
    )
    if exists is not None:
        return None
    locale = locale_of(user)
    # A value given in both languages ({"es": ..., "en": ...}) is taken in the reader's.
    context = {
        "user": user,
        **{k: v.get(locale, v.get("es")) if isinstance(v, dict) and "es" in v else v for k, v in context.items()},
    }
    with force_locale(locale):
        env = current_app.jinja_env
        subject = str(SUBJECTS[kind]) % {k: v for k, v in context.items() if isinstance(v, str)}
        text = env.get_template(f"mail/{kind}.txt").render(**context)
        html = env.get_template(f"mail/{kind}.html").render(subject=subject, **context)
    message = OutboxMessage(
        kind=kind, ref=ref, user=user, to=user.email, locale=locale, subject=subject, text=text, html=html
    )
    try:
        with db.session.begin_nested():  # a concurrent worker composed the same notice: keep theirs
            db.session.add(message)
    except IntegrityError:
        return None
    db.session().info["mail_to_deliver"] = True
    return message


def keep_in_app(now: datetime | None = None) -> int:
    """The embedded default: pending messages stay here, marked kept (`/admin/outbox`). Returns how many."""
    ids = db.session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None)).limit(DELIVERED_AT_ONCE)
    ).all()
    if ids:
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(sent_at=now or utcnow(), sent_by="outbox")
        )
    return len(ids)


def pending() -> list[OutboxMessage]:
    """The oldest messages still to send, that have not used up their tries."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.tries < MAX_TRIES)
            .order_by(OutboxMessage.id)
            .limit(DELIVERED_AT_ONCE)
        )
    )


def connection():
    """A connection to the configured mail server (Flask-Mailman's backend), to send several messages."""
    return mail.get_connection()


def send(message: OutboxMessage, through) -> bool:
    """Send one message through an open connection and record how it went (the caller commits)."""
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
        to=[message.to],
        connection=through,
        headers={"Content-Language": message.locale},
    )
    email.attach_alternative(message.html, "text/html")
    message.tries += 1
    try:
        email.send()
    except Exception as error:  # noqa: BLE001  (recorded on the message, retried by the task)
        message.last_error = f"{type(error).__name__}: {error}"
        return False
    message.sent_at = utcnow()
    message.sent_by = "smtp"
    message.last_error = None
    return True


def page(limit: int = 100) -> tuple[list[OutboxMessage], int]:
    total = db.session.scalar(select(func.count(OutboxMessage.id)))
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)).all()
    return list(rows), total


def get(message_id: int) -> OutboxMessage:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound("message")
    return message
