"""Moodle XML and GIFT in, Moodle XML out (issue 11), on Moodle's own fixture files."""

from pathlib import Path

import pytest

from app.domain import moodle

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "moodle"


def test_gift_maps_each_moodle_type_and_lists_what_it_skips():
    result = moodle.read_gift((FIXTURES / "questions.gift.txt").read_text(encoding="utf-8"), "en")
    kinds = {item["id"]: item["type"] for item in result.items}
    assert kinds == {
        "moodle-q8": "open_response",
        "moodle-q2": "single_choice",
        "moodle-colours": "multi_select",
        "moodle-q5": "numeric",
        "moodle-q1": "single_choice",
        "moodle-2-08-tsl": "single_choice",
        "moodle-2-08-tsl-2": "single_choice",
    }
    assert [(s.name, s.moodle_type) for s in result.skipped] == [
        ("Moodle activities", "matching"),
        ("Shortanswer", "shortanswer"),
    ]
    by_id = {item["id"]: item for item in result.items}
    spectrum = by_id["moodle-q2"]["options"]
    assert [(o["text"]["en"], o["key"]) for o in spectrum] == [("yellow", 3), ("red", 0), ("blue", 0)]
    assert spectrum[1]["feedback"] == {"en": "wrong, it's yellow"}  # [html] marker and tags dropped
    assert [o["correct"] for o in by_id["moodle-colours"]["options"]] == [True, False, True, False]
    assert (by_id["moodle-q5"]["answer"], by_id["moodle-q5"]["tolerance"]) == (3, 2)
    false_is_right = by_id["moodle-q1"]["options"]
    assert [(o["text"]["en"], o["key"]) for o in false_is_right] == [("True", 0), ("False", 3)]
    assert false_is_right[0]["feedback"] == {"en": "42 is the Ultimate Answer."}  # shown to a wrong answer


def test_moodle_xml_keeps_nested_categories_as_tags():
    result = moodle.read_xml((FIXTURES / "nested_categories_with_questions.xml").read_bytes(), "es")
    tags = {item["id"]: item["tags"] for item in result.items}
    assert tags["moodle-kappa-essay-question"] == ["Iota", "Kappa"]
    assert tags["moodle-lambda-question"] == ["Iota", "Kappa", "Lambda"]
    assert {item["type"] for item in result.items} == {"single_choice", "open_response"}
    assert result.items[0]["stem"] == {"es": "Testing Iota Question"}  # <p> dropped


def test_an_imported_draft_says_what_it_needs_before_publishing():
    result = moodle.read_gift((FIXTURES / "questions.gift.txt").read_text(encoding="utf-8"), "en")
    essay = next(item for item in result.items if item["type"] == "open_response")
    assert moodle.missing(essay) == ["the es text", "a rubric"]
    choice = next(item for item in result.items if item["id"] == "moodle-q2")
    assert moodle.missing(choice) == ["the es text", "competencies", "feedback for every option"]


@pytest.mark.parametrize("fixture", ["questions.gift.txt", "nested_categories_with_questions.xml"])
def test_export_then_import_gives_the_same_items(fixture):
    text = (FIXTURES / fixture).read_text(encoding="utf-8")
    first = moodle.read_gift(text, "en") if fixture.endswith(".txt") else moodle.read_xml(text, "en")
    exported, skipped = moodle.write_xml(first.items, "en")
    assert skipped == []
    again = moodle.read_xml(exported, "en")

    def essence(item):
        options = [
            (o["text"], o.get("key"), o.get("correct"), o.get("feedback", {}).get("en", ""))
            for o in item.get("options", [])
        ]
        return item["type"], item["stem"], options, item.get("answer"), item.get("tolerance")

    assert [essence(i) for i in again.items] == [essence(i) for i in first.items]
    assert [i["id"] for i in again.items] == [i["id"] for i in first.items]  # the name carries the id


def test_types_moodle_lacks_are_listed_not_exported():
    ranking = {"id": "r1", "type": "rank", "stem": {"es": "Ordena"}, "options": []}
    _xml, skipped = moodle.write_xml([ranking], "es")
    assert [(s.name, s.moodle_type) for s in skipped] == [("r1", "rank")]


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<quiz><question type="essay"><name><text>&lol2;</text></name></question></quiz>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="essay"><name><text>&secret;</text></name></question></quiz>"""


@pytest.mark.parametrize("data", [BOMB, EXTERNAL])
def test_entities_are_refused(data):
    with pytest.raises(moodle.MoodleError, match="refused"):
        moodle.read_xml(data)


def test_malformed_xml_and_gift_say_where():
    with pytest.raises(moodle.MoodleError) as broken:
        moodle.read_xml("<quiz>\n<question type='essay'>\n<name></question></quiz>")
    assert broken.value.line == 3
    with pytest.raises(moodle.MoodleError) as unclosed:
        moodle.read_gift("// a comment\n\n::Q:: no answers here {=a ~b\n")
    assert unclosed.value.line == 3


def test_the_bank_exports_with_line_breaks_and_quotes_intact():
    item = {
        "id": "ethics-01",
        "type": "single_choice",
        "stem": {"es": "Álvaro dice: «No puedo»\n¿Qué haces?"},
        "options": [
            {"id": "a", "text": {"es": 'Le dices "no" & explicas por qué'}, "key": 3, "feedback": {"es": "Bien."}},
            {"id": "b", "text": {"es": "<b>Le enseñas</b> el saldo"}, "key": 0, "feedback": {"es": "Mal."}},
        ],
    }
    xml, _ = moodle.write_xml([item], "es")
    (back,) = moodle.read_xml(xml, "es").items
    assert back["stem"] == item["stem"]
    assert [o["text"] for o in back["options"]] == [o["text"] for o in item["options"]]
