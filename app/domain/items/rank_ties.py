"""Place responses into ordered groups, ties allowed: s = 1 − F / Fmax over group positions.

Each option's position is the mean of the places its group spans in a linear order (groups
[a, b], [c] put a and b at 1.5 and c at 3), for the answer and for the key alike. F is the
footrule Σ |given position − key position|; Fmax is the largest F any answer can reach, which
is met by a strict order that reverses the key: Σ |(n + 1 − i) − k₍ᵢ₎| with the key's positions
sorted ascending (docs/scoring.md §2, with a worked example).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from app.domain.items.base import Base, Fields, numbers_beside_options, options_item, options_schema, top_options

GROUP = {"type": "integer", "minimum": 1, "description": "1 = the most effective group; equal numbers are ties."}


def positions(groups: Sequence[Sequence[str]]) -> dict[str, float]:
    """Each option's position: the mean of the places its group spans."""
    placed, start = {}, 1
    for group in groups:
        for option in group:
            placed[option] = start + (len(group) - 1) / 2
        start += len(group)
    return placed


def grouped(numbers: Mapping[str, int], order: Sequence[str]) -> list[list[str]]:
    """Options grouped by their number, lowest first; gaps close up (1, 3 → two groups)."""
    return [[o for o in order if numbers[o] == n] for n in sorted(set(numbers.values()))]


class RankTies(Base):
    name = "rank_ties"
    position = 35
    judgement = True

    def example(self) -> dict:
        return options_item(self.name, [("a", 1), ("b", 2), ("c", 1), ("d", 3)], "group")

    def schema(self) -> dict:
        return {"required": ["options"], "properties": {"options": options_schema(3, "group", GROUP)}}

    def check(self, item, rubrics):
        used = sorted({o["group"] for o in item["options"]})
        if used != list(range(1, len(used) + 1)) or len(used) < 2:
            return [(("options",), f"groups {used} must be 1, 2, … with no gap, and at least two of them")]
        return []

    def best_options(self, item: Mapping) -> set[str]:
        return top_options(item, "group", highest=False)

    def keyed_answer(self, item: Mapping):
        ids = [o["id"] for o in item["options"]]
        return grouped({o["id"]: o["group"] for o in item["options"]}, ids)

    def parse(self, item: Mapping, fields: Fields, option_ids: Sequence[str], locale: str):
        numbers = numbers_beside_options(item, fields, option_ids)
        if numbers is None:
            return None, None
        if any(n is None or not 1 <= n <= len(option_ids) for n in numbers.values()):
            return None, "group_incomplete"
        return grouped(numbers, [o["id"] for o in item["options"]]), None  # in the item's order within a group

    def score(self, item: Mapping, value) -> float:
        """Every option placed exactly once, or the answer is blank."""
        key = positions(self.keyed_answer(item))
        if not isinstance(value, list) or not all(isinstance(g, list) and g for g in value):
            return 0.0
        given = [o for group in value for o in group]
        if sorted(given) != sorted(key) or not all(isinstance(o, str) for o in given):
            return 0.0
        distance = sum(abs(p - key[o]) for o, p in positions(value).items())
        n = len(key)
        worst = sum(abs((n + 1 - i) - k) for i, k in enumerate(sorted(key.values()), start=1))
        return 1.0 if worst == 0 else 1 - distance / worst

    def mark(self, value, option_id: str):
        for number, group in enumerate(value if isinstance(value, list) else [], start=1):
            if isinstance(group, list) and option_id in group:
                return "group", number
        return None, None

    def key_mark(self, item: Mapping, option_id: str):
        return "group", next(o["group"] for o in item["options"] if o["id"] == option_id)

    def simulate(self, item: Mapping, skill: float, rng: random.Random):
        """The key, with each slip moving one response into the neighbouring group."""
        numbers = {o["id"]: o["group"] for o in item["options"]}
        top = max(numbers.values())
        for option in numbers:
            if rng.random() > skill:
                numbers[option] = min(top, max(1, numbers[option] + rng.choice((-1, 1))))
        return grouped(numbers, [o["id"] for o in item["options"]])

    def chosen(self, value) -> list[str]:
        """The responses placed in the most effective group."""
        return list(value[0]) if isinstance(value, list) and value and isinstance(value[0], list) else []


TYPE = RankTies()
