"""Select every appropriate action: s = max(0, right chosen − wrong chosen) / number right."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from app.domain.items.base import Base, Fields, field_name, options_item, options_schema, values


class MultiSelect(Base):
    name = "multi_select"
    position = 50
    judgement = True

    def example(self) -> dict:
        return options_item(self.name, [("a", True), ("b", True), ("c", False), ("d", False)], "correct")

    def schema(self) -> dict:
        return {"required": ["options"], "properties": {"options": options_schema(2, "correct", {"type": "boolean"})}}

    def check(self, item, rubrics):
        correct = sum(1 for o in item["options"] if o["correct"])
        if correct == 0 or correct == len(item["options"]):
            return [(("options",), "at least one option must be correct and one incorrect")]
        return []

    def parse(self, item: Mapping, fields: Fields, option_ids: Sequence[str], locale: str):
        posted = set(values(fields, field_name(item))) & set(option_ids)
        return ([o["id"] for o in item["options"] if o["id"] in posted] or None), None  # in the item's order

    def score(self, item: Mapping, value) -> float:
        correct = {o["id"] for o in item["options"] if o["correct"]}
        offered = {o["id"] for o in item["options"]}
        chosen = set(value) & offered if isinstance(value, list | tuple) else set()
        return max(0, len(chosen & correct) - len(chosen - correct)) / len(correct)

    def best_options(self, item: Mapping) -> set[str]:
        return set(self.keyed_answer(item))

    def keyed_answer(self, item: Mapping):
        return [o["id"] for o in item["options"] if o["correct"]]

    def mark(self, value, option_id: str):
        return ("chosen", None) if isinstance(value, list) and option_id in value else (None, None)

    def key_mark(self, item: Mapping, option_id: str):
        return ("correct", None) if option_id in self.keyed_answer(item) else (None, None)

    def simulate(self, item: Mapping, skill: float, rng: random.Random):
        return [o["id"] for o in item["options"] if o["correct"] == (rng.random() < skill)]

    def chosen(self, value) -> list[str]:
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


TYPE = MultiSelect()
