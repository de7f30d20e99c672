"""Which items work: classical item analysis over the graded attempts a viewer may see."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.domain.item_analysis import ItemStatistics, cronbach_alpha, item_statistics, option_frequencies
from app.extensions import db
from app.models import Answer, Attempt, User
from app.services import scope
from app.services.attempts import exercise_document
from app.services.content_loader import current_bank

CHOICE_TYPES = ("single_choice", "multi_select", "best_worst")


@dataclass
class ItemRow:
    key: str
    item: dict | None  # the current version, for its text and options
    stats: ItemStatistics
    options: dict[str, int]  # option id → how often chosen (the best, for best/worst)


@dataclass
class Analysis:
    exercise: dict
    attempts: int
    alpha: float | None
    items: list[ItemRow]


def analyse(viewer: User, exercise_key: str) -> Analysis:
    """Facility, discrimination, option choices and alpha for one exercise (three queries)."""
    document = exercise_document(exercise_key)
    visible = scope.restrict_to_scope(select(User.id), viewer).subquery()
    attempts = db.session.scalars(
        select(Attempt).where(
            Attempt.exercise_id == document.id, Attempt.status == "scored", Attempt.user_id.in_(select(visible.c.id))
        )
    ).all()
    answers = db.session.scalars(select(Answer).where(Answer.attempt_id.in_([a.id for a in attempts] or [-1]))).all()
    by_attempt: dict[int, dict[str, Answer]] = {}
    for answer in answers:
        by_attempt.setdefault(answer.attempt_id, {})[answer.item_key] = answer
    bank = current_bank()
    order: list[str] = []
    rows = []
    for attempt in attempts:
        given = by_attempt.get(attempt.id, {})
        row = {}
        for entry in attempt.plan:
            key = entry["key"]
            item = bank.items.get(key)
            if item is not None and item["type"] == "open_response":
                continue
            if key not in order:
                order.append(key)
            answer = given.get(key)
            row[key] = answer.score if answer is not None and answer.score is not None else 0.0
        rows.append(row)
    items = []
    for stats in item_statistics(rows, order):
        item = bank.items.get(stats.item)
        chosen = []
        if item is not None and item["type"] in CHOICE_TYPES:
            for attempt in attempts:
                answer = by_attempt.get(attempt.id, {}).get(stats.item)
                value = answer.value if answer is not None else None
                chosen.append(value.get("best") if isinstance(value, dict) else value)
        items.append(ItemRow(stats.item, item, stats, dict(option_frequencies(chosen))))
    return Analysis(document.current.body, len(attempts), cronbach_alpha(rows, order), items)
