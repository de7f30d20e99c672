"""Invitations and password resets: a signed, single-use, expiring link by e-mail to choose a
password (app/services/tokens.py), instead of a temporary password an administrator hands out."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import OutboxMessage, User
from app.models.users import utcnow
from app.services import audit, outbox, tokens
from app.services.errors import Invalid
from app.services.users import check_password, find_by_email, hash_password


def invite(user: User, ref: str = "first") -> OutboxMessage | None:
    """The invitation to `user`, once per `ref` (a new ref for each invitation sent again)."""
    return outbox.compose(
        "invitation",
        user,
        ref,
        link=outbox.link("auth.set_password", purpose="invitation", token=tokens.make(user, "invitation")),
        days=current_app.config["INVITATION_DAYS"],
    )


def invite_again(actor: User, user: User) -> OutboxMessage | None:
    if user.password_hash is not None:
        raise Invalid({"": [_l("%(name)s has already chosen a password.", name=user.name)]})
    audit.record(actor, "user.invited_again", f"user:{user.id}", email=user.email)
    return invite(user, ref=f"again:{utcnow().isoformat(timespec='seconds')}")


def request_reset(email: str) -> None:
    """A reset link to the address if it belongs to an active account; nothing tells the caller
    which (the page answers the same either way)."""
    user = find_by_email(email)
    if user is None or not user.active:
        return
    outbox.compose(
        "password_reset",
        user,
        utcnow().isoformat(timespec="microseconds"),
        link=outbox.link("auth.set_password", purpose="reset", token=tokens.make(user, "reset")),
        hours=current_app.config["PASSWORD_RESET_HOURS"],
    )
    audit.record(None, "user.password_reset_requested", f"user:{user.id}", email=user.email)


def set_password(user: User, purpose: str, new: str) -> None:
    """The holder of a good link chooses their password; the link and every session end."""
    check_password(new, user.email, field="new_password")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.failed_logins = 0
    user.locked_until = None
    user.sign_out_everywhere()
    audit.record(user, f"user.password_set_by_{purpose}", f"user:{user.id}")
    db.session.flush()
