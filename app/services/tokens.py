"""Signed links that set a password: an invitation (days) or a reset (hours).

A token names the user and a fingerprint of their password hash and session token. Setting a
password changes both, so a link works once; it also stops working when an administrator
deactivates the account or signs it out everywhere.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.extensions import db
from app.models import User

PURPOSES = ("invitation", "reset")


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}")
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"cartera.password.{purpose}")


def _fingerprint(user: User) -> str:
    state = f"{user.password_hash or ''}|{user.session_token}"
    return hashlib.sha256(state.encode()).hexdigest()[:24]


def lifetime(purpose: str) -> timedelta:
    if purpose == "invitation":
        return timedelta(days=current_app.config["INVITATION_DAYS"])
    return timedelta(hours=current_app.config["PASSWORD_RESET_HOURS"])


def make(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(user)})


def read(token: str, purpose: str) -> tuple[User | None, str]:
    """(the user, "") for a good token; (None, why) with why one of expired, invalid, used."""
    try:
        data = _serializer(purpose).loads(token, max_age=int(lifetime(purpose).total_seconds()))
    except SignatureExpired:
        return None, "expired"
    except BadSignature:
        return None, "invalid"
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) and isinstance(data.get("u"), int) else None
    if user is None or not user.active:
        return None, "invalid"
    if data.get("f") != _fingerprint(user):
        return None, "used"
    return user, ""
