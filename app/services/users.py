"""Creating, editing and deactivating users; their roles and scope. Never deleting: history stays."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from werkzeug.security import generate_password_hash

from app.domain.people import looks_like_email, normalise_email, password_problems
from app.extensions import db
from app.models import OrgUnit, User, UserRole, UserScope
from app.services import audit, cohort_levels, scope
from app.services.errors import Invalid, NotFound
from app.services.scope import contains_pattern

PASSWORD_MESSAGES = {
    "too_short": _l("The password must have at least 12 characters."),
    "is_email": _l("The password must not be your email address."),
}


@dataclass
class UserData:
    email: str
    name: str
    career_level: str | None = None
    org_unit_id: int | None = None
    locale: str | None = None
    active: bool = True
    roles: set[str] = field(default_factory=set)
    scope_unit_ids: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class UserFilters:
    search: str = ""
    role: str = ""
    org_unit_id: int | None = None
    active: bool | None = None


def load_user(session_id: str) -> User | None:
    """The user a session or remember-me cookie names, if its token is still the current one."""
    user_id, _, token = session_id.partition(".")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and secrets.compare_digest(user.session_token, token) else None


def hash_password(password: str) -> str:
    """Hashed by the app's PASSWORD_HASH_METHOD; werkzeug's default (scrypt) when it is unset."""
    method = current_app.config.get("PASSWORD_HASH_METHOD") if has_app_context() else None
    return generate_password_hash(password, method) if method else generate_password_hash(password)


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def check_password(password: str, email: str, field: str = "password") -> None:
    problems = password_problems(password, email)
    if problems:
        raise Invalid({field: [PASSWORD_MESSAGES[p] for p in problems]})


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id}")
    return user


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def list_users(filters: UserFilters, page: int, per_page: int):
    query = select(User)
    if filters.search.strip():
        like = contains_pattern(filters.search)
        query = query.where(or_(User.name.ilike(like, escape="\\"), User.email.ilike(like, escape="\\")))
    if filters.role:
        query = query.where(User.role_rows.any(role=filters.role))
    if filters.org_unit_id:
        unit = db.session.get(OrgUnit, filters.org_unit_id)
        prefix = unit.path if unit else "/none/"
        query = query.join(OrgUnit, User.org_unit_id == OrgUnit.id).where(
            OrgUnit.path.startswith(prefix, autoescape=True)
        )
    if filters.active is not None:
        query = query.where(User.active.is_(filters.active))
    query = query.order_by(User.name, User.id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def _check_email_free(email: str, user_id: int | None = None) -> None:
    """The address is valid (the same rule as the forms and the CSV import) and nobody else's."""
    if not looks_like_email(email):
        raise Invalid({"email": [_l("Invalid email address.")]})
    other = find_by_email(email)
    if other is not None and other.id != user_id:
        raise Invalid({"email": [_l("Another user already has this email address.")]})


def create_user(
    actor: User | None, data: UserData, password: str | None = None, invited: bool = False
) -> tuple[User, str | None]:
    """Create a user. `invited`: no password yet; they choose one from the invitation's link
    (app/services/invitations.py), and no hash is computed. Otherwise, without a password one is
    generated, returned once, and must be changed at first sign-in."""
    _check_email_free(data.email)
    generated = None
    if invited:
        password_hash = None
    else:
        if password is None:
            password = generated = generate_password()
        else:
            check_password(password, data.email)
        password_hash = hash_password(password)
    user = User(email=data.email, name=data.name.strip(), password_hash=password_hash)
    # A password someone else chose is a temporary one.
    user.must_change_password = not invited and (generated is not None or actor is not None)
    db.session.add(user)
    _apply(actor, user, data)
    db.session.flush()
    audit.record(actor, "user.created", f"user:{user.id}", email=user.email, roles=sorted(data.roles))
    return user, generated


def update_user(actor: User | None, user: User, data: UserData) -> User:
    _check_email_free(data.email, user.id)
    if (
        actor is not None
        and actor.id == user.id
        and (not data.active or ("admin" in user.roles and "admin" not in data.roles))
    ):
        raise Invalid({"": [_l("You cannot deactivate your own account or remove your own admin role.")]})
    was_active = user.active
    user.email = data.email
    user.name = data.name.strip()
    _apply(actor, user, data)
    if was_active and not data.active:
        audit.record(actor, "user.deactivated", f"user:{user.id}", email=user.email)
    elif not was_active and data.active:
        audit.record(actor, "user.reactivated", f"user:{user.id}", email=user.email)
    return user


def _apply(actor: User | None, user: User, data: UserData) -> None:
    with cohort_levels.kept([user]):  # a move between units or levels moves the manager's counts too
        user.career_level = data.career_level or None
        user.org_unit = db.session.get(OrgUnit, data.org_unit_id) if data.org_unit_id else None
        user.locale = data.locale or None
        user.active = data.active
        set_roles(actor, user, data.roles)
        set_scope(actor, user, data.scope_unit_ids)


def set_roles(actor: User | None, user: User, roles: set[str]) -> None:
    current = user.roles
    added, removed = set(roles) - current, current - set(roles)
    if not added and not removed:
        return
    user.role_rows = [row for row in user.role_rows if row.role not in removed] + [
        UserRole(role=r) for r in sorted(added)
    ]
    if user.id is not None:
        audit.record(actor, "user.roles_changed", f"user:{user.id}", added=sorted(added), removed=sorted(removed))


def set_scope(actor: User | None, user: User, unit_ids: set[int]) -> None:
    current = {row.org_unit_id for row in user.scope_rows}
    added, removed = set(unit_ids) - current, current - set(unit_ids)
    if not added and not removed:
        return
    user.scope_rows = [row for row in user.scope_rows if row.org_unit_id not in removed] + [
        UserScope(org_unit_id=i) for i in sorted(added)
    ]
    scope.forget_scope(user)
    if user.id is not None:
        audit.record(actor, "user.scope_changed", f"user:{user.id}", added=sorted(added), removed=sorted(removed))


def deactivate(actor: User, user: User) -> None:
    if user.id == actor.id:
        raise Invalid({"": [_l("You cannot deactivate your own account.")]})
    if user.active:
        with cohort_levels.kept([user]):
            user.active = False
        user.sign_out_everywhere()
        audit.record(actor, "user.deactivated", f"user:{user.id}", email=user.email)
        db.session.flush()


def set_temporary_password(actor: User, user: User, password: str | None = None) -> str:
    """An admin resets a password: the user must replace it at the next login."""
    if password is None:
        password = generate_password()
    else:
        check_password(password, user.email)
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.sign_out_everywhere()
    user.failed_logins = 0
    user.locked_until = None
    audit.record(actor, "user.password_reset", f"user:{user.id}", email=user.email)
    db.session.flush()
    return password


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.flush()
