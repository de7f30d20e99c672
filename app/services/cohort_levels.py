"""The cohort counts behind HR's level, gap and calibration reports and the dashboard's assignment
completion (`app.domain.cohort_cells`).

Kept additive: whatever changes a manager's profile, unit, career level or standing runs inside
`kept(user)`, which reads the manager's cells before and after and adds the difference in the same
transaction. A report then sums the rows of the units it covers. The same block copies the
manager's standing onto their profile rows (`copy_standing`), which the named lists filter by,
with the level of their self-view and their target beside each measured level.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

from sqlalchemy import and_, delete, exists, func, select, update

from app.domain import cohort_cells
from app.domain.cohort_cells import ASSIGNMENT_COLUMNS, KEY_COLUMNS, ManagerState
from app.extensions import db
from app.models import (
    AssignmentCount,
    AssignmentRecipient,
    CohortLevel,
    OrgUnit,
    ProfileScore,
    SelfScore,
    User,
    UserRole,
)
from app.services import content_loader, sql
from app.services.level_sql import level_expression, target_expression

CHUNK = 2000  # managers read at once by a rebuild


def _thresholds() -> Sequence[float]:
    return content_loader.current_bank().level_thresholds


def _people(user_ids: Sequence[int]) -> list[tuple[int, ManagerState]]:
    """Each user's standing, unit and career level, without what they were measured at (one query)."""
    is_manager = exists().where(UserRole.user_id == User.id, UserRole.role == "manager")
    return [
        (
            user_id,
            ManagerState(
                counted=bool(active and manager),
                units=cohort_cells.ancestors(path or ""),
                career_level=career_level,
                month=month,
            ),
        )
        for user_id, active, manager, career_level, month, path in db.session.execute(
            select(User.id, User.active, is_manager, User.career_level, User.last_assessed_month, OrgUnit.path)
            .outerjoin(OrgUnit, OrgUnit.id == User.org_unit_id)
            .where(User.id.in_(user_ids))
        )
    ]


def states(user_ids: Sequence[int]) -> dict[int, ManagerState]:
    """Each user's whole state as the counts see it (four queries)."""
    levels: dict[int, dict] = {}
    for user_id, code, level in db.session.execute(
        select(ProfileScore.user_id, ProfileScore.competency, ProfileScore.level).where(
            ProfileScore.user_id.in_(user_ids)
        )
    ):
        levels.setdefault(user_id, {})[code] = level
    selves: dict[int, dict] = {}
    for user_id, code, score in db.session.execute(
        select(SelfScore.user_id, SelfScore.competency, SelfScore.score).where(SelfScore.user_id.in_(user_ids))
    ):
        selves.setdefault(user_id, {})[code] = score
    received: dict[int, dict] = {}
    for user_id, assignment_id, completed_at in db.session.execute(
        select(AssignmentRecipient.user_id, AssignmentRecipient.assignment_id, AssignmentRecipient.completed_at).where(
            AssignmentRecipient.user_id.in_(user_ids)
        )
    ):
        received.setdefault(user_id, {})[assignment_id] = completed_at is not None
    return {
        user_id: replace(
            state,
            levels=levels.get(user_id, {}),
            self_scores=selves.get(user_id, {}),
            assignments=received.get(user_id, {}),
        )
        for user_id, state in _people(user_ids)
    }


def counts_of(user_ids: Sequence[int], thresholds: Sequence[float] | None = None) -> tuple[Counter, Counter]:
    """(level counts, assignment counts) of these users."""
    if not user_ids:
        return Counter(), Counter()
    return cohort_cells.total(states(user_ids).values(), thresholds or _thresholds())


class _Kept:
    """The users a `kept` block watches, and their counts when it began."""

    def __init__(self) -> None:
        self.users: dict[int, User] = {}  # by identity: new users have no id yet
        self.levels, self.assignments = Counter(), Counter()

    def watch(self, users: list[User]) -> None:
        """Users seen for the first time are counted as they are now (a new user counts nothing)."""
        fresh = [u for u in users if id(u) not in self.users]
        levels, assignments = counts_of([u.id for u in fresh if u.id is not None])
        self.levels.update(levels)
        self.assignments.update(assignments)
        self.users.update((id(u), u) for u in fresh)

    def settle(self) -> None:
        db.session.flush()
        user_ids = [u.id for u in self.users.values()]
        now_levels, now_assignments = counts_of(user_ids)
        add(cohort_cells.difference(self.levels, now_levels))
        _upsert(AssignmentCount, ASSIGNMENT_COLUMNS, cohort_cells.difference(self.assignments, now_assignments))
        copy_standing(user_ids)


def _standing(thresholds: Sequence[float] | None = None) -> dict:
    """A profile row's copy of its manager's standing as the reports filter by it, with the level of
    their self-view and their career level's target in its competency, as expressions over the row
    and its manager's user row."""
    bank = content_loader.current_bank()
    is_manager = exists().where(UserRole.user_id == User.id, UserRole.role == "manager")
    self_level = level_expression(SelfScore.score, bank.level_thresholds if thresholds is None else thresholds)
    return {
        "manager_counted": and_(User.active, is_manager),
        "manager_career_level": User.career_level,
        "manager_unit_path": select(OrgUnit.path).where(OrgUnit.id == User.org_unit_id).scalar_subquery(),
        "manager_assessed_month": User.last_assessed_month,
        "self_level": select(self_level)
        .where(SelfScore.user_id == ProfileScore.user_id, SelfScore.competency == ProfileScore.competency)
        .scalar_subquery(),
        "target_level": target_expression(User.career_level, ProfileScore.competency, bank.career_targets),
    }


def copy_standing(user_ids: Sequence[int] | None = None, thresholds: Sequence[float] | None = None) -> None:
    """Copy these managers' standing, self-view levels and targets onto their profile rows (all
    managers' when None, after the bank's thresholds or targets changed), in one statement."""
    if user_ids is None or user_ids:
        rows = ProfileScore.__table__
        which = [] if user_ids is None else [User.id.in_(user_ids)]
        db.session.execute(update(rows).where(rows.c.user_id == User.id, *which).values(**_standing(thresholds)))


def standing_copies(thresholds: Sequence[float] | None = None) -> tuple[set, set]:
    """(the copies on the profile rows, the same read from the managers): equal when kept right."""
    names = list(_standing())
    copied = db.session.execute(
        select(ProfileScore.user_id, ProfileScore.competency, *(ProfileScore.__table__.c[n] for n in names))
    )
    read = db.session.execute(
        select(ProfileScore.user_id, ProfileScore.competency, *_standing(thresholds).values()).join(
            User, User.id == ProfileScore.user_id
        )
    )
    return {(*r[:2], bool(r[2]), *r[3:]) for r in copied}, {(*r[:2], bool(r[2]), *r[3:]) for r in read}


@contextmanager
def kept(users: Iterable[User]) -> Iterator[None]:
    """Keep the counts right across whatever the block changes about these users.

    Blocks nest: inside another, a block only adds its users to the outer one, which diffs all
    of them once at its end (an import keeps a whole batch of users with eight queries, not
    eight per user)."""
    info = db.session().info
    outer = info.get("cohort_kept")
    if outer is not None:
        outer.watch(list(users))
        yield
        return
    block = info["cohort_kept"] = _Kept()
    try:
        block.watch(list(users))
        yield
    finally:
        info.pop("cohort_kept", None)
    block.settle()


def add(change: dict) -> None:
    """Add to the level counts, creating rows as needed, in one atomic upsert (safe under concurrent
    scoring). A new row carries its target."""
    rows = _with_targets(_rows(KEY_COLUMNS, change))
    sql.add_sums(CohortLevel, rows, KEY_COLUMNS, ("managers",), carried=("target_level",))


def _upsert(model, columns: Sequence[str], change: dict) -> None:
    sql.add_sums(model, _rows(columns, change), columns, ("managers",))


def _rows(columns: Sequence[str], counted: dict) -> list[dict]:
    return [{**dict(zip(columns, key, strict=True)), "managers": n} for key, n in counted.items()]


def _with_targets(rows: list[dict]) -> list[dict]:
    """Level count rows with their career level's target in their competency."""
    targets = content_loader.current_bank().career_targets
    for row in rows:
        row["target_level"] = targets.get(row["career_level"], {}).get(row["competency"])
    return rows


def copy_targets() -> None:
    """Every level count row's target again, from the bank's targets (after they changed)."""
    db.session.execute(update(CohortLevel).values(target_level=_target()))


def wrong_targets() -> int:
    """How many level count rows keep a target other than the bank's (0 when kept right)."""
    return db.session.scalar(
        select(func.count()).select_from(CohortLevel).where(CohortLevel.target_level.is_distinct_from(_target()))
    )


def _target():
    targets = content_loader.current_bank().career_targets
    return target_expression(CohortLevel.career_level, CohortLevel.competency, targets)


def add_recipients(assignment_id: int, user_ids: Sequence[int], sign: int = 1) -> None:
    """Recipients given an assignment (or, with sign −1, relieved of it before completing it),
    counted without reading their profiles (one query, however many)."""
    counted = cohort_cells.total(
        (replace(state, assignments={assignment_id: False}) for _user_id, state in _people(user_ids)), ()
    )[1]
    _upsert(AssignmentCount, ASSIGNMENT_COLUMNS, {key: sign * n for key, n in counted.items()})


def recount(thresholds: Sequence[float] | None = None) -> tuple[Counter, Counter]:
    """The counts recomputed from every user, a chunk of users at a time."""
    levels: Counter = Counter()
    assignments: Counter = Counter()
    ids = list(db.session.scalars(select(User.id).order_by(User.id)))
    for start in range(0, len(ids), CHUNK):
        more_levels, more_assignments = counts_of(ids[start : start + CHUNK], thresholds)
        levels.update(more_levels)
        assignments.update(more_assignments)
    return levels, assignments


def rebuild(thresholds: Sequence[float] | None = None) -> int:
    """Replace the stored counts with a recount (after a bulk load, or when the level thresholds change)."""
    levels, assignments = recount(thresholds)
    written = 0
    for model, columns, counted in (
        (CohortLevel, KEY_COLUMNS, levels),
        (AssignmentCount, ASSIGNMENT_COLUMNS, assignments),
    ):
        db.session.execute(delete(model))
        rows = _rows(columns, {key: n for key, n in counted.items() if n})
        sql.bulk_insert(model.__table__, _with_targets(rows) if model is CohortLevel else rows)
        written += len(rows)
    return written


def stored() -> tuple[Counter, Counter]:
    """The stored counts, without the rows that came back to zero (what a recount should equal)."""
    found = []
    for model, names in ((CohortLevel, KEY_COLUMNS), (AssignmentCount, ASSIGNMENT_COLUMNS)):
        columns = [model.__table__.c[name] for name in names]
        rows = db.session.execute(select(*columns, model.managers))
        found.append(Counter({tuple(row[:-1]): row[-1] for row in rows if row[-1]}))
    return found[0], found[1]


def conditions(units: Sequence[int], career_level: str | None, months: tuple[int, int] | None) -> list:
    """The rows of these units, of one career level if given, with a latest assessment in `months`."""
    found = [sql.among(CohortLevel.unit_id, units), CohortLevel.managers != 0]
    if career_level:
        found.append(CohortLevel.career_level == career_level)
    if months is not None:
        found += [CohortLevel.month >= months[0], CohortLevel.month <= months[1]]
    return found


def summed(units: Sequence[int], career_level: str | None, months: tuple[int, int] | None) -> list:
    """(career level, competency, level, self level, managers) summed over the given units' rows."""
    return db.session.execute(
        select(
            CohortLevel.career_level,
            CohortLevel.competency,
            CohortLevel.level,
            CohortLevel.self_level,
            func.sum(CohortLevel.managers),
        )
        .where(*conditions(units, career_level, months))
        .group_by(CohortLevel.career_level, CohortLevel.competency, CohortLevel.level, CohortLevel.self_level)
    ).all()
