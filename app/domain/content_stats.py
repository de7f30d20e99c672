"""Coverage of the bank per competency: where trainers see the thin spots."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.domain import items
from app.domain.content_schema import Bank
from app.domain.framework import COMPETENCY_CODES
from app.domain.scenarios import best_points, decisions_on_longest_path

KINDS = ("quiz", "scenario", "written_task", "self_assessment")  # in the order a practice list shows them


@dataclass(frozen=True)
class ExerciseSummary:
    """What a manager wants to know before starting: what kind of exercise, how long, what it measures."""

    kind: str  # one of KINDS: a quiz of written answers only is a written task
    length: int  # items drawn, statements, or the decisions on the longest path of a scenario
    competencies: tuple[str, ...]  # the most evidence first


def summarise(exercise: Mapping, bank: Bank) -> ExerciseSummary:
    if exercise["kind"] == "scenario":
        return ExerciseSummary("scenario", decisions_on_longest_path(exercise), _by_weight(best_points(exercise)))
    keys = list(exercise.get("items") or []) + [k for pool in exercise.get("draw") or [] for k in pool["from"]]
    found = [bank.items[k] for k in keys if k in bank.items]
    measured: dict[str, float] = {}
    for item in found:
        weights = item.get("competencies") or dict.fromkeys(items.measures(item, bank.rubrics), 1)
        for code, weight in weights.items():
            measured[code] = measured.get(code, 0) + weight
    length = sum(pool["count"] for pool in exercise["draw"]) if exercise.get("draw") else len(exercise.get("items", []))
    if exercise["kind"] == "self_assessment":
        kind = "self_assessment"
    elif found and all(item["type"] in items.GRADED for item in found):
        kind = "written_task"
    else:
        kind = "quiz"
    return ExerciseSummary(kind, length, _by_weight(measured))


def _by_weight(weights: Mapping[str, float]) -> tuple[str, ...]:
    """Most evidence first; ties in the framework's order."""
    return tuple(sorted(weights, key=lambda code: (-weights[code], COMPETENCY_CODES.index(code))))


def coverage(bank: Bank) -> dict[str, dict]:
    """Per competency: measured items by type, scenarios, self-assessment statements, open tasks."""
    result = {
        code: {
            "items": dict.fromkeys(items.SCORED, 0),
            "judgement_items": 0,
            "scenarios": [],
            "self_assessment": 0,
            "open_tasks": [],
        }
        for code in COMPETENCY_CODES
    }
    for item_id, item in sorted(bank.items.items()):
        kind = item["type"]
        for code in items.measures(item, bank.rubrics):
            if kind in items.SCORED:
                result[code]["items"][kind] += 1
                result[code]["judgement_items"] += kind in items.JUDGEMENT
            elif kind in items.SELF_RATED:
                result[code]["self_assessment"] += 1
            else:
                result[code]["open_tasks"].append(item_id)
    for exercise_id, exercise in sorted(bank.exercises.items()):
        if exercise["kind"] == "scenario":
            for code in best_points(exercise):
                result[code]["scenarios"].append(exercise_id)
    return result
