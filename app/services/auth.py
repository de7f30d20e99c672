"""Signing in, lockout and password changes."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import check_password_hash

from app.domain.people import normalise_email
from app.extensions import db
from app.models import User
from app.models.users import utcnow
from app.services import audit
from app.services.errors import Invalid
from app.services.users import check_password, hash_password
from app.transactions import holds_writes

_DUMMY_HASHES: dict[str | None, str] = {}


def _dummy_hash() -> str:
    """Checked against when the email is unknown, so a miss costs as long as a wrong password.

    Made on first use, with the app's hash method, so it costs what the real hashes cost.
    """
    method = current_app.config.get("PASSWORD_HASH_METHOD")
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = hash_password("not-a-real-password-for-timing")
    return _DUMMY_HASHES[method]


def authenticate(email: str, password: str, now: datetime | None = None) -> User | None:
    """The user if the credentials are right and the account usable; None for every failure alike.

    The password is checked between two transactions: on the embedded SQLite every transaction
    takes the write lock (app/sqlite.py), and holding it through a slow hash would queue every
    other sign-in behind this one. So the read is ended before the hash (a sign-in is the first
    thing its request does: nothing is written before it), and the account is read afresh to
    record the outcome.
    """
    if holds_writes(db.session()):
        raise RuntimeError("authenticate() ends the transaction it starts in: call it before any write")
    now = now or utcnow()
    found = db.session.execute(
        select(User.id, User.password_hash, User.locked_until).where(User.email == normalise_email(email))
    ).first()
    db.session.rollback()  # nothing written yet: end the read before the hash
    # An invited user who has not chosen a password yet has none to match (the same answer as a wrong one).
    usable = (
        found is not None
        and found.password_hash is not None
        and (found.locked_until is None or found.locked_until <= now)
    )
    matches = check_password_hash(found.password_hash if usable else _dummy_hash(), password)
    if not usable:
        return None
    user = db.session.get(User, found.id)
    if not matches:
        _count_failure(user, now)
        db.session.flush()
        return None
    if not user.active:
        return None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    db.session.flush()
    return user


def _count_failure(user: User, now: datetime) -> None:
    user.failed_logins += 1
    if user.failed_logins >= current_app.config["LOCKOUT_FAILURES"]:
        user.locked_until = now + timedelta(minutes=current_app.config["LOCKOUT_MINUTES"])
        user.failed_logins = 0
        audit.record(None, "user.locked", f"user:{user.id}", email=user.email)


def change_password(user: User, current: str, new: str) -> None:

    if not check_password_hash(user.password_hash, current):
        raise Invalid({"current_password": [_l("The current password is not correct.")]})
    check_password(new, user.email, field="new_password")
    if check_password_hash(user.password_hash, new):
        raise Invalid({"new_password": [_l("Choose a password different from the current one.")]})
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.sign_out_everywhere()  # other sessions and remember-me cookies end here
    audit.record(user, "user.password_changed", f"user:{user.id}")
    db.session.flush()


def sign_out(user: User) -> None:
    """Signing out ends every session of the user, so a copied remember-me cookie is worthless."""
    user.sign_out_everywhere()
    db.session.flush()
