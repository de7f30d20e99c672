"""Item analysis from sufficient statistics (domain.md §4), so that any scope is a sum of stored rows.

Each scored attempt adds, per analysed item, n, Σx, Σx², Σrest, Σrest², Σx·rest (x: the item's
score in [0, 1]; rest: the attempt's other items), and per attempt n, ΣT, ΣT² of its total, under
the set of items it was given; and per option what the answers did with it. Facility,
discrimination (the item–rest correlation) and Cronbach's alpha come back out of the sums exactly
as `item_analysis` computes them from the raw table.
"""

from __future__ import annotations

import hashlib
import math
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.domain import cohort_cells, items
from app.domain.item_analysis import VARIANCE_FLOOR, ItemStatistics, OptionTally, flags

ITEM_SUMS = ("n", "sx", "sxx", "sr", "srr", "sxr")
SET_SUMS = ("n", "st", "stt")


def item_set(keys: Iterable[str]) -> tuple[str, str]:
    """A signature of the items an attempt was given, and their keys as text (sorted, one per line)."""
    text = "\n".join(sorted(keys))
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest(), text


def attempt_sums(row: Mapping[str, float]) -> tuple[dict[str, tuple], tuple]:
    """One attempt's contribution: per item (n, Σx, Σx², Σrest, Σrest², Σx·rest), and (n, ΣT, ΣT²)."""
    total = sum(row.values())
    per_item = {}
    for key, x in row.items():
        rest = total - x
        per_item[key] = (1, x, x * x, rest, rest * rest, x * rest)
    return per_item, (1, total, total * total)


def option_marks(item: Mapping, value) -> list[tuple[str, str, float | None]]:
    """What one answer did with each option: (option, mark, number) through the item type's `mark`."""
    found = []
    for option in item.get("options", []):
        mark, number = items.mark(item, value, option["id"])
        if mark:
            found.append((option["id"], mark, float(number) if isinstance(number, int | float) else None))
    return found


def _variance(n: float, s: float, ss: float) -> float:
    return (ss - s * s / n) / (n - 1) if n >= 2 else 0.0


def statistics(key: str, sums: Sequence[float]) -> ItemStatistics:
    """Facility and discrimination of one item from its summed (n, Σx, Σx², Σrest, Σrest², Σx·rest)."""
    n, sx, sxx, sr, srr, sxr = sums
    n = int(round(n))
    facility = sx / n if n else None
    discrimination = None
    if n >= 2:
        vx, vr = _variance(n, sx, sxx), _variance(n, sr, srr)
        if vx > VARIANCE_FLOOR and vr > VARIANCE_FLOOR:
            discrimination = (sxr - sx * sr / n) / (n - 1) / math.sqrt(vx * vr)
    return ItemStatistics(key, n, facility, discrimination, flags(n, facility, discrimination))


def alpha(k: int, attempts: Sequence[float], per_item: Iterable[Sequence[float]]) -> float | None:
    """Cronbach's alpha over the attempts given all k items: (n, ΣT, ΣT²) of their totals and each
    item's (n, Σx, Σx², …) over the same attempts."""
    n, st, stt = attempts
    if k < 2 or n < 2:
        return None
    total_variance = _variance(n, st, stt)
    if total_variance <= VARIANCE_FLOOR:
        return None
    item_variance = sum(_variance(n, sums[1], sums[2]) for sums in per_item)
    return k / (k - 1) * (1 - item_variance / total_variance)


def complete_alpha(sets: Iterable[Sequence], seen: set[str], per_set: Mapping[tuple[str, str], Sequence[float]]):
    """Alpha over the attempts given every item seen, as `item_analysis.cronbach_alpha` takes the raw
    table: the one item set holding them all, if attempts had it. `sets` holds (signature, keys as
    text, n, ΣT, ΣT²); `per_set` (signature, item) → the item's sums within that set."""
    for signature, keys, *totals in sets:
        if set(keys.split("\n")) == seen:
            return alpha(len(seen), totals, [per_set[(signature, key)] for key in seen])
    return None


@dataclass
class OptionSums:
    marks: dict[str, int]
    number_total: float = 0.0
    numbers: int = 0


def tallies(item: Mapping, counted: Mapping[str, OptionSums]) -> list[OptionTally]:
    """The per-option tallies in the item's order, from summed marks."""
    result = []
    for option in item.get("options", []):
        sums = counted.get(option["id"], OptionSums({}))
        mean = sums.number_total / sums.numbers if sums.numbers else None
        result.append(OptionTally(option["id"], dict(sums.marks), mean, items.key_mark(item, option["id"])))
    return result


# Each table: its key columns (what a row is the sum for), then the sums it keeps.
TABLES = {
    "item_sums": (("exercise_id", "unit_id", "month", "item_key"), ("answered", *ITEM_SUMS)),
    "item_set_sums": (("exercise_id", "unit_id", "month", "item_set"), SET_SUMS),  # "": the incomplete attempts
    "item_set_item_sums": (("exercise_id", "unit_id", "month", "item_set", "item_key"), ("n", "sx", "sxx")),
    "option_counts": (
        ("exercise_id", "unit_id", "month", "item_key", "option", "mark"),
        ("answers", "number_total", "numbers"),
    ),
}


class Tables:
    """Contributions gathered in memory, per table and key (see TABLES)."""

    def __init__(self) -> None:
        self.cells: dict[str, dict[tuple, list]] = {name: {} for name in TABLES}
        self.keys: dict[str, str] = {}  # an item set's signature → its keys as text

    def add_attempt(
        self,
        exercise_id: int,
        units: Iterable[int],
        month: int,
        given: list[tuple[str, dict, float, object]],
        complete: bool,
    ) -> None:
        """`given`: (item key, item body as answered, score, value) for each analysed item of the plan;
        `complete` when the attempt was given every item of its exercise (no random draw): alpha is
        computed over those alone, each set of items (an exercise version's) apart."""
        per_item, totals = attempt_sums({key: score for key, _body, score, _value in given})
        answered = {key for key, _body, _score, value in given if value is not None}
        marks = [(key, option_marks(body, value)) for key, body, _score, value in given if value is not None]
        # Every attempt counts in a set's row (the page's attempt count); the incomplete ones share
        # the set "", which alpha never reads.
        signature, keys = item_set(per_item) if complete else ("", "")
        self.keys[signature] = keys
        cells = self.cells  # looked up once: a bulk load adds millions of contributions
        item_cells, set_cells = cells["item_sums"], cells["item_set_sums"]
        set_item_cells, option_cells = cells["item_set_item_sums"], cells["option_counts"]
        for unit in units:
            where = (exercise_id, unit, month)
            for key, values in per_item.items():
                _accumulate(item_cells, (*where, key), (int(key in answered), *values))
                if complete:
                    _accumulate(set_item_cells, (*where, signature, key), values[:3])
            _accumulate(set_cells, (*where, signature), totals)
            for key, found in marks:
                for option, mark, number in found:
                    counted = (1, number or 0.0, int(number is not None))
                    _accumulate(option_cells, (*where, key, option, mark), counted)

    def rows(self) -> dict[str, list[dict]]:
        """Per table, its rows as column → value (an item set's row also carries its keys)."""
        result = {}
        for table, (key_columns, value_columns) in TABLES.items():
            result[table] = [
                {**dict(zip(key_columns, key, strict=True)), **dict(zip(value_columns, cell, strict=True))}
                for key, cell in self.cells[table].items()
            ]
        for row in result["item_set_sums"]:
            row["keys"] = self.keys[row["item_set"]]
        return result


def _accumulate(cells: dict[tuple, list], key: tuple, values: Sequence[float]) -> None:
    cell = cells.get(key)
    if cell is None:
        cells[key] = list(values)
    else:
        cell[:] = map(operator.add, cell, values)


def units_of(path: str | None) -> tuple[int, ...]:
    """Where an attempt counts: the whole bank, and the manager's unit with every unit above it."""
    return (cohort_cells.WHOLE_BANK, *cohort_cells.ancestors(path or ""))


def analysed(planned: Iterable, answers: Mapping[str, tuple[float | None, object]]) -> list[tuple]:
    """(key, body, score, value) for the plan's analysed items: written tasks left out, unanswered as 0."""
    result = []
    for key, body in planned:
        if body["type"] in items.GRADED:
            continue
        score, value = answers.get(key, (None, None))
        result.append((key, body, score if score is not None else 0.0, value))
    return result
