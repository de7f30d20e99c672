"""Compute a figure (a debt-service ratio, say): s = 1 if |x − answer| ≤ tolerance, else 0."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping, Sequence

from app.domain.items.base import TEXT, Base, Fields, field_name, one

SLACK = 1e-9  # so that 1.5 ± 0.01 accepts 1.51 despite binary floating point


def parse_number(text: str, locale: str) -> float | None:
    """A number typed by a person: '1,5' or '1.5', '12.500,75 €', '€12,500.75', '55 %'.

    When both separators appear, the last one is the decimal mark. A lone separator is a
    thousands separator only when it groups exactly three digits in the locale's style
    ('12.500' in Spanish, '12,500' in English); otherwise it is the decimal mark. A number
    too large to be finite is no number.
    """
    cleaned = re.sub(r"[\s\u00a0€%]|EUR", "", text.strip(), flags=re.IGNORECASE)
    if not re.fullmatch(r"[+-]?[\d.,]*\d[\d.,]*", cleaned, flags=re.ASCII):
        return None
    if "." in cleaned and "," in cleaned:
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal, ".")
    elif "," in cleaned or "." in cleaned:
        mark = "," if "," in cleaned else "."
        grouping = mark == ("." if locale == "es" else ",")
        if grouping and re.fullmatch(r"[+-]?\d{1,3}(" + re.escape(mark) + r"\d{3})+", cleaned, flags=re.ASCII):
            cleaned = cleaned.replace(mark, "")
        elif cleaned.count(mark) == 1:
            cleaned = cleaned.replace(mark, ".")
        else:
            return None
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


class Numeric(Base):
    name = "numeric"
    position = 60

    def example(self) -> dict:
        return {
            "id": "example-numeric",
            "type": self.name,
            "stem": {"es": "¿Ratio de cobertura?", "en": "Coverage ratio?"},
            "competencies": {"analysis": 1},
            "answer": 1.35,
            "tolerance": 0.01,
            "feedback": {"es": "EBITDA / servicio de la deuda.", "en": "EBITDA / debt service."},
        }

    def schema(self) -> dict:
        return {
            "properties": {
                "answer": {"type": "number"},
                "tolerance": {"type": "number", "minimum": 0},
                "unit": TEXT,
                "feedback": TEXT,
            },
            "required": ["answer", "tolerance", "feedback"],
        }

    def parse(self, item: Mapping, fields: Fields, option_ids: Sequence[str], locale: str):
        raw = one(fields, field_name(item))
        if not raw:
            return None, None
        number = parse_number(raw, locale)
        return (number, None) if number is not None else (None, "not_a_number")

    def score(self, item: Mapping, value) -> float:
        if value is None or isinstance(value, bool) or not isinstance(value, int | float):
            return 0.0
        return 1.0 if abs(float(value) - item["answer"]) <= item["tolerance"] + SLACK else 0.0

    def keyed_answer(self, item: Mapping):
        return item["answer"]

    def simulate(self, item: Mapping, skill: float, rng: random.Random):
        if rng.random() < skill:
            return item["answer"]
        return round(item["answer"] * rng.choice((0.5, 0.9, 1.1, 1.25, 2)), 2)


TYPE = Numeric()
