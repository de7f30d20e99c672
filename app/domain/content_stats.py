"""Coverage of the bank per competency: where trainers see the thin spots."""

from __future__ import annotations

from app.domain.content_schema import Bank
from app.domain.framework import COMPETENCY_CODES
from app.domain.scenarios import best_points

JUDGEMENT_TYPES = ("single_choice", "best_worst", "rank", "rating", "multi_select")
MEASURED_TYPES = JUDGEMENT_TYPES + ("numeric",)


def coverage(bank: Bank) -> dict[str, dict]:
    """Per competency: measured items by type, scenarios, self-assessment statements, open tasks."""
    result = {
        code: {
            "items": dict.fromkeys(MEASURED_TYPES, 0),
            "judgement_items": 0,
            "scenarios": [],
            "self_assessment": 0,
            "open_tasks": [],
        }
        for code in COMPETENCY_CODES
    }
    for item_id, item in sorted(bank.items.items()):
        kind = item["type"]
        if kind in MEASURED_TYPES:
            for code in item["competencies"]:
                result[code]["items"][kind] += 1
                result[code]["judgement_items"] += kind in JUDGEMENT_TYPES
        elif kind == "likert":
            result[item["competency"]]["self_assessment"] += 1
        elif kind == "open_response" and item["rubric"] in bank.rubrics:
            codes = {c for criterion in bank.rubrics[item["rubric"]]["criteria"] for c in criterion["competencies"]}
            for code in sorted(codes):
                result[code]["open_tasks"].append(item_id)
    for exercise_id, exercise in sorted(bank.exercises.items()):
        if exercise["kind"] == "scenario":
            for code in best_points(exercise):
                result[code]["scenarios"].append(exercise_id)
    return result
