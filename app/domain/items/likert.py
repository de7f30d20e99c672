"""A self-assessment statement: agreement 1..5 (reverse-keyed allowed). Not a measured score:
it feeds the self-rated score (domain.md §3)."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from app.domain.items.base import Base, Fields, field_name, one, small_int

SCALE = range(1, 6)


class Likert(Base):
    name = "likert"
    position = 80
    evidence = "self_rated"

    def example(self) -> dict:
        return {
            "id": "example-likert",
            "type": self.name,
            "stem": {"es": "Preparo cada visita.", "en": "I prepare every visit."},
            "competency": "visits",
        }

    def schema(self) -> dict:
        return {
            "properties": {"competency": {"$ref": "#/$defs/competency"}, "reverse": {"type": "boolean"}},
            "required": ["competency"],
        }

    def measures(self, item: Mapping, rubrics: Mapping[str, Mapping]) -> list[str]:
        return [item["competency"]]

    def parse(self, item: Mapping, fields: Fields, option_ids: Sequence[str], locale: str):
        raw = one(fields, field_name(item))
        if not raw:
            return None, None
        agreement = small_int(raw)
        return (agreement, None) if agreement in SCALE else (None, "invalid_choice")

    def score(self, item: Mapping, value) -> float:
        raise ValueError("a self-assessment statement is not scored: it feeds the self-rated score")

    def keyed_answer(self, item: Mapping):
        raise ValueError("a self-assessment statement has no key")

    def simulate(self, item: Mapping, skill: float, rng: random.Random):
        """How much the manager agrees, from the ability they believe they have (0–1)."""
        believed = min(1.0, max(0.0, skill))
        agreement = min(5, max(1, round(1 + 4 * believed + rng.gauss(0, 0.6))))
        return 6 - agreement if item.get("reverse") else agreement


TYPE = Likert()
