"""The JSON Schema of a content file, built from one hand-kept base and the item types' own parts.

`content.base.schema.json` describes everything but items; each item type contributes its
fields (`ItemType.schema`). `flask content schema` writes the result to
docs/content.schema.json for editors; a test keeps that file equal to what this builds.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from app.domain import items
from app.domain.items.base import ID, TEXT, WEIGHTS

BASE = Path(__file__).with_name("content.base.schema.json")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "content.schema.json"


def item_schema() -> dict:
    """Fields every item has, then per type (if `type` is X, then X's fields, and no others)."""
    common = {
        "id": ID,
        "type": {"enum": list(items.TYPES)},
        "stem": TEXT,
        "explanation": TEXT,
        "tags": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "description": "Free labels, e.g. the Moodle categories an imported item came from.",
        },
    }
    branches = []
    for name, item_type in items.TYPES.items():
        own = item_type.schema()
        properties = {**dict.fromkeys(common, {}), **own["properties"]}  # common fields: checked once, above
        required = list(own.get("required", []))
        if item_type.evidence == "scored":  # a rule-scored item says what it measures, with weights
            properties["competencies"] = WEIGHTS
            required.insert(0, "competencies")
        branches.append(
            {
                "if": {"properties": {"type": {"const": name}}, "required": ["type"]},
                "then": {"properties": properties, "required": required, "additionalProperties": False},
            }
        )
    return {"type": "object", "properties": common, "required": ["id", "type", "stem"], "allOf": branches}


@cache
def content_schema() -> dict:
    schema = json.loads(BASE.read_text(encoding="utf-8"))
    schema["$defs"]["item"] = item_schema()
    return schema


def as_text() -> str:
    return json.dumps(content_schema(), ensure_ascii=False, indent=2) + "\n"
