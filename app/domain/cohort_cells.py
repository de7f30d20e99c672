"""What one manager adds to the cohort counts behind the HR reports.

Every report over many managers (levels and gaps, training needs, calibration) reads counts of
managers per org unit, career level, month of latest assessment, competency, measured level and
self-rated level. A manager is counted in their own unit, in each unit above it and in the whole
bank, so that any scope or unit filter is a sum over the rows of a few units, never a pass over
the managers. These are pure functions: the service diffs a manager's cells before and after a
change and adds the difference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from app.domain.framework import level_for_score

WHOLE_BANK = 0  # the unit id of the row every manager counts in, with or without a unit
HEADCOUNT = "*"  # the competency of the row that counts managers, whatever was measured
INSUFFICIENT = 0  # the level of a score with too little evidence for a level
NO_SELF_VIEW = 0  # the self level of a manager who has not rated themselves on the competency

# (unit id, career level or "", month yyyymm or 0, competency, level, self level)
Key = tuple[int, str, int, str, int, int]
KEY_COLUMNS = ("unit_id", "career_level", "month", "competency", "level", "self_level")
# (assignment id, unit id, career level or "", completed): the recipients of an assignment
AssignmentKey = tuple[int, int, str, bool]
ASSIGNMENT_COLUMNS = ("assignment_id", "unit_id", "career_level", "completed")


@dataclass(frozen=True)
class ManagerState:
    """What the counts need to know about one manager; `counted` is False for anyone the reports
    leave out (inactive, or not a manager)."""

    counted: bool
    units: tuple[int, ...] = ()  # the manager's unit and every unit above it
    career_level: str | None = None
    month: int | None = None  # of the latest scored attempt, yyyymm
    levels: Mapping[str, int | None] = field(default_factory=dict)  # per measured competency
    self_scores: Mapping[str, float] = field(default_factory=dict)
    assignments: Mapping[int, bool] = field(default_factory=dict)  # received → completed


def cells(state: ManagerState, thresholds: Sequence[float]) -> Counter[Key]:
    """The rows this manager counts one in."""
    counted: Counter[Key] = Counter()
    if not state.counted:
        return counted
    career, month = state.career_level or "", state.month or 0
    for unit in (WHOLE_BANK, *state.units):
        counted[(unit, career, month, HEADCOUNT, INSUFFICIENT, NO_SELF_VIEW)] += 1
        for code, level in state.levels.items():
            rated = state.self_scores.get(code)
            self_level = NO_SELF_VIEW if rated is None else level_for_score(rated, thresholds)
            counted[(unit, career, month, code, level or INSUFFICIENT, self_level)] += 1
    return counted


def assignment_cells(state: ManagerState) -> Counter[AssignmentKey]:
    """The assignment rows this manager counts one in: each assignment they received, completed or not."""
    counted: Counter[AssignmentKey] = Counter()
    if not state.counted:
        return counted
    career = state.career_level or ""
    for unit in (WHOLE_BANK, *state.units):
        for assignment, completed in state.assignments.items():
            counted[(assignment, unit, career, completed)] += 1
    return counted


def difference(before: Mapping[Key, int], after: Mapping[Key, int]) -> dict[Key, int]:
    """What to add to the stored counts to go from `before` to `after` (no zero entries)."""
    change = {key: after.get(key, 0) - before.get(key, 0) for key in {*before, *after}}
    return {key: n for key, n in change.items() if n}


def total(states: Iterable[ManagerState], thresholds: Sequence[float]) -> tuple[Counter, Counter]:
    """The level counts and the assignment counts of many managers, from scratch."""
    levels: Counter[Key] = Counter()
    assignments: Counter[AssignmentKey] = Counter()
    for state in states:
        levels.update(cells(state, thresholds))
        assignments.update(assignment_cells(state))
    return levels, assignments


def ancestors(path: str) -> tuple[int, ...]:
    """A unit's id and those above it, from its path ('/1/4/9/' → (1, 4, 9))."""
    return tuple(int(part) for part in path.strip("/").split("/") if part)
