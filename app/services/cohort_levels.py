"""The cohort counts behind HR's level, gap and calibration reports (`app.domain.cohort_cells`).

Kept additive: whatever changes a manager's profile, unit, career level or standing runs inside
`kept(user)`, which reads the manager's cells before and after and adds the difference in the same
transaction. A report then sums the rows of the units it covers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import delete, exists, func, insert, select

from app.domain import cohort_cells
from app.domain.cohort_cells import KEY_COLUMNS, ManagerState
from app.extensions import db
from app.models import CohortLevel, OrgUnit, ProfileScore, SelfScore, User, UserRole
from app.services import content_loader
from app.services.sql import upsert

CHUNK = 2000  # managers read at once by a rebuild


def _thresholds() -> Sequence[float]:
    return content_loader.current_bank().level_thresholds


def states(user_ids: Sequence[int]) -> dict[int, ManagerState]:
    """Each user's state as the counts see it (three queries)."""
    is_manager = exists().where(UserRole.user_id == User.id, UserRole.role == "manager")
    people = db.session.execute(
        select(User.id, User.active, is_manager, User.career_level, User.last_assessed_month, OrgUnit.path)
        .outerjoin(OrgUnit, OrgUnit.id == User.org_unit_id)
        .where(User.id.in_(user_ids))
    ).all()
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
    return {
        user_id: ManagerState(
            counted=bool(active and manager),
            units=cohort_cells.ancestors(path or ""),
            career_level=career_level,
            month=month,
            levels=levels.get(user_id, {}),
            self_scores=selves.get(user_id, {}),
        )
        for user_id, active, manager, career_level, month, path in people
    }


def counts_of(user_ids: Sequence[int], thresholds: Sequence[float] | None = None) -> Counter:
    if not user_ids:
        return Counter()
    return cohort_cells.total(states(user_ids).values(), thresholds or _thresholds())


@contextmanager
def kept(users: Iterable[User]) -> Iterator[None]:
    """Keep the counts right across whatever the block changes about these users."""
    users = list(users)
    before = counts_of([u.id for u in users if u.id is not None])
    yield
    db.session.flush()
    add(cohort_cells.difference(before, counts_of([u.id for u in users])))


def add(change: dict) -> None:
    """Add to the counts, creating rows as needed, in one atomic upsert (safe under concurrent scoring)."""
    if not change:
        return
    rows = [{**dict(zip(KEY_COLUMNS, key, strict=True)), "managers": n} for key, n in change.items()]
    statement = upsert(CohortLevel)
    table = CohortLevel.__table__
    statement = statement.on_conflict_do_update(
        index_elements=[table.c[name] for name in KEY_COLUMNS],
        set_={"managers": table.c.managers + statement.excluded.managers},
    )
    db.session.execute(statement, rows)


def recount(thresholds: Sequence[float] | None = None) -> Counter:
    """The counts recomputed from every user, a chunk of users at a time."""
    total: Counter = Counter()
    ids = list(db.session.scalars(select(User.id).order_by(User.id)))
    for start in range(0, len(ids), CHUNK):
        total.update(counts_of(ids[start : start + CHUNK], thresholds))
    return total


def rebuild(thresholds: Sequence[float] | None = None) -> int:
    """Replace the stored counts with a recount (after a bulk load, or when the level thresholds change)."""
    db.session.execute(delete(CohortLevel))
    counted = recount(thresholds)
    rows = [{**dict(zip(KEY_COLUMNS, key, strict=True)), "managers": n} for key, n in counted.items() if n]
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(CohortLevel), rows[start : start + 5000])
    return len(rows)


def stored() -> Counter:
    """The stored counts, without the rows that came back to zero (what a recount should equal)."""
    columns = [CohortLevel.__table__.c[name] for name in KEY_COLUMNS]
    return Counter(
        {tuple(row[:-1]): row[-1] for row in db.session.execute(select(*columns, CohortLevel.managers)) if row[-1]}
    )


def conditions(units: Sequence[int], career_level: str | None, months: tuple[int, int] | None) -> list:
    """The rows of these units, of one career level if given, with a latest assessment in `months`."""
    found = [CohortLevel.unit_id.in_(units), CohortLevel.managers != 0]
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
