"""Agreement between two graders over the same responses (issue 10: moderation).

Each pair is (first grader's points, second grader's points) on one criterion of one response.
Exact agreement counts equal points, adjacent agreement points at most one level apart, and
Cohen's quadratic-weighted kappa corrects for the agreement two graders would reach by chance
given how often each uses each level (Cohen 1968; the weights (i − j)² / (k − 1)²).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

Pair = tuple[int, int]


@dataclass(frozen=True)
class Agreement:
    pairs: int
    exact: float | None  # share of pairs with the same level, 0..1
    adjacent: float | None  # share at most one level apart (exact included)
    kappa: float | None  # None while it is undefined (no pairs, or no spread to correct for)


def quadratic_kappa(pairs: Sequence[Pair], categories: Sequence[int] | None = None) -> float | None:
    """Cohen's quadratic-weighted kappa: 1 − Σ w·observed / Σ w·expected.

    `categories` are the levels a criterion offers, in order (by default every whole number from
    the lowest to the highest given). Undefined (None) when there is nothing to correct for: no
    pairs, or both graders gave one same level to all.
    """
    if not pairs:
        return None
    levels = _levels(pairs, categories)
    if len(levels) < 2:
        return None
    index = {level: i for i, level in enumerate(levels)}
    span = (len(levels) - 1) ** 2
    n = len(pairs)
    first = Counter(index[a] for a, _ in pairs)
    second = Counter(index[b] for _, b in pairs)
    observed = sum((index[a] - index[b]) ** 2 for a, b in pairs) / span / n
    expected = sum(first[i] * second[j] * (i - j) ** 2 for i in first for j in second) / span / (n * n)
    if expected == 0:
        return None
    return 1 - observed / expected


def agreement(pairs: Sequence[Pair], categories: Sequence[int] | None = None) -> Agreement:
    """Exact and adjacent agreement and quadratic-weighted kappa over the pairs.

    Levels are compared by their position in `categories` (in a criterion scored 0, 2, 4, the
    points 2 and 4 are adjacent).
    """
    if not pairs:
        return Agreement(0, None, None, None)
    position = {level: i for i, level in enumerate(_levels(pairs, categories))}
    n = len(pairs)
    return Agreement(
        n,
        sum(1 for a, b in pairs if a == b) / n,
        sum(1 for a, b in pairs if abs(position[a] - position[b]) <= 1) / n,
        quadratic_kappa(pairs, categories),
    )


def _levels(pairs: Sequence[Pair], categories: Sequence[int] | None) -> list[int]:
    if categories is not None:
        return sorted(set(categories))
    given = [v for pair in pairs for v in pair]
    return list(range(min(given), max(given) + 1))
