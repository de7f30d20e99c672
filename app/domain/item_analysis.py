"""Classical item analysis (domain.md §4): facility, discrimination, option frequencies,
Cronbach's alpha and the items to review.

Inputs are plain score tables: one row per graded attempt, one column per item, scores in
[0, 1] (None where the attempt did not include the item).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.domain import items

FLAG_MIN_ATTEMPTS = 30
FACILITY_RANGE = (0.2, 0.95)
DISCRIMINATION_MIN = 0.2
# Below this a variance is rounding (a rest computed as total − item), not spread: scores move in
# steps of at least 1/120, whose variance over a million attempts is still above 1e-11.
VARIANCE_FLOOR = 1e-12


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _sample_variance(values: Sequence[float]) -> float:
    if len(values) < 2:
        return 0.0
    mean = _mean(values)
    return sum((v - mean) ** 2 for v in values) / (len(values) - 1)


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson correlation with sample (n − 1) variances; None when either side does not vary."""
    n = len(xs)
    if n < 2:
        return None
    mx, my = _mean(xs), _mean(ys)
    covariance = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (n - 1)
    vx, vy = _sample_variance(xs), _sample_variance(ys)
    if vx <= VARIANCE_FLOOR or vy <= VARIANCE_FLOOR:
        return None
    return covariance / math.sqrt(vx * vy)


@dataclass(frozen=True)
class ItemStatistics:
    item: str
    attempts: int
    facility: float | None  # mean score
    discrimination: float | None  # correlation of the item with the rest of the exercise
    flags: tuple[str, ...]


def item_statistics(rows: Sequence[Mapping[str, float | None]], items: Sequence[str]) -> list[ItemStatistics]:
    """Facility and discrimination per item, from the attempts that included it.

    Discrimination is the Pearson correlation of the item's score with the sum of the other
    items' scores in the same attempt (the item removed), as Moodle computes its
    discrimination index (which is this × 100).
    """
    result = []
    totals = [sum(v for v in row.values() if v is not None) for row in rows]  # once, not once per item
    for item in items:
        taken = [(row[item], total) for row, total in zip(rows, totals, strict=True) if row.get(item) is not None]
        scores = [score for score, _total in taken]
        rest = [total - score for score, total in taken]
        facility = _mean(scores) if scores else None
        discrimination = pearson(scores, rest)
        result.append(
            ItemStatistics(item, len(taken), facility, discrimination, flags(len(taken), facility, discrimination))
        )
    return result


def flags(attempts: int, facility: float | None, discrimination: float | None) -> tuple[str, ...]:
    """Why an item needs review; only judged with enough attempts to mean something."""
    if attempts < FLAG_MIN_ATTEMPTS or facility is None:
        return ()
    found = []
    if facility < FACILITY_RANGE[0]:
        found.append("too_hard")
    if facility > FACILITY_RANGE[1]:
        found.append("too_easy")
    if discrimination is None or discrimination < DISCRIMINATION_MIN:
        found.append("low_discrimination")
    return tuple(found)


def cronbach_alpha(rows: Sequence[Mapping[str, float | None]], items: Sequence[str]) -> float | None:
    """α = k/(k − 1) · (1 − Σ var(item) / var(total)), over the attempts that took every item."""
    complete = [row for row in rows if all(row.get(i) is not None for i in items)]
    k = len(items)
    if k < 2 or len(complete) < 2:
        return None
    total_variance = _sample_variance([sum(row[i] for i in items) for row in complete])
    if total_variance <= VARIANCE_FLOOR:
        return None
    item_variance = sum(_sample_variance([row[i] for row in complete]) for i in items)
    return k / (k - 1) * (1 - item_variance / total_variance)


@dataclass(frozen=True)
class OptionTally:
    """What the answers to an item did with one option: how many marked it each way (chosen;
    best or worst; given a position, group or rating) and, for positions, groups and ratings,
    the mean they gave."""

    option: str
    marks: Mapping[str, int]
    mean: float | None
    key: tuple[str | None, object]  # what the experts' key says of the option (items.key_mark)


def option_tallies(item: Mapping, values: Iterable[object]) -> tuple[int, list[OptionTally]]:
    """(answers, a tally per option in the item's order) through the item type's own `mark`."""
    options = [o["id"] for o in item.get("options", [])]
    marks: dict[str, Counter] = {o: Counter() for o in options}
    numbers: dict[str, list[float]] = {o: [] for o in options}
    answered = 0
    for value in values:
        if value is None:
            continue
        answered += 1
        for option in options:
            mark, number = items.mark(item, value, option)
            if mark:
                marks[option][mark] += 1
                if isinstance(number, int | float):
                    numbers[option].append(number)
    tallies = [
        OptionTally(o, dict(marks[o]), _mean(numbers[o]) if numbers[o] else None, items.key_mark(item, o))
        for o in options
    ]
    return answered, tallies
