"""Pick the most and the least effective response: s = (key(best) − key(worst) + R) / 2R."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from app.domain.items.base import Base, Fields, field_name, one, option_keys, options_item, options_schema, top_options
from app.domain.items.single_choice import KEY, weighted_choice


class BestWorst(Base):
    name = "best_worst"
    position = 20
    judgement = True

    def example(self) -> dict:
        return options_item(self.name, [("a", 3), ("b", 2), ("c", 0), ("d", 1)], "key")

    def schema(self) -> dict:
        return {"required": ["options"], "properties": {"options": options_schema(3, "key", KEY)}}

    def check(self, item, rubrics):
        if len({o["key"] for o in item["options"]}) < 2:
            return [(("options",), "the keys must not all be equal")]
        return []

    def parse(self, item: Mapping, fields: Fields, option_ids: Sequence[str], locale: str):
        name = field_name(item)
        best, worst = one(fields, f"{name}-best"), one(fields, f"{name}-worst")
        if not best and not worst:
            return None, None
        if best not in option_ids or worst not in option_ids:
            return None, "best_and_worst_needed"
        if best == worst:
            return None, "best_is_worst"
        return {"best": best, "worst": worst}, None

    def score(self, item: Mapping, value) -> float:
        """R = max key − min key. The same option as best and worst is no answer; with all keys
        equal (R = 0, which content validation forbids) no choice can be told apart, so 0."""
        keys = option_keys(item)
        if not isinstance(value, Mapping):
            return 0.0
        best, worst = value.get("best"), value.get("worst")
        if best not in keys or worst not in keys or best == worst:
            return 0.0
        spread = max(keys.values()) - min(keys.values())
        if spread == 0:
            return 0.0
        return (keys[best] - keys[worst] + spread) / (2 * spread)

    def best_options(self, item: Mapping) -> set[str]:
        return top_options(item, "key")

    def keyed_answer(self, item: Mapping):
        options = item["options"]
        return {"best": max(options, key=lambda o: o["key"])["id"], "worst": min(options, key=lambda o: o["key"])["id"]}

    def mark(self, value, option_id: str):
        if not isinstance(value, Mapping):
            return None, None
        return {value.get("best"): ("best", None), value.get("worst"): ("worst", None)}.get(option_id, (None, None))

    def key_mark(self, item: Mapping, option_id: str):
        keyed = self.keyed_answer(item)
        return {keyed["best"]: ("best", None), keyed["worst"]: ("worst", None)}.get(option_id, (None, None))

    def simulate(self, item: Mapping, skill: float, rng: random.Random):
        options = item["options"]
        ordered = sorted(options, key=lambda o: o["key"])
        knows = rng.random() < skill
        best = ordered[-1] if knows else weighted_choice(rng, options)
        worst_pool = [o for o in options if o is not best]
        worst = ordered[0] if knows and ordered[0] is not best else rng.choice(worst_pool)
        return {"best": best["id"], "worst": worst["id"]}

    def chosen(self, value) -> list[str]:
        return [value["best"]] if isinstance(value, Mapping) and isinstance(value.get("best"), str) else []


TYPE = BestWorst()
