"""HR reports over the stored profiles and aggregates, within the viewer's scope: heatmap, cohort, dashboard."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Row, Select, and_, bindparam, case, false, func, literal, select, union_all
from sqlalchemy.orm import aliased, joinedload

from app.domain import cohort_cells, group_profiles
from app.domain.dates import end_of_day_utc, last_quarters, quarters_between, start_of_day_utc
from app.domain.framework import COMPETENCY_CODES
from app.domain.group_profiles import CalibrationSummary, CompetencySummary, Member, Trend
from app.extensions import db
from app.models import (
    Assignment,
    AssignmentCount,
    CohortLevel,
    CohortMonth,
    ContentDocument,
    OrgUnit,
    ProfileScore,
    User,
)
from app.models.reporting import ALL_COMPETENCIES
from app.models.users import utcnow
from app.services import cohort_levels, scope
from app.services.content_loader import current_bank
from app.services.monthly_scores import month_of


@dataclass(frozen=True)
class ReportFilters:
    """What every HR report and export is narrowed by. A date range keeps the managers whose latest
    assessment (scored attempt with competency scores) falls in its months: the current profile
    is the one that describes them. The HR pages widen the dates to whole months."""

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

    @property
    def months(self) -> tuple[int, int]:
        """The range's months (yyyymm), for the managers whose latest assessment falls in them."""
        return (month_of(self.since) if self.since else 1, month_of(self.until) if self.until else 999912)

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


@cache
def _active_manager():
    """Built once: an EXISTS over the roles costs a page 0.5 ms to build (immutable, so shareable)."""
    return and_(User.active.is_(True), User.role_rows.any(role="manager"))


@cache
def _unit_of_user():
    unit = aliased(OrgUnit)  # the scope's filter may join OrgUnit already
    return unit, unit.id == User.org_unit_id


def managers_query(viewer: User, filters: ReportFilters):
    query = select(User).where(_active_manager())
    if filters.career_level:
        query = query.where(User.career_level == filters.career_level)
    if filters.dated:
        first, last = filters.months
        query = query.where(User.last_assessed_month >= first, User.last_assessed_month <= last)
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
    """One page of managers as plain rows (id, name, career_level, unit), and their 14 cells,
    (level or None, score): two queries whatever the bank's size, the headcount read with the page
    (a third only for a page past the end). No ORM objects: a page's 50 managers and 700 cells are
    read, not changed."""
    unit, of_user = _unit_of_user()
    managers = managers_query(viewer, filters).outerjoin(unit, of_user)
    total = _headcount_query(viewer, filters).scalar_subquery().label("total")  # evaluated once, not per row
    managers = managers.with_only_columns(User.id, User.name, User.career_level, unit.name.label("unit"), total)
    pagination = _RowPagination(
        select=managers, headcount=lambda: headcount(viewer, filters), page=page, per_page=per_page, error_out=False
    )
    cells: dict[int, dict[str, tuple[int | None, float]]] = {}
    ids = [row.id for row in pagination.items] or [-1]
    for user_id, code, level, score in db.session.connection().execute(_cells_query(), {"ids": ids}):
        cells.setdefault(user_id, {})[code] = (level, score)
    return pagination, cells


@cache
def _cells_query():
    """Built once: the heatmap asks for it on every page."""
    return select(ProfileScore.user_id, ProfileScore.competency, ProfileScore.level, ProfileScore.score).where(
        ProfileScore.user_id.in_(bindparam("ids", expanding=True))
    )


class _RowPagination(Pagination):
    """A page of a SELECT's plain rows, read from the connection (Flask-SQLAlchemy's builds ORM
    objects). The total is the rows' own `total` column; `headcount` gives it when the page is empty."""

    def _query_items(self) -> list:
        return (
            db.session.connection()
            .execute(self._query_args["select"].limit(self.per_page).offset(self._query_offset))
            .all()
        )

    def _query_count(self) -> int:
        return self.items[0].total if self.items else self._query_args["headcount"]()


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
    (default: the last four quarters; for completion the range picks the assignments, made in it, and
    counts their recipients in scope). A fixed number of queries, each over kept aggregates."""
    units = report_units(viewer, filters)  # the dates below do not change which units count
    size, summaries = level_summaries(viewer, filters, units)

    today = today or datetime.now(ZoneInfo(_zone())).date()  # the bank's day: at 23:30 UTC Madrid is already tomorrow
    until = filters.until or today
    dated = replace(filters, since=filters.since or last_quarters(until), until=until)
    return Dashboard(size, summaries, _trend(units, dated), *_completion(units, dated, latest))


# --- levels, gaps and calibration: sums of the kept cohort counts (services.cohort_levels) ---


def report_units(viewer: User, filters: ReportFilters) -> list[int]:
    """The units whose counts add up to the viewer's scope narrowed by the unit filter (no unit
    counted twice): the whole bank's row for an administrator, or the scope's top units."""
    unit = db.session.get(OrgUnit, filters.org_unit_id) if filters.org_unit_id else None
    if filters.org_unit_id and unit is None:
        return []
    paths = scope.scope_paths(viewer)
    if paths is None:
        return [unit.id] if unit else [cohort_cells.WHOLE_BANK]
    roots = [p for p in paths if not any(p != other and p.startswith(other) for other in paths)]
    if unit is None:
        return [cohort_cells.ancestors(p)[-1] for p in roots]
    if any(unit.path.startswith(p) for p in roots):
        return [unit.id]
    return [cohort_cells.ancestors(p)[-1] for p in roots if p.startswith(unit.path)]


def _counts(units: list[int], filters: ReportFilters) -> list:
    return cohort_levels.summed(units, filters.career_level, _months(filters))


def _level_counts(rows) -> tuple[int, list[group_profiles.LevelCount]]:
    """The headcount, and (career level, competency, level or None, managers) over self-views."""
    size, counts = 0, Counter()
    for career_level, code, level, _self_level, managers in rows:
        if code == cohort_cells.HEADCOUNT:
            size += managers
        else:
            counts[(career_level, code, level or None)] += managers
    return size, [(*key, n) for key, n in counts.items()]


def headcount(viewer: User, filters: ReportFilters) -> int:
    """How many managers the filters keep (the same managers as `managers_query`), from the counts."""
    return int(db.session.scalar(_headcount_query(viewer, filters)))


def _headcount_query(viewer: User, filters: ReportFilters) -> Select:
    """The headcount's rows by their partial index (ix_cohort_levels_headcount): the competency is
    written into the statement, as a bound value it would not prove the index's condition."""
    conditions = cohort_levels.conditions(report_units(viewer, filters), filters.career_level, _months(filters))
    return select(func.coalesce(func.sum(CohortLevel.managers), 0)).where(
        *conditions, CohortLevel.competency == literal(cohort_cells.HEADCOUNT, literal_execute=True)
    )


def level_summaries(
    viewer: User, filters: ReportFilters, units: list[int] | None = None
) -> tuple[int, dict[str, CompetencySummary]]:
    """How many managers, and per competency their levels, targets met and gaps (one query)."""
    size, counts = _level_counts(_counts(report_units(viewer, filters) if units is None else units, filters))
    return size, group_profiles.summarise_counts(counts, size, current_bank().career_targets)


@dataclass
class TrainingNeeds:
    managers: int
    summaries: dict[str, CompetencySummary]
    units_below: list[tuple[Row | None, dict[str, int]]]  # a unit's (id, name) (None: directly in the selection)


def training_needs(viewer: User, filters: ReportFilters, listed: int, assignable: int = 0) -> TrainingNeeds:
    """Who is below target where, from the counts; per competency the first `listed` managers below
    target, lowest score first (all of them where they are `assignable` or fewer, so that one button
    can assign them a practice), and the units one level down with their counts."""
    targets = current_bank().career_targets
    units = report_units(viewer, filters)
    size, summaries = level_summaries(viewer, filters, units)
    named = {
        code: (s.below_count if s.below_count <= assignable else min(listed, s.below_count))
        for code, s in summaries.items()
    }
    for code, entries in _below_target(viewer, filters, targets, named, size).items():
        summaries[code].below = entries
    return TrainingNeeds(size, summaries, _units_below(units, filters, summaries))


SMALL_COHORT = 2000  # up to this many managers, the names are read from the managers, not the index


def _lowest_first(query: Select, named: dict[str, int], walk: bool) -> list:
    """Per competency, the first `named[code]` rows of `query` (which selects (competency, …)
    profile rows), lowest measured score first, in one statement. Two shapes, one answer: a large
    cohort (`walk`) walks a (competency, score) index once per competency and stops at its limit;
    a small one (a branch) starts from its own managers' rows and ranks them, since an index walk
    would pass most of the bank before finding its few."""
    order = (ProfileScore.score, User.name, User.id)
    if walk:
        parts = [
            select(query.where(ProfileScore.competency == code).order_by(*order).limit(limit).subquery())
            for code, limit in named.items()
        ]  # a limit of 0 still runs: the page's queries do not depend on what it finds
        return db.session.execute(union_all(*parts)).all()
    # Expressions the (competency, score) index cannot give, so the database has no reason to walk
    # the whole index and starts from the cohort's managers instead.
    rank = func.row_number().over(
        partition_by=ProfileScore.competency.concat(""), order_by=(ProfileScore.score + 0, *order[1:])
    )
    ranked = query.add_columns(rank.label("rank")).subquery()
    limit = case(*[(ranked.c[0] == code, n) for code, n in named.items()], else_=0)
    columns = [c for c in ranked.c if c.name != "rank"]
    return db.session.execute(select(*columns).where(ranked.c.rank <= limit).order_by(ranked.c[0], ranked.c.rank)).all()


def _profile_rows(viewer: User, filters: ReportFilters, walk: bool) -> Select:
    """Stored profile rows of the filtered managers joined to them (no columns yet). For an index
    walk (`walk`), the filters test each row's copy of its manager's standing (`ProfileScore.manager_*`):
    the database tests a row as it meets it and joins the manager only for the rows it keeps (at
    100,000 managers, joining every row passed cost about 10 µs a row). A small cohort starts from
    its managers, found by their units. Built once per page."""
    if not walk:
        return (
            managers_query(viewer, replace(filters, sort="name"))
            .order_by(None)
            .with_only_columns()
            .join(ProfileScore, ProfileScore.user_id == User.id)
        )
    conditions = [
        ProfileScore.manager_counted.is_(True),
        scope.in_scope(viewer, ProfileScore.user_id, ProfileScore.manager_unit_path),
    ]
    if filters.career_level:
        conditions.append(ProfileScore.manager_career_level == filters.career_level)
    if filters.dated:
        first, last = filters.months
        conditions += [ProfileScore.manager_assessed_month >= first, ProfileScore.manager_assessed_month <= last]
    if filters.org_unit_id:
        conditions.append(_in_unit(filters.org_unit_id, ProfileScore.manager_unit_path))
    return select().select_from(ProfileScore).join(User, User.id == ProfileScore.user_id).where(*conditions)


def _below_target(
    viewer: User, filters: ReportFilters, targets, named: dict[str, int], cohort_size: int
) -> dict[str, list]:
    """The first managers below their target per competency, lowest score first (as the heatmap
    link sorts them all), with how many levels below. Each profile row keeps its target, and a
    walk reads the partial index of the rows below it (`ProfileScore.below_target`)."""
    if not any(targets.values()):
        return {}
    unit = aliased(OrgUnit)
    walk = cohort_size > SMALL_COHORT
    base = _profile_rows(viewer, filters, walk).outerjoin(unit, unit.id == User.org_unit_id)
    gap = ProfileScore.target_level - ProfileScore.level
    query = base.add_columns(ProfileScore.competency, User.id, User.name, unit.name, gap).where(
        ProfileScore.below_target()
    )
    result: dict[str, list] = {}
    for code, user_id, name, unit_name, levels in _lowest_first(query, named, walk):
        result.setdefault(code, []).append((Member(user_id, name, None, {}, unit=unit_name or ""), levels))
    return result


def _units_below(units: list[int], filters: ReportFilters, summaries) -> list:
    """Per unit one level below the selection (the unit filtered, or the scope's top units), how many
    managers are below target in each competency; managers placed directly in the selection apart."""
    listed = select(OrgUnit.id, OrgUnit.name).order_by(OrgUnit.name)  # rows, not objects: a region has 500
    if len(units) == 1:
        parent = None if units[0] == cohort_cells.WHOLE_BANK else units[0]
        shown = db.session.execute(listed.where(OrgUnit.parent_id == parent)).all()
    else:
        shown = db.session.execute(listed.where(OrgUnit.id.in_(units))).all()
    # Counted in SQL, per unit and competency, from the partial index of the rows below target: a
    # region of 500 branches would otherwise send 100,000 sums to Python, or test 73,000 rows.
    by_unit: dict[int, dict[str, int]] = {}
    for unit_id, code, managers in db.session.execute(
        select(CohortLevel.unit_id, CohortLevel.competency, func.sum(CohortLevel.managers))
        .where(
            *cohort_levels.conditions([u.id for u in shown], filters.career_level, _months(filters)),
            CohortLevel.below_target(),
        )
        .group_by(CohortLevel.unit_id, CohortLevel.competency)
    ):
        by_unit.setdefault(unit_id, {})[code] = int(managers)
    named = {unit.id: unit for unit in shown}
    rows = group_profiles.units_by_need(by_unit)
    placed = {code: sum(counts.get(code, 0) for _unit, counts in rows) for code in summaries}
    direct = {code: s.below_count - placed[code] for code, s in summaries.items() if s.below_count > placed[code]}
    result = [(named[unit_id], counts) for unit_id, counts in rows]
    return [*result, (None, direct)] if direct else result


def _months(filters: ReportFilters) -> tuple[int, int] | None:
    return filters.months if filters.dated else None


def calibration(viewer: User, filters: ReportFilters, named: int) -> tuple[int, dict[str, CalibrationSummary]]:
    """Self against measured per competency from the counts; per competency, the first `named` blind
    spots by name, lowest measured score first (a walk reads the partial index of the blind spots,
    `ProfileScore.blind_spot`)."""
    rows = _counts(report_units(viewer, filters), filters)
    size, _levels = _level_counts(rows)
    summaries = group_profiles.calibration_counts(
        (code, level, self_level, n) for _career, code, level, self_level, n in rows if code != cohort_cells.HEADCOUNT
    )
    walk = size > SMALL_COHORT
    columns = (ProfileScore.competency, User.id, User.name, ProfileScore.self_level - ProfileScore.level)
    query = _profile_rows(viewer, filters, walk).add_columns(*columns).where(ProfileScore.blind_spot())
    limits = {code: min(named, s.blind) for code, s in summaries.items()}
    for code, user_id, name, difference in _lowest_first(query, limits, walk):
        summaries[code].blind_spots.append((Member(user_id, name, None, {}), difference))
    return size, summaries


def _trend(units: list[int], filters: ReportFilters) -> Trend:
    """From the monthly cohort aggregates of the units in scope and filter (whole months of the range)."""
    if units == [cohort_cells.WHOLE_BANK]:  # the monthly sums are kept per unit: the whole bank is its top units
        units = list(db.session.scalars(select(OrgUnit.id).where(OrgUnit.parent_id.is_(None))))
    conditions = [
        CohortMonth.month >= month_of(filters.since),
        CohortMonth.month <= month_of(filters.until),
        CohortMonth.org_unit_id.in_(units),
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
        .where(*conditions)
        .group_by(CohortMonth.month, CohortMonth.competency)
    ).all()
    sums = [(m // 100, m % 100, code, total, weight) for m, code, total, weight, _n in rows if code != ALL_COMPETENCIES]
    activity = [(m // 100, m % 100, n) for m, code, _t, _w, n in rows if code == ALL_COMPETENCIES]
    return group_profiles.quarterly_trend(sums, activity, quarters_between(filters.since, filters.until))


def _in_unit(unit_id: int, path=OrgUnit.path):
    """The unit path (an OrgUnit's, or a copy of one) is the unit's or below it; an unknown unit
    matches nothing."""
    unit = db.session.get(OrgUnit, unit_id)
    return path.startswith(unit.path, autoescape=True) if unit else false()


def _completion(units: list[int], filters: ReportFilters, latest: int) -> tuple[list[Completion], int, int, int]:
    """Per assignment made in the range: its recipients in scope (unit, career level) and how many
    have completed it, summed from the kept assignment counts of the units the report covers."""
    in_range = select(Assignment.id).where(*within(Assignment.created_at, filters))
    conditions = [
        AssignmentCount.unit_id.in_(units),
        AssignmentCount.assignment_id.in_(in_range),
    ]
    if filters.career_level:
        conditions.append(AssignmentCount.career_level == filters.career_level)
    by_id: dict[int, list[int]] = {}
    for assignment_id, completed, managers in db.session.execute(
        select(AssignmentCount.assignment_id, AssignmentCount.completed, func.sum(AssignmentCount.managers))
        .where(*conditions)
        .group_by(AssignmentCount.assignment_id, AssignmentCount.completed)
    ):
        counts = by_id.setdefault(assignment_id, [0, 0])
        counts[0] += managers
        counts[1] += managers if completed else 0
    by_id = {assignment_id: counts for assignment_id, counts in by_id.items() if counts[0]}
    shown = db.session.scalars(
        select(Assignment)
        .where(Assignment.id.in_(list(by_id) or [-1]))
        .options(joinedload(Assignment.exercise).joinedload(ContentDocument.current))
        .order_by(Assignment.created_at.desc(), Assignment.id.desc())
        .limit(latest)
    ).all()
    completions = [Completion(a, *by_id[a.id]) for a in shown]
    return completions, len(by_id), sum(r for r, _c in by_id.values()), sum(c for _r, c in by_id.values())
