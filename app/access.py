"""Who may use each endpoint, declared as data on the view and enforced in one place.

Every view carries exactly one declaration: `@public`, `@signed_in` (any role) or
`@roles(...)`. `enforce` runs before every request and fails closed: an endpoint without a
declaration answers 403 to everybody, and tests/web/test_access.py fails for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import abort, current_app, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.domain.people import ROLES


@dataclass(frozen=True)
class Access:
    public: bool = False
    roles: frozenset[str] = frozenset()  # empty and not public: any signed-in user
    # Reachable while the user still has to replace an admin-set password.
    before_password_change: bool = False

    def allows(self, user_roles: frozenset[str]) -> bool:
        return self.public or not self.roles or not self.roles.isdisjoint(user_roles)


def _declare(access: Access) -> Callable:
    def decorator(view: Callable) -> Callable:
        view.access = access
        return view

    return decorator


def public(view: Callable | None = None, *, before_password_change: bool = True):
    decorator = _declare(Access(public=True, before_password_change=before_password_change))
    return decorator(view) if view is not None else decorator


def signed_in(view: Callable | None = None, *, before_password_change: bool = False):
    decorator = _declare(Access(before_password_change=before_password_change))
    return decorator(view) if view is not None else decorator


def roles(*names: str) -> Callable:
    unknown = set(names) - set(ROLES)
    if unknown or not names:
        raise ValueError(f"unknown roles {sorted(unknown)}")
    return _declare(Access(roles=frozenset(names)))


def declaration(view: Callable) -> Access | None:
    return getattr(view, "access", None)


def public_view(view: Callable) -> Callable:
    """Wrap a view we do not own (Flask's static files) so it can carry a declaration."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    return public(wrapper)


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def unauthorized():
    """Anonymous visitor on a protected endpoint: 401 for the API, the login page otherwise."""
    if wants_json():
        response = jsonify(error="unauthorized", message=str(_l("Sign in to use this endpoint.")))
        response.status_code = 401
        return response
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def enforce():
    if request.endpoint is None:  # no route matched: the 404 handler answers
        return None
    access = declaration(current_app.view_functions[request.endpoint])
    if access is None:
        abort(403)
    if access.public:
        return None
    if not current_user.is_authenticated:
        return unauthorized()
    if current_user.must_change_password and not access.before_password_change:
        if wants_json():
            response = jsonify(error="password_change_required", message=str(_l("Change your password first.")))
            response.status_code = 403
            return response
        return redirect(url_for("auth.change_password"))
    if not access.allows(current_user.roles):
        abort(403)
    return None
