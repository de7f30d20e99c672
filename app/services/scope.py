"""What each user may see. Scope is checked here, where data is loaded, never in templates."""

from __future__ import annotations

from sqlalchemy import Select, false, or_, select, true
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import OrgUnit, User, UserScope
from app.services.errors import NotFound


def scope_paths(viewer: User) -> list[str] | None:
    """Path prefixes of the units the viewer may see; None means the whole bank (admins). Read once
    per session (a report page asked three times), until `forget_scope`."""
    if viewer.has_role("admin"):
        return None
    known = db.session.info.setdefault(_SCOPE_PATHS, {})
    if viewer.id not in known:
        known[viewer.id] = list(
            db.session.scalars(
                select(OrgUnit.path)
                .join(UserScope, UserScope.org_unit_id == OrgUnit.id)
                .where(UserScope.user_id == viewer.id)
            )
        )
    return list(known[viewer.id])


def remember_scope(user: User, paths: list[str]) -> None:
    """The user's scope, read by another query (the report filters' units): not read again."""
    db.session.info.setdefault(_SCOPE_PATHS, {})[user.id] = list(paths)


def forget_scope(user: User) -> None:
    """The user's scope changed: read it again when next asked."""
    db.session.info.get(_SCOPE_PATHS, {}).pop(user.id, None)


_SCOPE_PATHS = "scope_paths"  # session.info key: user id → their scope's paths


def restrict_to_scope(query: Select, viewer: User) -> Select:
    """Limit a query over User to the users the viewer may see."""
    if viewer.has_role("admin"):
        return query
    paths = _staff_paths(viewer)
    if paths:
        query = query.outerjoin(OrgUnit, User.org_unit_id == OrgUnit.id)
    return query.where(in_scope(viewer, User.id, OrgUnit.path, paths))


def in_scope(viewer: User, user_id, unit_path, paths: list[str] | None = None):
    """The condition that a user, given by their id and their unit's path (columns of any table),
    is one the viewer may see: themselves, or anyone in the units of their scope (`paths`, read
    when not given)."""
    if viewer.has_role("admin"):
        return true()
    paths = _staff_paths(viewer) if paths is None else paths
    conditions = [user_id == viewer.id] if viewer.has_role("manager") else []
    conditions += [unit_path.startswith(path, autoescape=True) for path in paths]
    return or_(*conditions) if conditions else false()


def _staff_paths(viewer: User) -> list[str]:
    return (scope_paths(viewer) or []) if viewer.has_role("hr", "trainer") else []


def staff_unit_ids(viewer: User) -> list[int] | None:
    """The units whose people a trainer or HR viewer may see (None: the whole bank, for admins).

    Read once as a list, so that a query starting elsewhere filters on known ids: PostgreSQL
    cannot estimate how many units a path LIKE matches (it guessed 1 of 262) and then walked
    every manager of the bank to find a hundred graded answers.
    """
    if viewer.has_role("admin"):
        return None
    paths = _staff_paths(viewer)
    if not paths:
        return []
    return list(
        db.session.scalars(select(OrgUnit.id).where(or_(*[OrgUnit.path.startswith(p, autoescape=True) for p in paths])))
    )


def visible_user(viewer: User, user_id: int) -> User:
    user = db.session.scalar(restrict_to_scope(select(User).where(User.id == user_id), viewer))
    if user is None:
        raise NotFound(f"user {user_id}")
    return user


def visible_manager(viewer: User, user_id: int) -> User:
    """A manager the viewer may see; staff (trainers, HR, admins) are not profiles to open."""
    query = select(User).where(User.id == user_id, User.role_rows.any(role="manager"))
    user = db.session.scalar(restrict_to_scope(query, viewer))
    if user is None:
        raise NotFound(f"manager {user_id}")
    return user


def visible_managers(viewer: User, page: int, per_page: int, search: str = ""):
    query = (
        select(User).options(joinedload(User.org_unit)).where(User.active.is_(True), User.role_rows.any(role="manager"))
    )
    if search.strip():
        like = contains_pattern(search)
        query = query.where(or_(User.name.ilike(like, escape="\\"), User.email.ilike(like, escape="\\")))
    query = restrict_to_scope(query, viewer).order_by(User.name, User.id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def visible_managers_by_id(viewer: User, user_ids) -> list[User]:
    """The managers among `user_ids` that the viewer may see (a choice kept across searches)."""
    if not user_ids:
        return []
    query = (
        select(User).options(joinedload(User.org_unit)).where(User.id.in_(user_ids), User.role_rows.any(role="manager"))
    )
    return list(db.session.scalars(restrict_to_scope(query, viewer).order_by(User.name, User.id)).unique())


def contains_pattern(search: str) -> str:
    """A LIKE pattern for text containing `search`, its own % and _ taken literally."""
    escaped = search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
