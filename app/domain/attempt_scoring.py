"""From item scores to an attempt's per-competency scores, and the self-rated scores (domain.md §3)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from app.domain import items
from app.domain.scenarios import score_path


@dataclass(frozen=True)
class Evidence:
    """One item's (or scenario's) evidence for one competency: its weight w_ic and score s_i."""

    competency: str
    weight: float
    score: float


@dataclass(frozen=True)
class CompetencyScore:
    score: float  # A_c in [0, 1]
    weight: float  # W_c, the evidence weight behind it


def aggregate(evidence: Iterable[Evidence]) -> dict[str, CompetencyScore]:
    """A_c = Σ w_ic·s_i / Σ w_ic over the evidence for c; W_c = Σ w_ic."""
    weighted: dict[str, float] = {}
    weights: dict[str, float] = {}
    for e in evidence:
        weighted[e.competency] = weighted.get(e.competency, 0.0) + e.weight * e.score
        weights[e.competency] = weights.get(e.competency, 0.0) + e.weight
    return {c: CompetencyScore(weighted[c] / weights[c], weights[c]) for c in sorted(weights) if weights[c] > 0}


def item_evidence(weights: Mapping[str, float], score: float) -> list[Evidence]:
    """A machine-scored item is evidence, with its one score, for each competency it weights."""
    return [Evidence(code, weight, score) for code, weight in weights.items()]


def scenario_evidence(
    scenario: Mapping, path: list[tuple[str, str]], best: Mapping[str, float] | None = None
) -> list[Evidence]:
    """A branching scenario counts as one item per competency it measures, weighted by the exercise (default 1)."""
    weights = scenario.get("weights") or {}
    scores = score_path(scenario, path, best).scores
    return [Evidence(code, weights.get(code, 1), value) for code, value in scores.items()]


@dataclass(frozen=True)
class AttemptOutcome:
    """What submitting an attempt decides: each answered item's score and, unless written
    answers wait for a grader, the per-competency scores."""

    item_scores: dict[str, float] = field(default_factory=dict)
    scores: dict[str, CompetencyScore] = field(default_factory=dict)
    awaiting_grading: bool = False


def score_attempt(
    exercise: Mapping,
    planned: Sequence[tuple[str, Mapping]],
    answers: Mapping[str, object],
    decisions: Sequence[tuple[str, str]] = (),
    rubrics: Mapping[str, Mapping] | None = None,
    grades: Mapping[str, Mapping[str, float]] | None = None,
    best: Mapping[str, float] | None = None,
) -> AttemptOutcome:
    """Score a submitted attempt: the one path for the player, the graders and synthetic managers.

    `planned` holds (item id, item) in the attempt's order and `answers` the stored answer per
    item id. A quiz's rule-scored items are scored (blank as 0). A written item is evidence
    through its rubric: graded with the points in `grades` (item id → criterion → points), or
    blank and so 0 on every criterion; an answered one not graded yet makes the attempt wait.
    A scenario scores its path (against `best`, its best points, where the caller keeps them); a
    self-assessment measures nothing.
    """
    if exercise["kind"] == "scenario":
        return AttemptOutcome(scores=aggregate(scenario_evidence(exercise, list(decisions), best)))
    if exercise["kind"] != "quiz":
        return AttemptOutcome()
    rubrics, grades = rubrics or {}, grades or {}
    evidence: list[Evidence] = []
    item_scores: dict[str, float] = {}
    waiting = False
    for key, item in planned:
        if item["type"] in items.GRADED:
            if key in answers and key not in grades:
                waiting = True
            elif item["rubric"] in rubrics:
                given = grades.get(key, {}) if key in answers else {}
                evidence += rubric_evidence(rubrics[item["rubric"]], given)
                if key in answers:
                    item_scores[key] = rubric_total(rubrics[item["rubric"]], given)
        elif items.is_scored(item):
            value = items.score(item, answers.get(key))
            if key in answers:
                item_scores[key] = value
            evidence += item_evidence(item["competencies"], value)
    if waiting:
        return AttemptOutcome(item_scores, awaiting_grading=True)
    return AttemptOutcome(item_scores, aggregate(evidence))


def rubric_evidence(rubric: Mapping, grades: Mapping[str, float]) -> list[Evidence]:
    """An open response graded on a rubric.

    Per competency c: s_c = Σ w_kc·points_k / Σ w_kc·max_k over the criteria k mapped to c,
    and the item's weight for c is Σ w_kc. An ungraded criterion counts as 0 points.
    """
    earned: dict[str, float] = {}
    possible: dict[str, float] = {}
    weight: dict[str, float] = {}
    for criterion in rubric["criteria"]:
        top = max(level["points"] for level in criterion["levels"])
        points = grades.get(criterion["id"], 0)
        for code, w in criterion["competencies"].items():
            earned[code] = earned.get(code, 0.0) + w * points
            possible[code] = possible.get(code, 0.0) + w * top
            weight[code] = weight.get(code, 0.0) + w
    return [
        Evidence(code, weight[code], earned[code] / possible[code] if possible[code] else 0.0)
        for code in sorted(weight)
    ]


def rubric_total(rubric: Mapping, grades: Mapping[str, float]) -> float:
    """A graded answer's item score s in [0, 1]: Σ points / Σ max points over the criteria (domain.md §2)."""
    top = sum(max(level["points"] for level in c["levels"]) for c in rubric["criteria"])
    return sum(grades.get(c["id"], 0) for c in rubric["criteria"]) / top if top else 0.0


def self_rated(answers: Iterable[tuple[str, int, bool]]) -> dict[str, float]:
    """Mean of the Likert answers per competency (reverse keys flipped: 6 − a), mapped to 0–100.

    `answers` holds (competency, agreement 1..5, reverse-keyed?) for the manager's latest answers.
    """
    totals: dict[str, list[int]] = {}
    for competency, agreement, reverse in answers:
        totals.setdefault(competency, []).append(6 - agreement if reverse else agreement)
    return {c: (sum(v) / len(v) - 1) / 4 * 100 for c, v in sorted(totals.items())}
