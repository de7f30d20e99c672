"""Order every response from most to least effective: s = 1 − F / Fmax (Spearman's footrule).

F = Σ |given rank − key rank|, Fmax = floor(n² / 2), the footrule of the reversed order.
"""

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

RANK = {"type": "integer", "minimum": 1, "description": "1 = most effective; ranks are exactly 1..n."}


class Rank(Base):
    name = "rank"
    position = 30
    judgement = True

    def example(self) -> dict:
        return options_item(self.name, [("a", 2), ("b", 1), ("c", 4), ("d", 3)], "rank")

    def schema(self) -> dict:
        return {"required": ["options"], "properties": {"options": options_schema(2, "rank", RANK)}}

    def check(self, item, rubrics):
        ranks = sorted(o["rank"] for o in item["options"])
        if ranks != list(range(1, len(ranks) + 1)):
            return [(("options",), f"ranks {ranks} are not a permutation of 1..{len(ranks)}")]
        return []

    def parse(self, item: Mapping, fields: Fields, option_ids: Sequence[str], locale: str):
        numbers = numbers_beside_options(item, fields, option_ids)
        if numbers is None:
            return None, None
        if None in numbers.values():
            return None, "rank_incomplete"
        if sorted(numbers.values()) != list(range(1, len(option_ids) + 1)):
            return None, "rank_not_permutation"
        return sorted(option_ids, key=numbers.get), None

    def score(self, item: Mapping, value) -> float:
        """The answer must order every option exactly once; anything else is blank. A single
        option leaves nothing to get wrong: it scores 1."""
        keys = option_keys(item, "rank")
        if (
            not isinstance(value, list | tuple)
            or not all(isinstance(a, str) for a in value)
            or sorted(value) != sorted(keys)
        ):
            return 0.0
        worst = len(keys) ** 2 // 2
        if worst == 0:
            return 1.0
        distance = sum(abs(position - keys[option]) for position, option in enumerate(value, start=1))
        return 1 - distance / worst

    def best_options(self, item: Mapping) -> set[str]:
        return top_options(item, "rank", highest=False)

    def keyed_answer(self, item: Mapping):
        return [o["id"] for o in sorted(item["options"], key=lambda o: o["rank"])]

    def mark(self, value, option_id: str):
        if isinstance(value, list) and option_id in value:
            return "position", value.index(option_id) + 1
        return None, None

    def key_mark(self, item: Mapping, option_id: str):
        return "position", option_keys(item, "rank")[option_id]

    def simulate(self, item: Mapping, skill: float, rng: random.Random):
        """The key with a neighbouring pair swapped for each slip."""
        order = self.keyed_answer(item)
        for _ in range(sum(rng.random() > skill for _ in order)):
            i = rng.randrange(len(order) - 1) if len(order) > 1 else 0
            order[i : i + 2] = reversed(order[i : i + 2])
        return order


TYPE = Rank()
