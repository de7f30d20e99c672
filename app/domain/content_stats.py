"""Coverage of the bank per competency: where trainers see the thin spots."""

from __future__ import annotations

from app.domain import items
from app.domain.content_schema import Bank
from app.domain.framework import COMPETENCY_CODES
from app.domain.scenarios import best_points


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
