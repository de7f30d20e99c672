"""Which items work: classical item analysis over the graded attempts a viewer may see."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.domain import items
from app.domain.attempt_status import AttemptStatus
from app.domain.item_analysis import ItemStatistics, OptionTally, cronbach_alpha, item_statistics, option_tallies
from app.extensions import db
from app.models import Answer, Attempt, User
from app.services import scope
from app.services.attempts import exercise_document
from app.services.content_loader import current_bank


@dataclass
class ItemRow:
    key: str
    item: dict | None  # the current version, for its text and options
    stats: ItemStatistics
    answered: int  # attempts that gave an answer
    options: list[OptionTally]  # in the item's order
    position: int  # in the exercise's own order (items, then each pool's)


@dataclass
class Analysis:
    exercise: dict
    attempts: int
    alpha: float | None
    items: list[ItemRow]


def _item_order(exercise: dict) -> list[str]:
    return list(exercise.get("items") or []) + [key for pool in exercise.get("draw") or [] for key in pool["from"]]


def analyse(viewer: User, exercise_key: str, flagged_first: bool = False) -> Analysis:
    """Facility, discrimination, option choices and alpha for one exercise (three queries, plain rows)."""
    document = exercise_document(exercise_key)
    visible = scope.restrict_to_scope(select(User.id), viewer).subquery()
    scored = select(Attempt.id).where(
        Attempt.exercise_id == document.id,
        Attempt.status == AttemptStatus.SCORED,
        Attempt.user_id.in_(select(visible.c.id)),
    )
    plans = db.session.execute(select(Attempt.id, Attempt.plan).where(Attempt.id.in_(scored))).all()
    given: dict[int, dict[str, tuple[float | None, object]]] = {}
    for attempt_id, key, score, value in db.session.execute(
        select(Answer.attempt_id, Answer.item_key, Answer.score, Answer.value).where(Answer.attempt_id.in_(scored))
    ):
        given.setdefault(attempt_id, {})[key] = (score, value)
    bank = current_bank()
    order: list[str] = []
    rows = []
    for attempt_id, plan in plans:
        answers = given.get(attempt_id, {})
        row = {}
        for entry in plan:
            key = entry["key"]
            item = bank.items.get(key)
            if item is not None and item["type"] in items.GRADED:
                continue  # a written answer is graded on its rubric, not analysed as an item
            if key not in order:
                order.append(key)
            score = answers.get(key, (None, None))[0]
            row[key] = score if score is not None else 0.0
        rows.append(row)
    place = {key: n for n, key in enumerate(_item_order(document.current.body))}
    rows_out = []
    for stats in item_statistics(rows, order):
        item = bank.items.get(stats.item)
        values = [given.get(attempt_id, {}).get(stats.item, (None, None))[1] for attempt_id, _plan in plans]
        answered, tallies = option_tallies(item, values) if item is not None else (0, [])
        rows_out.append(ItemRow(stats.item, item, stats, answered, tallies, place.get(stats.item, len(place))))
    rows_out.sort(key=lambda r: (not r.stats.flags, r.position) if flagged_first else (r.position,))
    return Analysis(document.current.body, len(plans), cronbach_alpha(rows, order), rows_out)
