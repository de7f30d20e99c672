"""Pick the most effective response: s = key(chosen) / max key."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from app.domain.items.base import Base, Fields, field_name, one, option_keys, options_item, options_schema, top_options

MAX_KEY = 3
KEY = {
    "type": "integer",
    "minimum": 0,
    "maximum": MAX_KEY,
    "description": "Effectiveness: 0 counterproductive, 1 weak, 2 acceptable, 3 best.",
}


def weighted_choice(rng: random.Random, options: list[Mapping]) -> Mapping:
    """A near miss: any option, the better ones more likely."""
    return rng.choices(options, weights=[max(o["key"], 0) + 0.2 for o in options])[0]


class SingleChoice(Base):
    name = "single_choice"
    position = 10
    judgement = True

    def example(self) -> dict:
        return options_item(self.name, [("a", 3), ("b", 1), ("c", 0), ("d", 2)], "key")

    def schema(self) -> dict:
        return {"required": ["options"], "properties": {"options": options_schema(2, "key", KEY)}}

    def check(self, item, rubrics):
        best = max(o["key"] for o in item["options"])
        if sum(1 for o in item["options"] if o["key"] == best) > 1:
            return [(("options",), f"exactly one option must have the highest key ({best})")]
        return []

    def parse(self, item: Mapping, fields: Fields, option_ids: Sequence[str], locale: str):
        raw = one(fields, field_name(item))
        if not raw:
            return None, None
        return (raw, None) if raw in option_ids else (None, "invalid_choice")

    def score(self, item: Mapping, value) -> float:
        keys = option_keys(item)
        top = max(keys.values())
        if not isinstance(value, str) or value not in keys or top == 0:
            return 0.0
        return keys[value] / top

    def best_options(self, item: Mapping) -> set[str]:
        return top_options(item, "key")

    def keyed_answer(self, item: Mapping):
        return max(item["options"], key=lambda o: o["key"])["id"]

    def mark(self, value, option_id: str):
        return ("chosen", None) if value == option_id else (None, None)

    def key_mark(self, item: Mapping, option_id: str):
        return ("best", None) if option_id == self.keyed_answer(item) else (None, None)

    def simulate(self, item: Mapping, skill: float, rng: random.Random):
        if rng.random() < skill:
            return self.keyed_answer(item)
        return weighted_choice(rng, item["options"])["id"]

    def chosen(self, value) -> list[str]:
        return [value] if isinstance(value, str) else []


TYPE = SingleChoice()
