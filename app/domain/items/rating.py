"""Rate each response's effectiveness 1..5: s = 1 − mean(|rating − key rating|) / 4."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from app.domain.items.base import (
    Base,
    Fields,
    numbers_beside_options,
    option_keys,
    options_item,
    options_schema,
    top_options,
)

SCALE = range(1, 6)
RATING = {"type": "integer", "minimum": 1, "maximum": 5, "description": "The experts' effectiveness rating, 1–5."}


class Rating(Base):
    name = "rating"
    position = 40
    judgement = True

    def example(self) -> dict:
        return options_item(self.name, [("a", 5), ("b", 2), ("c", 1), ("d", 4)], "rating")

    def schema(self) -> dict:
        return {"required": ["options"], "properties": {"options": options_schema(1, "rating", RATING)}}

    def parse(self, item: Mapping, fields: Fields, option_ids: Sequence[str], locale: str):
        """A grid may be saved half-rated (it is then not complete)."""
        numbers = numbers_beside_options(item, fields, option_ids) or {}
        given = {option: n for option, n in numbers.items() if n in SCALE}
        return (given or None), None

    def is_complete(self, item: Mapping, value, option_ids: Sequence[str]) -> bool:
        return value is not None and set(value) == set(option_ids)

    def score(self, item: Mapping, value) -> float:
        """An option left unrated counts as the worst miss (4)."""
        keys = option_keys(item, "rating")
        if not isinstance(value, Mapping) or not value:
            return 0.0
        misses = [
            abs(value[o] - k) if isinstance(value.get(o), int) and value[o] in SCALE else 4 for o, k in keys.items()
        ]
        return 1 - (sum(misses) / len(misses)) / 4

    def best_options(self, item: Mapping) -> set[str]:
        return top_options(item, "rating")

    def keyed_answer(self, item: Mapping):
        return {o["id"]: o["rating"] for o in item["options"]}

    def mark(self, value, option_id: str):
        if isinstance(value, Mapping) and option_id in value:
            return "rating", value[option_id]
        return None, None

    def key_mark(self, item: Mapping, option_id: str):
        return "rating", option_keys(item, "rating")[option_id]

    def simulate(self, item: Mapping, skill: float, rng: random.Random):
        return {
            o["id"]: o["rating"] if rng.random() < skill else min(5, max(1, o["rating"] + rng.choice((-2, -1, 1, 2))))
            for o in item["options"]
        }


TYPE = Rating()
