"""Signing in, lockout and password changes."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash

from app.extensions import db
from app.models import User
from app.models.users import utcnow
from app.services import audit
from app.services.errors import Invalid
from app.services.users import check_password, find_by_email, hash_password

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
    """The user if the credentials are right and the account usable; None for every failure alike."""
    now = now or utcnow()
    user = find_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if user.locked_until is not None and user.locked_until > now:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password):
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
