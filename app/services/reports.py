"""HR reports over the stored profiles: the heatmap and its export, within the viewer's scope."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl import Workbook
from sqlalchemy import and_, select
from sqlalchemy.orm import aliased, joinedload

from app.domain.cohort import Member
from app.domain.framework import COMPETENCY_CODES
from app.extensions import db
from app.models import Attempt, ContentDocument, OrgUnit, ProfileScore, SelfScore, User
from app.services import audit, scope
from app.services.content_loader import current_bank

FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class HeatmapFilters:
    org_unit_id: int | None = None
    career_level: str | None = None
    sort: str = "name"  # "name" or a competency code
    descending: bool = False


def _managers(viewer: User, filters: HeatmapFilters):
    query = select(User).where(User.active.is_(True), User.role_rows.any(role="manager"))
    if filters.career_level:
        query = query.where(User.career_level == filters.career_level)
    if filters.org_unit_id:
        unit = db.session.get(OrgUnit, filters.org_unit_id)
        prefix = unit.path if unit else "/none/"
        query = query.where(User.org_unit.has(OrgUnit.path.startswith(prefix, autoescape=True)))
    query = scope.restrict_to_scope(query, viewer)
    if filters.sort in COMPETENCY_CODES:
        cell = aliased(ProfileScore)
        query = query.outerjoin(cell, and_(cell.user_id == User.id, cell.competency == filters.sort))
        order = cell.score.desc() if filters.descending else cell.score.asc()
        query = query.order_by(order.nulls_last(), User.name, User.id)
    else:
        query = query.order_by(User.name.desc() if filters.descending else User.name, User.id)
    return query


def heatmap_page(viewer: User, filters: HeatmapFilters, page: int, per_page: int = 50):
    """One page of managers and their 14 cells (three queries, whatever the bank's size)."""
    pagination = db.paginate(
        _managers(viewer, filters).options(joinedload(User.org_unit)), page=page, per_page=per_page, error_out=False
    )
    ids = [u.id for u in pagination.items]
    cells: dict[int, dict[str, ProfileScore]] = {}
    for row in db.session.scalars(select(ProfileScore).where(ProfileScore.user_id.in_(ids or [-1]))):
        cells.setdefault(row.user_id, {})[row.competency] = row
    return pagination, cells


def neutralise(value) -> object:
    """A text cell a spreadsheet would run as a formula is made inert (prefixed with ')."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def heatmap_rows(viewer: User, filters: HeatmapFilters) -> Iterator[list]:
    """Header, then one row per manager: name, email, unit, level, 14 scores (blank: no evidence)."""
    yield ["name", "email", "org_unit", "career_level", *COMPETENCY_CODES]
    managers = _managers(viewer, filters).options(joinedload(User.org_unit))
    users = db.session.scalars(managers).unique().all()
    scores: dict[int, dict[str, float]] = {}
    ids = [u.id for u in users]
    for row in db.session.execute(
        select(ProfileScore.user_id, ProfileScore.competency, ProfileScore.score).where(
            ProfileScore.user_id.in_(ids or [-1])
        )
    ):
        scores.setdefault(row.user_id, {})[row.competency] = round(row.score, 1)
    for user in users:
        own = scores.get(user.id, {})
        yield [
            neutralise(user.name),
            neutralise(user.email),
            neutralise(user.org_unit.name if user.org_unit else ""),
            user.career_level or "",
            *[own.get(code, "") for code in COMPETENCY_CODES],
        ]


def heatmap_csv(viewer: User, filters: HeatmapFilters) -> str:
    rows = list(heatmap_rows(viewer, filters))
    _audit_export(viewer, "export.heatmap_csv", filters, len(rows) - 1)
    return _csv(rows)


def heatmap_xlsx(viewer: User, filters: HeatmapFilters) -> bytes:
    """The same rows as the CSV, as a workbook (cells already made formula-safe)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("heatmap")
    rows = list(heatmap_rows(viewer, filters))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    _audit_export(viewer, "export.heatmap_xlsx", filters, len(rows) - 1)
    return buffer.getvalue()


def _audit_export(viewer: User, action: str, filters: HeatmapFilters, rows: int) -> None:
    audit.record(viewer, action, "heatmap", rows=rows, org_unit=filters.org_unit_id, career_level=filters.career_level)
    db.session.commit()


def cohort(viewer: User, filters: HeatmapFilters) -> tuple[list[Member], dict[str, dict[str, int]]]:
    """Every manager in scope matching the filters, with stored levels and self-views, and the targets (4 queries)."""
    users = (
        db.session.scalars(_managers(viewer, HeatmapFilters(filters.org_unit_id, filters.career_level))).unique().all()
    )
    cells: dict[int, dict[str, tuple[int | None, float]]] = {}
    ids = [u.id for u in users]
    for row in db.session.execute(
        select(ProfileScore.user_id, ProfileScore.competency, ProfileScore.level, ProfileScore.score).where(
            ProfileScore.user_id.in_(ids or [-1])
        )
    ):
        cells.setdefault(row.user_id, {})[row.competency] = (row.level, row.score)
    selves: dict[int, dict[str, float]] = {}
    for row in db.session.execute(
        select(SelfScore.user_id, SelfScore.competency, SelfScore.score).where(SelfScore.user_id.in_(ids or [-1]))
    ):
        selves.setdefault(row.user_id, {})[row.competency] = row.score
    members = [Member(u.id, u.name, u.career_level, cells.get(u.id, {}), selves.get(u.id, {})) for u in users]
    targets = (current_bank().targets or {}).get("targets", {})
    return members, targets


def _csv(rows: list[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def scores_csv(viewer: User, filters: HeatmapFilters) -> str:
    """One row per manager and measured competency: score, evidence and level (blank: insufficient)."""
    users = {
        u.id: u for u in db.session.scalars(_managers(viewer, filters).options(joinedload(User.org_unit))).unique()
    }
    rows: list[list] = [["email", "name", "org_unit", "career_level", "competency", "score", "evidence", "level"]]
    query = select(ProfileScore).where(ProfileScore.user_id.in_(list(users) or [-1]))
    for score in db.session.scalars(query.order_by(ProfileScore.user_id, ProfileScore.competency)):
        user = users[score.user_id]
        rows.append(
            [
                neutralise(user.email),
                neutralise(user.name),
                neutralise(user.org_unit.name if user.org_unit else ""),
                user.career_level or "",
                score.competency,
                round(score.score, 1),
                round(score.evidence, 2),
                score.level or "",
            ]
        )
    _audit_export(viewer, "export.scores_csv", filters, len(rows) - 1)
    return _csv(rows)


def attempts_csv(viewer: User, filters: HeatmapFilters) -> str:
    """One row per attempt of the managers in scope: exercise, dates, status."""
    users = {u.id: u for u in db.session.scalars(_managers(viewer, filters)).unique()}
    rows: list[list] = [["email", "name", "exercise", "started_at", "submitted_at", "status", "expired"]]
    query = (
        select(Attempt, ContentDocument.key)
        .join(ContentDocument, ContentDocument.id == Attempt.exercise_id)
        .where(Attempt.user_id.in_(list(users) or [-1]))
        .order_by(Attempt.user_id, Attempt.started_at)
    )
    for attempt, key in db.session.execute(query):
        user = users[attempt.user_id]
        submitted = attempt.submitted_at.isoformat(timespec="seconds") if attempt.submitted_at else ""
        rows.append(
            [
                neutralise(user.email),
                neutralise(user.name),
                key,
                attempt.started_at.isoformat(timespec="seconds"),
                submitted,
                attempt.status,
                "yes" if attempt.expired else "no",
            ]
        )
    _audit_export(viewer, "export.attempts_csv", filters, len(rows) - 1)
    return _csv(rows)
