"""The org-unit tree: bank → region → branch."""

from __future__ import annotations

import functools

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select

from app.domain.people import split_org_path
from app.extensions import db
from app.models import OrgUnit, User, UserScope
from app.services import audit
from app.services.errors import Invalid, NotFound
from app.services.scope import remember_scope, scope_paths

CHILD_KIND = {None: "bank", "bank": "region", "region": "branch"}
LISTED_KINDS = ("bank", "region")  # what a report's unit list always shows: its branches wait for their region


def all_units() -> list[OrgUnit]:
    return list(db.session.scalars(select(OrgUnit).order_by(OrgUnit.path)))


def get_unit(unit_id: int) -> OrgUnit:
    unit = db.session.get(OrgUnit, unit_id)
    if unit is None:
        raise NotFound(f"org unit {unit_id}")
    return unit


def unit_exists(unit_id: int) -> bool:
    return db.session.get(OrgUnit, unit_id) is not None


def full_name(unit: OrgUnit, by_id: dict[int, OrgUnit]) -> str:
    """'Banco Demo / Norte / Bilbao', from an id → unit map so no query is needed."""
    names = []
    current: OrgUnit | None = unit
    while current is not None:
        names.append(current.name)
        current = by_id.get(current.parent_id) if current.parent_id else None
    return " / ".join(reversed(names))


def labelled_units() -> list[tuple[OrgUnit, str]]:
    """Every unit with its full path name, in tree order, in one query."""
    units = all_units()
    by_id = {u.id: u for u in units}
    return [(u, full_name(u, by_id)) for u in units]


def units_by_path() -> dict[tuple[str, ...], OrgUnit]:
    """('Banco Demo', 'Norte') → unit; names compared case-insensitively."""
    result = {}
    for unit, label in labelled_units():
        result[tuple(part.lower() for part in split_org_path(label))] = unit
    return result


def add_unit(actor: User | None, name: str, parent: OrgUnit | None) -> OrgUnit:
    name = name.strip()
    kind = CHILD_KIND.get(parent.kind if parent else None)
    if not name:
        raise Invalid({"name": [_l("A name is required.")]})
    if kind is None:
        raise Invalid({"parent": [_l("A branch cannot contain other units.")]})
    same_name = func.lower(OrgUnit.name) == name.lower()  # paths are matched case-insensitively
    if db.session.scalar(select(OrgUnit.id).where(_children_of(parent), same_name)) is not None:
        raise Invalid({"name": [_l("A unit with this name already exists here.")]})
    unit = OrgUnit(name=name, kind=kind, parent=parent)
    db.session.add(unit)
    db.session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    audit.record(actor, "org_unit.created", f"org_unit:{unit.id}", name=name, kind=kind)
    return unit


def ensure_path(names: tuple[str, ...]) -> OrgUnit:
    """Find or create each unit along a path of names (used by the demo seed)."""
    parent = None
    for name in names:
        unit = db.session.scalar(select(OrgUnit).where(_children_of(parent), OrgUnit.name == name))
        if unit is None:
            unit = add_unit(None, name, parent)
        parent = unit
    if parent is None:
        raise Invalid({"path": [_l("An org-unit path needs at least one name.")]})
    return parent


def _children_of(parent: OrgUnit | None):
    return OrgUnit.parent_id == parent.id if parent else OrgUnit.parent_id.is_(None)


def report_unit_choices(viewer: User, chosen_id: int | None) -> list[tuple]:
    """The units a report can be narrowed to, with full names, without listing every branch of a
    large bank (2,500 at 100,000 managers): every bank and region in the viewer's scope, the
    branches of their scope, and the branches of the chosen unit's region. A branch is two choices
    away: its region, then the branch. Each unit a plain row (id, name, parent_id, path, mine), with its
    full name."""
    chosen = db.session.get(OrgUnit, chosen_id) if chosen_id else None
    region = chosen.id if chosen and chosen.kind == "region" else (chosen.parent_id if chosen else None)
    params = {"viewer": viewer.id} if region is None else {"viewer": viewer.id, "region": region}
    units = db.session.connection().execute(_unit_choices_query(region is not None), params).all()  # plain rows
    paths = None
    if not viewer.has_role("admin"):
        paths = [unit.path for unit in units if unit.mine]
        remember_scope(viewer, paths)
    by_id = {unit.id: unit for unit in units}
    return [(u, full_name(u, by_id)) for u in units if paths is None or any(u.path.startswith(p) for p in paths)]


@functools.cache
def _unit_choices_query(with_region: bool):
    """Built once per shape (every report page asks for it): the listed kinds, the viewer's own scope
    units, and with a region, its branches."""
    # The viewer's own scope units come in the same query, flagged: their paths are the scope, which
    # the report then needs (one statement fewer on every report page).
    mine = OrgUnit.id.in_(select(UserScope.org_unit_id).where(UserScope.user_id == bindparam("viewer")))
    shown = OrgUnit.kind.in_(LISTED_KINDS) | mine  # each term by an index: never a walk of every branch
    if with_region:
        shown = shown | (OrgUnit.parent_id == bindparam("region"))
    listed = select(OrgUnit.id, OrgUnit.name, OrgUnit.parent_id, OrgUnit.path, mine.label("mine"))
    return listed.where(shown).order_by(OrgUnit.path)


def labelled_units_in_scope(viewer: User) -> list[tuple[OrgUnit, str]]:
    """The units the viewer may see (their scope and everything below), with full names."""
    paths = scope_paths(viewer)
    return [(u, label) for u, label in labelled_units() if paths is None or any(u.path.startswith(p) for p in paths)]
