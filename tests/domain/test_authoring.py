"""The editor's helpers: keyed fields per type, missing translations, where a message belongs."""

from hypothesis import given
from hypothesis import strategies as st

from app.domain import items
from app.domain.authoring import (
    item_field,
    missing_translations,
    next_option_id,
    option_field,
    split_path,
    step_field,
)


def test_each_option_type_names_the_field_that_keys_it():
    keyed = {name: option_field(name) for name in items.TYPES}
    assert {name: found[0] for name, found in keyed.items() if found} == {
        "single_choice": "key",
        "best_worst": "key",
        "rank": "rank",
        "rank_ties": "group",
        "rating": "rating",
        "multi_select": "correct",
    }
    assert keyed["numeric"] is None and keyed["open_response"] is None and keyed["likert"] is None
    assert keyed["rating"][1]["maximum"] == 5


def test_missing_translations_count_each_text_once_per_language():
    body = {
        "title": {"es": "Título", "en": ""},
        "items": [{"stem": {"es": "  ", "en": "Stem"}, "options": [{"text": {"es": "a"}, "key": 3}]}],
    }
    assert missing_translations(body) == {"es": 1, "en": 2}
    assert missing_translations({"title": {"es": "a", "en": "b"}}) == {"es": 0, "en": 0}


@given(st.sets(st.sampled_from([chr(c) for c in range(97, 123)] + ["a1", "b1"]), max_size=30))
def test_the_next_option_id_is_always_free(taken):
    found = next_option_id(taken)
    assert found not in taken and found.isalnum() and found.islower()


def test_messages_land_on_the_field_they_concern():
    assert split_path("items[3].options[1].text.en", "items") == (3, "options[1].text.en")
    assert split_path("items[0]", "items") == (0, "")
    assert split_path("steps[2].choices[0].next", "steps") == (2, "choices[0].next")
    assert split_path("settings.feedback", "items") == (None, "settings.feedback")
    assert item_field("options[1].text.en", "key") == "options-1-text_en"
    assert item_field("options[2].key", "key") == "options-2-value"
    assert item_field("options[2]", "rank") == "options-2-text_es"
    assert item_field("options", "key") == "options"
    assert item_field("stem.en", None) == "stem_en"
    assert item_field("competencies.risk", None) == "w_risk"
    assert item_field("feedback.es", None) == "feedback_es"
    assert item_field("id", None) == "item_id"
    assert item_field("", None) == ""


def test_scenario_messages_land_on_the_step_field_they_concern():
    assert step_field("choices[1].next") == "choices-1-next"
    assert step_field("choices[0].points.risk") == "choices-0-points_1"
    assert step_field("choices[0].critical[0]") == "choices-0-critical_1"
    assert step_field("choices[2]") == "choices-2-text_es"
    assert step_field("narrative.en") == "narrative_en"
    assert step_field("id") == "step_id"
    assert step_field("") == "" and step_field("choices") == ""
