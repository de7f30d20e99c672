"""Which items work: classical item analysis over the graded attempts a viewer may see."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.domain import item_sums
from app.domain.item_analysis import ItemStatistics, OptionTally
from app.extensions import db
from app.models import ItemSetItemSum, ItemSetSum, ItemSum, OptionCount, User
from app.services import reports
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
    """Facility, discrimination, option choices and alpha for one exercise, summed from the kept
    item sums of the units the viewer may see (three grouped queries, whatever the attempts)."""
    document = exercise_document(exercise_key)
    units = reports.report_units(viewer, reports.ReportFilters())
    per_item: dict[str, list[float]] = {}
    answered: dict[str, int] = {}
    for key, count, *values in db.session.execute(
        select(ItemSum.item_key, *_summed(ItemSum, ("answered", *item_sums.ITEM_SUMS)))
        .where(ItemSum.exercise_id == document.id, ItemSum.unit_id.in_(units))
        .group_by(ItemSum.item_key)
    ):
        answered[key] = int(count)
        per_item[key] = values
    sets = db.session.execute(
        select(ItemSetSum.item_set, ItemSetSum.keys, *_summed(ItemSetSum, item_sums.SET_SUMS))
        .where(ItemSetSum.exercise_id == document.id, ItemSetSum.unit_id.in_(units))
        .group_by(ItemSetSum.item_set, ItemSetSum.keys)
    ).all()
    per_set = {
        (signature, key): values
        for signature, key, *values in db.session.execute(
            select(ItemSetItemSum.item_set, ItemSetItemSum.item_key, *_summed(ItemSetItemSum, ("n", "sx", "sxx")))
            .where(ItemSetItemSum.exercise_id == document.id, ItemSetItemSum.unit_id.in_(units))
            .group_by(ItemSetItemSum.item_set, ItemSetItemSum.item_key)
        )
    }
    options: dict[str, dict[str, item_sums.OptionSums]] = {}
    for key, option, mark, count, number_total, numbers in db.session.execute(
        select(
            OptionCount.item_key,
            OptionCount.option,
            OptionCount.mark,
            *_summed(OptionCount, ("answers", "number_total", "numbers")),
        )
        .where(OptionCount.exercise_id == document.id, OptionCount.unit_id.in_(units))
        .group_by(OptionCount.item_key, OptionCount.option, OptionCount.mark)
    ):
        cell = options.setdefault(key, {}).setdefault(option, item_sums.OptionSums({}))
        cell.marks[mark] = int(count)
        cell.number_total += number_total or 0.0
        cell.numbers += int(numbers or 0)
    bank = current_bank()
    place = {key: n for n, key in enumerate(_item_order(document.current.body))}
    rows_out = []
    for key, summed in per_item.items():
        item = bank.items.get(key)
        tallies = item_sums.tallies(item, options.get(key, {})) if item is not None else []
        stats = item_sums.statistics(key, summed)
        rows_out.append(ItemRow(key, item, stats, answered.get(key, 0), tallies, place.get(key, len(place))))
    rows_out.sort(key=lambda r: (not r.stats.flags, r.position, r.key) if flagged_first else (r.position, r.key))
    attempts = sum(int(n) for _signature, _keys, n, _st, _stt in sets)
    return Analysis(document.current.body, attempts, item_sums.complete_alpha(sets, set(per_item), per_set), rows_out)


def _summed(model, columns):
    return [func.sum(model.__table__.c[column]) for column in columns]
