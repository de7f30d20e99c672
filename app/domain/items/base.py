"""What every item type provides (the `ItemType` protocol) and the helpers several types share.

An item is the plain dict of its content file. An answer is stored in the shape its type
chooses (an option id, a list of ids, a number, a text...) and is None when nothing was
answered. A blank or malformed answer scores 0.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Literal, Protocol

Fields = Mapping[str, Sequence[str]]  # form name → values; a werkzeug MultiDict works too
Problem = tuple[tuple, str]  # (path inside the item, message) for `flask content validate`
Evidence = Literal["scored", "self_rated", "graded"]

TEXT = {"$ref": "#/$defs/text"}
WEIGHTS = {"$ref": "#/$defs/weights"}
ID = {"$ref": "#/$defs/id"}


class ItemType(Protocol):
    """One item type, whole: its content schema, the player's answer, its score and its review.

    `evidence` says what the type contributes: `scored` items carry competency weights and are
    scored by `score`; `self_rated` statements feed the self-rated score; `graded` answers wait
    for a trainer's rubric.
    """

    name: str
    position: int  # where the type stands in lists (coverage columns, editors' menus), lowest first
    evidence: Evidence
    judgement: bool  # a situational-judgement item (coverage counts them apart from calculations)

    def example(self) -> dict:
        """A small valid item of the type (for tests, and as a new item's starting point)."""

    def schema(self) -> dict:
        """JSON Schema of the type's own fields: {"properties": {...}, "required": [...]}."""

    def measures(self, item: Mapping, rubrics: Mapping[str, Mapping]) -> list[str]:
        """The competencies the item gives evidence of."""

    def check(self, item: Mapping, rubrics: Mapping[str, Mapping]) -> list[Problem]:
        """What the schema cannot say (a key that is not a permutation...), with where."""

    def parse(self, item: Mapping, fields: Fields, option_ids: Sequence[str], locale: str) -> tuple[object, str | None]:
        """(answer, problem) from the posted form fields named `answer-<item id>…`."""

    def is_complete(self, item: Mapping, value, option_ids: Sequence[str]) -> bool:
        """Whether an answer answers the whole item (a rating grid with every row rated, say)."""

    def score(self, item: Mapping, value) -> float:
        """s in [0, 1] as domain.md §2 defines it; only for `scored` types."""

    def keyed_answer(self, item: Mapping):
        """The answer the experts' key describes: it scores 1."""

    def mark(self, value, option_id: str) -> tuple[str | None, object]:
        """What the answer says about one option, for the review: (mark, value) or (None, None)."""

    def key_mark(self, item: Mapping, option_id: str) -> tuple[str | None, object]:
        """What the experts' key says about one option, for the review: (mark, value) or (None, None)."""

    def simulate(self, item: Mapping, skill: float, rng: random.Random):
        """A modelled answer: keyed with probability `skill`, else a near miss (`flask demo generate`).

        For self-rated statements `skill` is the ability the manager believes they have.
        """

    def chosen(self, value) -> list[str]:
        """The options item analysis counts as chosen in this answer (none for non-choice types)."""

    def best_options(self, item: Mapping) -> set[str]:
        """The options the key rates best (all correct ones for a multi-select): what the
        item-writing check looks for cues to (none for types without options)."""


class Base:
    """Defaults most types share; a type overrides what it does differently."""

    evidence: Evidence = "scored"
    judgement = False

    def measures(self, item: Mapping, rubrics: Mapping[str, Mapping]) -> list[str]:
        return list(item["competencies"])

    def check(self, item: Mapping, rubrics: Mapping[str, Mapping]) -> list[Problem]:
        return []

    def is_complete(self, item: Mapping, value, option_ids: Sequence[str]) -> bool:
        return value is not None

    def mark(self, value, option_id: str) -> tuple[str | None, object]:
        return None, None

    def key_mark(self, item: Mapping, option_id: str) -> tuple[str | None, object]:
        return None, None

    def chosen(self, value) -> list[str]:
        return []

    def best_options(self, item: Mapping) -> set[str]:
        return set()


# --- helpers ---------------------------------------------------------------------------------


def values(fields: Fields, name: str) -> list[str]:
    if hasattr(fields, "getlist"):  # a MultiDict's get() would give only the first value
        return fields.getlist(name)
    return list(fields.get(name) or [])


def one(fields: Fields, name: str) -> str:
    found = values(fields, name)
    return found[0].strip() if found else ""


def field_name(item: Mapping) -> str:
    return f"answer-{item['id']}"


def option_keys(item: Mapping, field: str = "key") -> dict[str, float]:
    return {option["id"]: option[field] for option in item["options"]}


def numbers_beside_options(item: Mapping, fields: Fields, option_ids: Sequence[str]) -> dict[str, int | None] | None:
    """The number given beside each option (a position, a group, a rating), None where it is not a
    small number; None for the whole when nothing was given at all."""
    name = field_name(item)
    typed = {option: one(fields, f"{name}-{option}") for option in option_ids}
    if not any(typed.values()):
        return None
    return {option: small_int(text) for option, text in typed.items()}


def small_int(text: str) -> int | None:
    """A position or rating typed as ASCII digits ('²' and '١' are digits to str.isdigit, not here)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 3 else None


def options_schema(minimum: int, field: str, field_schema: dict) -> dict:
    """An `options` list whose entries carry one key field (key, rank, rating, correct...)."""
    return {
        "type": "array",
        "minItems": minimum,
        "items": {
            "type": "object",
            "properties": {"id": ID, "text": TEXT, "feedback": TEXT, field: field_schema},
            "required": ["id", "text", "feedback", field],
            "additionalProperties": False,
        },
    }


def options_item(item_type: str, keyed: list[tuple[str, object]], field: str) -> dict:
    """A small item whose options carry `field` (an example for tests and editors)."""
    return {
        "id": f"example-{item_type.replace('_', '-')}",
        "type": item_type,
        "stem": {"es": "¿Qué haces?", "en": "What do you do?"},
        "competencies": {"risk": 1},
        "options": [
            {
                "id": option,
                "text": {"es": f"Opción {option}", "en": f"Option {option}"},
                "feedback": {"es": "Porque…", "en": "Because…"},
                field: key,
            }
            for option, key in keyed
        ],
    }


def top_options(item: Mapping, field: str, highest: bool = True) -> set[str]:
    """The options whose `field` is the highest (or lowest): the best ones by that key."""
    values = [o[field] for o in item["options"]]
    top = max(values) if highest else min(values)
    return {o["id"] for o in item["options"] if o[field] == top}
