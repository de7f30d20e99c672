"""What the browser editor needs to know about content, beyond what the files' checks say.

Pure functions: which field of an option carries its key, which texts still lack a language,
and where in the editor a validation message belongs.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping

from app.domain import items

LOCALES = ("es", "en")
_OPTION_FIELDS = {"id", "text", "feedback"}


def option_field(item_type: str) -> tuple[str, dict] | None:
    """(name, JSON schema) of the field that keys an option of this type (`key`, `rank`,
    `rating`, `correct`, `group`), or None for a type without options."""
    options = items.TYPES[item_type].schema()["properties"].get("options")
    if options is None:
        return None
    (name,) = set(options["items"]["properties"]) - _OPTION_FIELDS
    return name, options["items"]["properties"][name]


def is_text(value) -> bool:
    return isinstance(value, Mapping) and set(value) <= set(LOCALES) and bool(value)


def missing_translations(body) -> dict[str, int]:
    """How many texts lack each language: the editor's completeness indicator."""
    missing = dict.fromkeys(LOCALES, 0)
    for text in _texts(body):
        for locale in LOCALES:
            missing[locale] += not str(text.get(locale) or "").strip()
    return missing


def _texts(value) -> Iterable[Mapping]:
    if is_text(value):
        yield value
    elif isinstance(value, Mapping):
        for child in value.values():
            yield from _texts(child)
    elif isinstance(value, list):
        for child in value:
            yield from _texts(child)


def next_option_id(taken: Iterable[str]) -> str:
    """The first free letter (a, b, c…), then a1, b1… once the alphabet is used up."""
    used = set(taken)
    for suffix in ("", *map(str, range(1, 100))):
        for letter in string.ascii_lowercase:
            if letter + suffix not in used:
                return letter + suffix
    raise ValueError("too many options")


_INDEXED = re.compile(r"^(\w+)\[(\d+)\]\.?(.*)$")


def split_path(path: str, collection: str) -> tuple[int | None, str]:
    """'items[3].options[1].text.en', 'items' → (3, 'options[1].text.en'); a path outside the
    collection → (None, path)."""
    match = _INDEXED.match(path)
    if match and match.group(1) == collection:
        return int(match.group(2)), match.group(3)
    return None, path


def item_field(path: str, keyed_by: str | None) -> str:
    """The editor's field for a path inside an item ('' when it concerns the item as a whole).

    'stem.en' → 'stem_en'; 'options[1].text.es' → 'options-1-text_es'; 'options[1].key' →
    'options-1-value'; 'competencies.risk' → 'w_risk'; 'id' → 'item_id'.
    """
    if path in ("", "(file)"):
        return ""
    option = re.match(r"^options\[(\d+)\]\.?(.*)$", path)
    if option:
        index, rest = option.groups()
        if rest in ("", "id"):
            return f"options-{index}-text_es"
        if rest == keyed_by:
            return f"options-{index}-value"
        return f"options-{index}-" + rest.replace(".", "_")
    if path.startswith("competencies."):
        return "w_" + path.split(".", 1)[1]
    if path == "id":
        return "item_id"
    return path.replace(".", "_")


def step_field(path: str) -> str:
    """The step editor's field for a path inside a scenario step ('' for the step as a whole).

    'narrative.en' → 'narrative_en'; 'choices[1].next' → 'choices-1-next'; 'choices[1].points.risk'
    → 'choices-1-points_1'; 'id' → 'step_id'.
    """
    if path in ("", "choices"):
        return ""
    choice = re.match(r"^choices\[(\d+)\]\.?(.*)$", path)
    if choice:
        index, rest = choice.groups()
        if rest in ("", "id"):
            return f"choices-{index}-text_es"
        if rest.startswith("points"):
            return f"choices-{index}-points_1"
        if rest.startswith("critical"):
            return f"choices-{index}-critical_1"
        return f"choices-{index}-" + rest.replace(".", "_")
    if path == "id":
        return "step_id"
    return path.replace(".", "_")
