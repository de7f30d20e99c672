"""Item types: one module per type behind one protocol (`base.ItemType`), found by this registry.

Adding a type is one module here that defines `TYPE`, one template (`templates/items/<name>.html`
with its `label`, `player` and `review` macros), its translations and its tests. Everything
else — answer parsing, scoring, the content schema, validation, the review, item analysis,
synthetic answers — dispatches through the functions below.
"""

from __future__ import annotations

import importlib
import pkgutil
import random
from collections.abc import Mapping, Sequence

from app.domain.items.base import Fields, ItemType


def _discover() -> dict[str, ItemType]:
    """Every module here but `base`, in the order of their `position`."""
    found = [
        importlib.import_module(f"{__name__}.{m.name}").TYPE for m in pkgutil.iter_modules(__path__) if m.name != "base"
    ]
    return {t.name: t for t in sorted(found, key=lambda t: (t.position, t.name))}


TYPES: dict[str, ItemType] = _discover()
SCORED = tuple(name for name, t in TYPES.items() if t.evidence == "scored")
JUDGEMENT = tuple(name for name, t in TYPES.items() if t.judgement)
SELF_RATED = tuple(name for name, t in TYPES.items() if t.evidence == "self_rated")
GRADED = tuple(name for name, t in TYPES.items() if t.evidence == "graded")


def of(item: Mapping) -> ItemType:
    return TYPES[item["type"]]


def measures(item: Mapping, rubrics: Mapping[str, Mapping]) -> list[str]:
    return of(item).measures(item, rubrics)


def parse(item: Mapping, fields: Fields, option_ids: Sequence[str], locale: str = "es"):
    """(value, problem) for one item from the submitted fields named after the item's id."""
    return of(item).parse(item, fields, option_ids, locale)


def is_complete(item: Mapping, value, option_ids: Sequence[str]) -> bool:
    return value is not None and of(item).is_complete(item, value, option_ids)


def is_scored(item: Mapping) -> bool:
    """Scored by a rule when the attempt is submitted (not a written task, not a statement)."""
    return of(item).evidence == "scored"


def score(item: Mapping, value) -> float:
    """s in [0, 1] of a rule-scored item; a blank or malformed answer scores 0."""
    return of(item).score(item, value)


def keyed_answer(item: Mapping):
    return of(item).keyed_answer(item)


def mark(item: Mapping, value, option_id: str) -> tuple[str | None, object]:
    return (None, None) if value is None else of(item).mark(value, option_id)


def key_mark(item: Mapping, option_id: str) -> tuple[str | None, object]:
    return of(item).key_mark(item, option_id)


def simulate(item: Mapping, skill: float, rng: random.Random):
    return of(item).simulate(item, skill, rng)


def chosen(item: Mapping, value) -> list[str]:
    return [] if value is None else of(item).chosen(value)


def best_options(item: Mapping) -> set[str]:
    return of(item).best_options(item)
