"""How reliable a scored diagnostic is, estimated on synthetic managers (issue 12).

Every simulated manager answers every item the diagnostic can draw, through the same model as
`flask demo generate` (domain/synthetic.py) and the real scoring rules. Cronbach's alpha is
computed over the whole pool, per competency over that competency's items, and then for the
number of items an attempt actually draws by the Spearman–Brown formula (a drawn form is a
random subset of parallel items).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

from app.domain import items, synthetic
from app.domain.item_analysis import cronbach_alpha


@dataclass(frozen=True)
class Reliability:
    scope: str  # "all" or a competency code
    pool: int  # items the diagnostic can draw for it
    drawn: int  # items one attempt draws for it
    alpha_pool: float | None
    alpha_drawn: float | None


def spearman_brown(alpha: float, factor: float) -> float:
    """The reliability of a test `factor` times as long, made of parallel items."""
    return factor * alpha / (1 + (factor - 1) * alpha)


def _main_competency(item: Mapping) -> str:
    weights = item.get("competencies") or {}
    return max(sorted(weights), key=lambda code: weights[code])


def estimate(exercise: Mapping, bank_items: Mapping[str, Mapping], career_level: str, managers: int, seed: int = 7):
    """Alpha over all, then per competency (the main competency of each drawn group's items)."""
    rng = random.Random(seed)  # noqa: S311  (a reproducible simulation, not security)
    groups = [(pool["count"], list(pool["from"])) for pool in exercise.get("draw", [])]
    keys = [key for _count, pool in groups for key in pool]
    rows = []
    for _ in range(managers):
        traits = synthetic.draw_traits(rng, career_level)
        rows.append(
            {key: items.score(bank_items[key], synthetic.answer(bank_items[key], traits, 0, rng)) for key in keys}
        )
    result = [_reliability("all", rows, keys, sum(count for count, _pool in groups))]
    by_code: dict[str, tuple[int, list[str]]] = {}
    for count, pool in groups:
        code = _main_competency(bank_items[pool[0]])
        drawn, members = by_code.get(code, (0, []))
        by_code[code] = (drawn + count, members + pool)
    for code, (drawn, members) in sorted(by_code.items()):
        result.append(_reliability(code, rows, members, drawn))
    return result


def _reliability(scope: str, rows: list[dict], keys: list[str], drawn: int) -> Reliability:
    alpha = cronbach_alpha(rows, keys)
    shortened = spearman_brown(alpha, drawn / len(keys)) if alpha is not None and alpha > 0 else alpha
    return Reliability(scope, len(keys), drawn, alpha, shortened)
