"""The real bank survives sync → export → validate → sync unchanged, and its schema is sound."""

import json
from pathlib import Path

from jsonschema import Draft202012Validator

from app.domain import schema
from app.domain.content_schema import load_bank
from app.services import content_loader
from app.services.content_files import read_sources

ROOT = Path(__file__).resolve().parents[2]


def test_the_published_schema_is_a_valid_json_schema_built_from_the_item_types():
    published = json.loads(schema.DOCS.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(published)
    assert published == schema.content_schema(), "run `flask content schema` to regenerate docs/content.schema.json"


def test_the_real_bank_round_trips(tmp_path):
    first = content_loader.sync(root=ROOT)
    assert first.added and not first.changed
    exported = tmp_path / "export"
    content_loader.export(exported)
    _bank, errors = load_bank(read_sources(exported))
    assert [str(e) for e in errors] == []
    assert (
        content_loader.sync(root=exported).summary() == f"added 0, changed 0, retired 0, unchanged {len(first.added)}"
    )
