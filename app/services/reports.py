"""HR reports over the stored profiles and aggregates, within the viewer's scope: heatmap, cohort, dashboard."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from flask import current_app
from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from app.domain import group_profiles
from app.domain.attempt_status import AttemptStatus
from app.domain.dates import end_of_day_utc, last_quarters, quarters_between, start_of_day_utc
from app.domain.framework import COMPETENCY_CODES
from app.domain.group_profiles import CompetencySummary, Member, Trend
from app.extensions import db
from app.models import (
    Assignment,
    AssignmentRecipient,
    Attempt,
    CohortMonth,
    ContentDocument,
    OrgUnit,
    ProfileScore,
    SelfScore,
    User,
)
from app.models.reporting import ALL_COMPETENCIES
from app.models.users import utcnow
from app.services import scope
from app.services.content_loader import current_bank
from app.services.monthly_scores import month_of


@dataclass(frozen=True)
class ReportFilters:
    """What every HR report and export is narrowed by. A date range keeps the managers assessed
    in it (a scored attempt submitted between `since` and `until`, both days included)."""

    org_unit_id: int | None = None
    career_level: str | None = None
    sort: str = "name"  # "name" or a competency code
    descending: bool = False
    since: date | None = None
    until: date | None = None
    problems: tuple[str, ...] = ()  # what was wrong with the filters asked for (those were ignored)

    @property
    def dated(self) -> bool:
        return self.since is not None or self.until is not None

    def window(self, zone: str) -> tuple[datetime | None, datetime | None]:
        """The range as naive UTC bounds (either may be open)."""
        return (
            start_of_day_utc(self.since, zone) if self.since else None,
            end_of_day_utc(self.until, zone) if self.until else None,
        )


def _zone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def within(column, filters: ReportFilters) -> list:
    start, end = filters.window(_zone())
    return [condition for condition in (start and column >= start, end and column <= end) if condition is not None]


def managers_query(viewer: User, filters: ReportFilters):
    query = select(User).where(User.active.is_(True), User.role_rows.any(role="manager"))
    if filters.career_level:
        query = query.where(User.career_level == filters.career_level)
    if filters.dated:
        assessed = select(Attempt.user_id).where(
            Attempt.status == AttemptStatus.SCORED, *within(Attempt.submitted_at, filters)
        )
        query = query.where(User.id.in_(assessed))
    if filters.org_unit_id:
        query = query.where(User.org_unit.has(_in_unit(filters.org_unit_id)))
    query = scope.restrict_to_scope(query, viewer)
    if filters.sort in COMPETENCY_CODES:
        cell = aliased(ProfileScore)
        query = query.outerjoin(cell, and_(cell.user_id == User.id, cell.competency == filters.sort))
        order = cell.score.desc() if filters.descending else cell.score.asc()
        query = query.order_by(order.nulls_last(), User.name, User.id)
    else:
        query = query.order_by(User.name.desc() if filters.descending else User.name, User.id)
    return query


def heatmap_page(viewer: User, filters: ReportFilters, page: int, per_page: int = 50):
    """One page of managers and their 14 cells (three queries, whatever the bank's size)."""
    pagination = db.paginate(
        managers_query(viewer, filters).options(joinedload(User.org_unit)),
        page=page,
        per_page=per_page,
        error_out=False,
    )
    ids = [u.id for u in pagination.items]
    cells: dict[int, dict[str, ProfileScore]] = {}
    for row in db.session.scalars(select(ProfileScore).where(ProfileScore.user_id.in_(ids or [-1]))):
        cells.setdefault(row.user_id, {})[row.competency] = row
    return pagination, cells


def cohort(viewer: User, filters: ReportFilters) -> tuple[list[Member], dict[str, dict[str, int]]]:
    """Every manager in scope matching the filters, with stored levels and self-views, and the targets.

    Plain rows, and the managers as a subquery, so 10,000 of them take three short queries."""
    ids = cohort_ids(viewer, filters)
    unit = aliased(OrgUnit)
    people = db.session.execute(
        managers_query(viewer, replace(filters, sort="name"))
        .with_only_columns(User.id, User.name, User.career_level, unit.name)
        .outerjoin(unit, unit.id == User.org_unit_id)
    ).all()
    cells: dict[int, dict[str, tuple[int | None, float]]] = {}
    for user_id, code, level, score in db.session.execute(
        select(ProfileScore.user_id, ProfileScore.competency, ProfileScore.level, ProfileScore.score).where(
            ProfileScore.user_id.in_(ids)
        )
    ):
        cells.setdefault(user_id, {})[code] = (level, score)
    selves: dict[int, dict[str, float]] = {}
    for user_id, code, score in db.session.execute(
        select(SelfScore.user_id, SelfScore.competency, SelfScore.score).where(SelfScore.user_id.in_(ids))
    ):
        selves.setdefault(user_id, {})[code] = score
    members = [
        Member(i, name, level, cells.get(i, {}), selves.get(i, {}), unit_name or "")
        for i, name, level, unit_name in people
    ]
    return members, current_bank().career_targets


# --- the dashboard: aggregated in SQL, so its cost does not depend on Python touching every manager ---


@dataclass
class Completion:
    assignment: Assignment
    recipients: int
    completed: int

    @property
    def share(self) -> float:
        return self.completed / self.recipients if self.recipients else 0.0

    @property
    def overdue(self) -> int:
        due = self.assignment.due_at
        return self.recipients - self.completed if due is not None and due < utcnow() else 0


@dataclass
class Dashboard:
    managers: int
    summaries: dict[str, CompetencySummary]
    trend: Trend
    completions: list[Completion]  # the latest assignments in the range
    assignments: int  # how many assignments the range holds
    recipients: int
    completed: int

    @property
    def completion_share(self) -> float | None:
        return self.completed / self.recipients if self.recipients else None


def cohort_ids(viewer: User, filters: ReportFilters):
    """The filtered managers' ids, as a subquery to filter other tables by (never a list of ids)."""
    return managers_query(viewer, replace(filters, sort="name")).with_only_columns(User.id).order_by(None)


def dashboard(viewer: User, filters: ReportFilters, latest: int = 10, today: date | None = None) -> Dashboard:
    """Levels, targets and gaps of the current profiles; trends and assignment completion over the range
    (default: the last four quarters). A fixed number of queries, each grouped in the database."""
    members = cohort_ids(viewer, filters).subquery()
    size = db.session.scalar(select(func.count()).select_from(members))
    counts = db.session.execute(
        select(User.career_level, ProfileScore.competency, ProfileScore.level, func.count())
        .join(User, User.id == ProfileScore.user_id)
        .where(ProfileScore.user_id.in_(select(members.c.id)))
        .group_by(User.career_level, ProfileScore.competency, ProfileScore.level)
    ).all()
    summaries = group_profiles.summarise_counts(counts, size, current_bank().career_targets)

    today = today or utcnow().date()
    until = filters.until or today
    dated = replace(filters, since=filters.since or last_quarters(until), until=until)
    return Dashboard(size, summaries, _trend(viewer, dated), *_completion(members, dated, latest))


def _trend(viewer: User, filters: ReportFilters) -> Trend:
    """From the monthly cohort aggregates of the units in scope and filter (whole months of the range)."""
    conditions = [
        CohortMonth.month >= month_of(filters.since),
        CohortMonth.month <= month_of(filters.until),
        *_unit_conditions(viewer, filters),
    ]
    if filters.career_level:
        conditions.append(CohortMonth.career_level == filters.career_level)
    rows = db.session.execute(
        select(
            CohortMonth.month,
            CohortMonth.competency,
            func.sum(CohortMonth.weighted),
            func.sum(CohortMonth.weight),
            func.sum(CohortMonth.attempts),
        )
        .join(OrgUnit, OrgUnit.id == CohortMonth.org_unit_id)
        .where(*conditions)
        .group_by(CohortMonth.month, CohortMonth.competency)
    ).all()
    sums = [(m // 100, m % 100, code, total, weight) for m, code, total, weight, _n in rows if code != ALL_COMPETENCIES]
    activity = [(m // 100, m % 100, n) for m, code, _t, _w, n in rows if code == ALL_COMPETENCIES]
    return group_profiles.quarterly_trend(sums, activity, quarters_between(filters.since, filters.until))


def _unit_conditions(viewer: User, filters: ReportFilters) -> list:
    """Conditions on OrgUnit: the viewer's scope (as restrict_to_scope) and the unit filter."""
    conditions = []
    paths = scope.scope_paths(viewer)
    if paths is not None:
        conditions.append(or_(*[OrgUnit.path.startswith(p, autoescape=True) for p in paths]) if paths else false())
    if filters.org_unit_id:
        conditions.append(_in_unit(filters.org_unit_id))
    return conditions


def _in_unit(unit_id: int):
    """OrgUnit is the unit or below it; an unknown unit matches nothing."""
    unit = db.session.get(OrgUnit, unit_id)
    return OrgUnit.path.startswith(unit.path, autoescape=True) if unit else false()


def _completion(members, filters: ReportFilters, latest: int) -> tuple[list[Completion], int, int, int]:
    """Per assignment made in the range: its recipients in the cohort and how many have completed it."""
    in_range = select(Assignment.id).where(*within(Assignment.created_at, filters))
    rows = db.session.execute(
        select(AssignmentRecipient.assignment_id, func.count(), func.count(AssignmentRecipient.completed_at))
        .where(AssignmentRecipient.user_id.in_(select(members.c.id)), AssignmentRecipient.assignment_id.in_(in_range))
        .group_by(AssignmentRecipient.assignment_id)
    ).all()
    by_id = {assignment_id: (recipients, completed) for assignment_id, recipients, completed in rows}
    shown = db.session.scalars(
        select(Assignment)
        .where(Assignment.id.in_(list(by_id) or [-1]))
        .options(joinedload(Assignment.exercise).joinedload(ContentDocument.current))
        .order_by(Assignment.created_at.desc(), Assignment.id.desc())
        .limit(latest)
    ).all()
    completions = [Completion(a, *by_id[a.id]) for a in shown]
    return completions, len(by_id), sum(r for r, _c in by_id.values()), sum(c for _r, c in by_id.values())
