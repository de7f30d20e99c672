"""The item-writing check runs over the whole bank in both languages (issue 12's measurement)."""

from pathlib import Path

from app.domain import writing_check
from app.domain.content_schema import load_bank
from app.services.content_files import read_sources

ROOT = Path(__file__).resolve().parents[2]


def test_every_question_with_options_is_checked_in_both_languages():
    bank, errors = load_bank(read_sources(ROOT))
    assert errors == []
    found = writing_check.questions(bank.item_holders, bank.items)
    with_options = {key for key, item in bank.items.items() if item.get("options") and "text" in item["options"][0]}
    drawn = {key for holder in bank.item_holders.values() for key in holder.get("items", [])}
    assert {q.ref for q in found if q.kind != "scenario_step"} == with_options & drawn
    steps = sum(
        len(step.get("choices") or []) >= 2
        for exercise in bank.exercises.values()
        if exercise["kind"] == "scenario"
        for step in exercise["steps"]
    )
    assert sum(q.kind == "scenario_step" for q in found) == steps
    assert all(any(o.best for o in q.options) for q in found)  # every question has a key to look for
    rows = writing_check.summarise(writing_check.inspect(q, locale) for q in found for locale in writing_check.LOCALES)
    assert {(r.locale, r.kind) for r in rows} >= {("es", "all"), ("en", "all")}
