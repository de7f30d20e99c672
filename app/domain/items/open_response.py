"""A written answer (a plan, an email, a negotiation approach), graded by a trainer on a rubric.

Its competencies and weights come from the rubric's criteria (domain.md §3, rubric evidence).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from app.domain.items.base import ID, Base, Fields, field_name, values

DEFAULT_MAX_CHARS = 4000


class OpenResponse(Base):
    name = "open_response"
    position = 70
    evidence = "graded"

    def example(self) -> dict:
        return {
            "id": "example-open-response",
            "type": self.name,
            "stem": {"es": "Escribe tu plan de visita.", "en": "Write your visit plan."},
            "rubric": "visit-plan",
        }

    def schema(self) -> dict:
        return {
            "properties": {"rubric": ID, "max_chars": {"type": "integer", "minimum": 50, "maximum": 20000}},
            "required": ["rubric"],
        }

    def measures(self, item: Mapping, rubrics: Mapping[str, Mapping]) -> list[str]:
        """Through its rubric's criteria."""
        rubric = rubrics.get(item["rubric"])
        return sorted({c for criterion in rubric["criteria"] for c in criterion["competencies"]}) if rubric else []

    def check(self, item, rubrics):
        if item["rubric"] not in rubrics:
            return [(("rubric",), f"no rubric '{item['rubric']}' in rubrics/grading/")]
        return []

    def parse(self, item: Mapping, fields: Fields, option_ids: Sequence[str], locale: str):
        text = (values(fields, field_name(item)) or [""])[0].replace("\r\n", "\n").strip()
        if not text:
            return None, None
        return (text, None) if len(text) <= item.get("max_chars", DEFAULT_MAX_CHARS) else (None, "too_long")

    def score(self, item: Mapping, value) -> float:
        raise ValueError("a written answer is graded on its rubric, not scored by a rule")

    def keyed_answer(self, item: Mapping):
        raise ValueError("a written answer has no key")

    def simulate(self, item: Mapping, skill: float, rng: random.Random):
        return None  # nobody grades synthetic essays: the model writes none


TYPE = OpenResponse()
