"""The rules of grading written answers on a rubric (issue 10), without the database.

A written answer waits for a first grade. A share of responses (the exercise's
`moderation_percent`, and at least one per grader) also goes to a second grader, blind to the
first; when the two are two levels or more apart on any criterion a third grader resolves it.
The grade that counts is the resolver's, otherwise the first grader's. Levels are compared by
their position in the criterion, so a criterion scored 0, 2, 4 has 2 and 4 one level apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from app.domain.agreement import Agreement, Pair, agreement

RESOLVE_AT_LEVELS = 2


class Purpose(StrEnum):
    """Why a grade is given: the first grade, a moderator's blind second grade, a third grader's
    resolution of a disagreement, or a regrade of a released response."""

    FIRST = "first"
    SECOND = "second"
    RESOLVE = "resolve"
    REGRADE = "regrade"


class GradingState(StrEnum):
    WAITING = "waiting"  # a grade (first, second or resolving) is still to be given
    GRADED = "graded"  # the grade that counts is known; the manager does not see it yet
    RELEASED = "released"


def levels(criterion: Mapping) -> list:
    return [level["points"] for level in criterion["levels"]]


def problems(rubric: Mapping, points: Mapping[str, object], complete: bool) -> dict[str, str]:
    """{criterion id: problem} for a grade: a level that the criterion does not offer and, when
    the grade is to be submitted (`complete`), a criterion left ungraded."""
    found = {}
    for criterion in rubric["criteria"]:
        given = points.get(criterion["id"])
        if given is None:
            if complete:
                found[criterion["id"]] = "ungraded"
        elif given not in levels(criterion):
            found[criterion["id"]] = "unknown_level"
    return found


def level_gap(criterion: Mapping, a, b) -> int:
    order = levels(criterion)
    return abs(order.index(a) - order.index(b))


def disagreements(rubric: Mapping, first: Mapping, second: Mapping) -> list[str]:
    """The criteria on which two grades are RESOLVE_AT_LEVELS levels or more apart."""
    return [
        c["id"]
        for c in rubric["criteria"]
        if c["id"] in first and c["id"] in second and level_gap(c, first[c["id"]], second[c["id"]]) >= RESOLVE_AT_LEVELS
    ]


def sampled_for_moderation(grading_id: int, percent: int, grader_sampled_before: bool) -> bool:
    """Whether a first grade also goes to a second grader: a steady share `percent` of responses,
    spread evenly over their ids (Knuth's multiplicative hash), and a grader's first response
    whenever they have none in the sample yet (so every grader is moderated at least once)."""
    if percent <= 0:
        return False
    return not grader_sampled_before or (grading_id * 2654435761) % 2**32 < percent * 2**32 / 100


def criterion_agreement(criterion: Mapping, pairs: list[Pair]) -> Agreement:
    return agreement(pairs, levels(criterion))


def rubric_agreement(rubric: Mapping, pairs_by_criterion: Mapping[str, list[Pair]]) -> Agreement:
    """Over every criterion's pairs, each level taken as its position in its criterion, so
    criteria with different points still compare level with level."""
    pooled: list[Pair] = []
    for criterion in rubric["criteria"]:
        order = levels(criterion)
        pooled += [(order.index(a), order.index(b)) for a, b in pairs_by_criterion.get(criterion["id"], [])]
    most = max((len(levels(c)) for c in rubric["criteria"]), default=0)
    return agreement(pooled, range(most))
