"""Every item type in the registry keeps the same promises, checked on each type's own example."""

import random

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from app.domain import items
from app.domain.content_schema import load_bank
from app.domain.items import rank_ties
from app.domain.schema import content_schema

SCORED = [items.TYPES[name] for name in items.SCORED]
ALL = list(items.TYPES.values())


def ids(item_type):
    return item_type.name


@pytest.mark.parametrize("item_type", SCORED, ids=ids)
def test_the_keyed_answer_scores_one_and_a_blank_zero(item_type):
    item = item_type.example()
    assert items.score(item, items.keyed_answer(item)) == 1
    assert items.score(item, None) == 0


@pytest.mark.parametrize("item_type", [t for t in ALL if t.evidence != "scored"], ids=ids)
def test_statements_and_written_tasks_are_not_scored_by_a_rule(item_type):
    item = item_type.example()
    assert not items.is_scored(item)
    with pytest.raises(ValueError):
        items.score(item, "anything")


@pytest.mark.parametrize("item_type", SCORED, ids=ids)
@given(skill=st.floats(0, 1), seed=st.integers(0, 2**32))
def test_simulated_answers_are_answers_the_type_accepts(item_type, skill, seed):
    item = item_type.example()
    value = items.simulate(item, skill, random.Random(seed))
    assert 0 <= items.score(item, value) <= 1
    assert items.is_complete(item, value, [o["id"] for o in item.get("options", [])])


@pytest.mark.parametrize("item_type", SCORED, ids=ids)
def test_a_certain_manager_gives_the_keyed_answer(item_type):
    item = item_type.example()
    assert items.score(item, items.simulate(item, 1.0, random.Random(1))) == 1


@pytest.mark.parametrize("item_type", ALL, ids=ids)
def test_each_example_is_a_valid_item_of_the_content_schema(item_type):
    quiz = "self_assessment" if item_type.evidence == "self_rated" else "quiz"
    exercise = {"kind": quiz, "id": "example", "title": {"es": "E", "en": "E"}, "items": [item_type.example()]}
    rubric = {
        "kind": "rubric",
        "id": "visit-plan",
        "title": {"es": "R", "en": "R"},
        "criteria": [
            {
                "id": "c",
                "title": {"es": "C", "en": "C"},
                "competencies": {"visits": 1},
                "levels": [
                    {"points": 0, "descriptor": {"es": "No", "en": "No"}},
                    {"points": 1, "descriptor": {"es": "Sí", "en": "Yes"}},
                ],
            }
        ],
    }
    sources = {
        "questions/example.yaml": yaml.safe_dump(exercise),
        "rubrics/grading/visit-plan.yaml": yaml.safe_dump(rubric),
    }
    _bank, errors = load_bank(sources)
    assert [str(e) for e in errors] == []


def test_the_schema_names_every_registered_type_and_nothing_else():
    item = content_schema()["$defs"]["item"]
    assert item["properties"]["type"]["enum"] == list(items.TYPES)
    assert [branch["if"]["properties"]["type"]["const"] for branch in item["allOf"]] == list(items.TYPES)


def test_a_field_of_another_type_is_refused_where_it_means_nothing():
    item = {**items.TYPES["single_choice"].example(), "answer": 3}
    exercise = {"kind": "quiz", "id": "example", "title": {"es": "E", "en": "E"}, "items": [item]}
    _bank, errors = load_bank({"questions/example.yaml": yaml.safe_dump(exercise)})
    assert [e.path for e in errors] == ["items[0]"] and "answer" in errors[0].message


# --- rank with ties: docs/scoring.md's worked example, and its properties ----------------------

TIES = {
    "id": "t",
    "type": "rank_ties",
    "options": [{"id": "a", "group": 1}, {"id": "b", "group": 1}, {"id": "c", "group": 2}, {"id": "d", "group": 3}],
}


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ([["a", "b"], ["c"], ["d"]], 1.0),  # the key
        ([["b", "a"], ["c"], ["d"]], 1.0),  # order inside a group means nothing
        ([["a"], ["b"], ["c"], ["d"]], 0.875),  # F = 0.5 + 0.5 = 1 of Fmax = 8
        ([["a", "b", "c", "d"]], 0.5),  # everything tied: F = 1 + 1 + 0.5 + 1.5 = 4
        ([["d"], ["c"], ["b"], ["a"]], 0.0),  # the strict reversal: F = Fmax = 8
        ([["a", "b"], ["c"]], 0.0),  # d unplaced: blank
        ([["a", "b"], ["c"], ["d", "d"]], 0.0),  # d twice: blank
        ("a", 0.0),
    ],
)
def test_rank_with_ties_worked_examples(answer, expected):
    assert items.score(TIES, answer) == pytest.approx(expected)


def test_positions_are_the_mean_place_a_group_spans():
    assert rank_ties.positions([["a", "b"], ["c"], ["d", "e", "f"]]) == {
        "a": 1.5,
        "b": 1.5,
        "c": 3,
        "d": 5,
        "e": 5,
        "f": 5,
    }


@st.composite
def weak_orders(draw):
    n = draw(st.integers(2, 7))
    options = [chr(97 + i) for i in range(n)]
    key = draw(st.lists(st.integers(1, n), min_size=n, max_size=n).filter(lambda g: len(set(g)) >= 2))
    answer = draw(st.lists(st.integers(1, n), min_size=n, max_size=n))
    item = {
        "id": "t",
        "type": "rank_ties",
        "options": [{"id": o, "group": g} for o, g in zip(options, key, strict=True)],
    }
    return item, rank_ties.grouped(dict(zip(options, answer, strict=True)), options)


@given(weak_orders())
def test_rank_with_ties_scores_within_zero_and_one_whatever_the_groups(case):
    item, answer = case
    assert 0 <= items.score(item, answer) <= 1 + 1e-12


def test_a_gap_or_a_single_group_is_refused_by_validation():
    item = {
        **TIES,
        "options": [{**o, "text": {"es": "x", "en": "x"}, "feedback": {"es": "x", "en": "x"}} for o in TIES["options"]],
    }
    item = {**item, "stem": {"es": "x", "en": "x"}, "competencies": {"risk": 1}}
    for groups, ok in (([1, 1, 2, 3], True), ([1, 1, 3, 3], False), ([1, 1, 1, 1], False)):
        options = [{**o, "group": g} for o, g in zip(item["options"], groups, strict=True)]
        exercise = {
            "kind": "quiz",
            "id": "example",
            "title": {"es": "E", "en": "E"},
            "items": [{**item, "options": options}],
        }
        _bank, errors = load_bank({"questions/example.yaml": yaml.safe_dump(exercise)})
        assert (errors == []) is ok, (groups, [str(e) for e in errors])


def test_rank_with_ties_reads_groups_and_asks_for_every_response():
    ids = ["a", "b", "c", "d"]

    def form(**given):
        return {f"answer-t-{o}": [g] for o, g in given.items()}

    assert items.parse(TIES, form(a="2", b="2", c="4", d="1"), ids) == ([["d"], ["a", "b"], ["c"]], None)
    assert items.parse(TIES, form(a="1"), ids) == (None, "group_incomplete")
    assert items.parse(TIES, form(a="1", b="1", c="2", d="9"), ids) == (None, "group_incomplete")
    assert items.parse(TIES, form(a="1", b="²", c="2", d="3"), ids) == (None, "group_incomplete")
    assert items.parse(TIES, {}, ids) == (None, None)


@pytest.mark.parametrize("item_type", [t for t in SCORED if t.example().get("options")], ids=ids)
def test_the_review_can_say_what_the_key_says_of_the_options(item_type):
    item = item_type.example()
    marks = [items.key_mark(item, o["id"]) for o in item["options"]]
    assert any(mark for mark, _value in marks)
    if item_type.name == "single_choice":  # the one most effective response is the keyed answer
        assert [o["id"] for o, (mark, _v) in zip(item["options"], marks, strict=True) if mark] == [
            items.keyed_answer(item)
        ]
