"""Turning what a manager submitted (form fields or JSON) into a stored answer, or a reason why not.

`parse(item, fields, locale)` returns (value, problem): value is the answer in the shape the
scorers take (see item_scoring) or None when nothing was answered; problem is a code the web
layer turns into a message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

LIKERT = range(1, 6)
RATING = range(1, 6)

Fields = Mapping[str, Sequence[str]]  # form name → values; a werkzeug MultiDict works too


def _values(fields: Fields, name: str) -> list[str]:
    if hasattr(fields, "getlist"):  # a MultiDict's get() would give only the first value
        return fields.getlist(name)
    return list(fields.get(name) or [])


def _one(fields: Fields, name: str) -> str:
    values = _values(fields, name)
    return values[0].strip() if values else ""


def parse_number(text: str, locale: str) -> float | None:
    """A number typed by a person: '1,5' or '1.5', '12.500,75 €', '€12,500.75', '55 %'.

    When both separators appear, the last one is the decimal mark. A lone separator is a
    thousands separator only when it groups exactly three digits in the locale's style
    ('12.500' in Spanish, '12,500' in English); otherwise it is the decimal mark.
    """
    cleaned = re.sub(r"[\s\u00a0€%]|EUR", "", text.strip(), flags=re.IGNORECASE)
    if not re.fullmatch(r"[+-]?[\d.,]*\d[\d.,]*", cleaned):
        return None
    if "." in cleaned and "," in cleaned:
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal, ".")
    elif "," in cleaned or "." in cleaned:
        mark = "," if "," in cleaned else "."
        grouping = mark == ("." if locale == "es" else ",")
        if grouping and re.fullmatch(r"[+-]?\d{1,3}(" + re.escape(mark) + r"\d{3})+", cleaned):
            cleaned = cleaned.replace(mark, "")
        elif cleaned.count(mark) == 1:
            cleaned = cleaned.replace(mark, ".")
        else:
            return None
    try:
        return float(cleaned)
    except ValueError:
        return None


def parse(item: Mapping, fields: Fields, option_ids: Sequence[str], locale: str = "es"):
    """(value, problem) for one item from the submitted fields named after the item's id."""
    kind, key = item["type"], item["id"]
    name = f"answer-{key}"
    offered = set(option_ids)
    if kind in ("single_choice", "likert"):
        raw = _one(fields, name)
        if not raw:
            return None, None
        if kind == "likert":
            return (int(raw), None) if raw.isdigit() and int(raw) in LIKERT else (None, "invalid_choice")
        return (raw, None) if raw in offered else (None, "invalid_choice")
    if kind == "best_worst":
        best, worst = _one(fields, f"{name}-best"), _one(fields, f"{name}-worst")
        if not best and not worst:
            return None, None
        if best not in offered or worst not in offered:
            return None, "best_and_worst_needed"
        if best == worst:
            return None, "best_is_worst"
        return {"best": best, "worst": worst}, None
    if kind == "rank":
        positions = {option: _one(fields, f"{name}-{option}") for option in option_ids}
        if not any(positions.values()):
            return None, None
        if not all(p.isdigit() for p in positions.values()):
            return None, "rank_incomplete"
        numbers = {option: int(p) for option, p in positions.items()}
        if sorted(numbers.values()) != list(range(1, len(option_ids) + 1)):
            return None, "rank_not_permutation"
        return sorted(option_ids, key=numbers.get), None
    if kind == "rating":
        ratings = {option: _one(fields, f"{name}-{option}") for option in option_ids}
        given = {o: int(r) for o, r in ratings.items() if r.isdigit() and int(r) in RATING}
        if not given:
            return None, None
        return given, None
    if kind == "multi_select":
        chosen = [value for value in _values(fields, name) if value in offered]
        return (chosen or None), None
    if kind == "numeric":
        raw = _one(fields, name)
        if not raw:
            return None, None
        number = parse_number(raw, locale)
        return (number, None) if number is not None else (None, "not_a_number")
    if kind == "open_response":
        text = (_values(fields, name) or [""])[0].replace("\r\n", "\n").strip()
        if not text:
            return None, None
        limit = item.get("max_chars", 4000)
        return (text, None) if len(text) <= limit else (None, "too_long")
    raise ValueError(f"unknown item type {kind}")


def is_complete(item: Mapping, value, option_ids: Sequence[str]) -> bool:
    """Whether an answer answers the whole item (a rating grid with every row rated, say)."""
    if value is None:
        return False
    if item["type"] == "rating":
        return set(value) == set(option_ids)
    return True
