"""The item-writing check on made-up items with known tells (issues 11 and 12)."""

import pytest

from app.domain import items
from app.domain.writing_check import (
    Option,
    Question,
    beyond_chance,
    fixed_positions,
    inspect,
    questions,
    summarise,
    warnings,
)


def question(*options, kind="single_choice", exercise="ex"):
    """options: (id, Spanish text, English text, best?)."""
    return Question("q", kind, exercise, tuple(Option(i, {"es": es, "en": en}, best) for i, es, en, best in options))


TELLING = question(
    ("a", "Lo haces por tu cuenta, sin avisar a nadie.", "You do it on your own.", False),
    ("b", "Preguntas.", "You ask.", False),
    (
        "c",
        "Lo documentas por escrito, con cifras, y lo consultas con riesgos antes de decidir.",
        "You document it.",
        True,
    ),
)


def test_a_longest_key_with_the_procedure_words_and_a_self_flagging_distractor_is_found():
    finding = inspect(TELLING, "es")
    assert finding.longest_is_best and finding.chance == pytest.approx(1 / 3)
    assert finding.procedure_points_to_best
    assert ("a", "por tu cuenta") in finding.giveaways and ("a", "sin avisar") in finding.giveaways
    assert finding.best_positions == (2,)
    listed = warnings(finding)
    assert any("strictly longest" in w for w in listed) and any("«" not in w and "sin avisar" in w for w in listed)


def test_the_same_question_reads_differently_in_each_language():
    english = inspect(TELLING, "en")  # "You do it on your own." is the longest there, and not the key
    assert english.longest_is_best is False
    assert english.giveaways == (("a", "on your own"),)


def test_a_tie_for_longest_is_no_tell():
    tied = question(("a", "abcd", "abcd", True), ("b", "wxyz", "wxyz", False))
    assert inspect(tied, "es").longest_is_best is None


def test_the_summary_sets_each_rate_against_chance():
    balanced = question(("a", "corta", "short", True), ("b", "mucho más larga", "much longer", False))
    summary = {s.kind: s for s in summarise([inspect(TELLING, "es"), inspect(balanced, "es")])}["all"]
    assert (summary.with_longest, summary.longest_is_best) == (2, 1)
    assert summary.chance == pytest.approx((1 / 3 + 1 / 2) / 2)
    assert summary.over_chance == pytest.approx(0.5 - (1 / 3 + 1 / 2) / 2)
    assert summary.giveaway_distractors == 1 and summary.distractors == 3


def test_a_tell_beyond_chance_or_a_giveaway_is_a_problem_and_a_balanced_bank_is_not():
    balanced = question(("a", "corta", "short", True), ("b", "mucho más larga", "much longer", False))
    telling = summarise([inspect(TELLING, "es")])
    assert any("the key is the longest option" in p for p in beyond_chance(telling))
    assert any("giveaway wording in 1 distractors" in p for p in beyond_chance(telling))
    assert beyond_chance(summarise([inspect(balanced, "es")]), within=0.6) == []  # key first: 100 % vs 50 %
    assert any("the key stands first" in p for p in beyond_chance(summarise([inspect(balanced, "es")])))


def test_an_exercise_that_always_keys_the_same_position_is_named():
    same = [inspect(question(("a", "x", "x", False), ("b", "y", "y", True)), "es") for _ in range(4)]
    assert fixed_positions(same) == ["ex: the best option is always in position 2"]


def test_every_option_type_names_its_best_options():
    for name, item_type in items.TYPES.items():
        example = item_type.example()
        ids = {o["id"] for o in example.get("options", [])}
        best = items.best_options(example)
        assert best <= ids and (bool(best) == bool(ids)), name


def test_questions_cover_items_once_and_scenario_steps_by_points():
    item = {
        "id": "i1",
        "type": "single_choice",
        "options": [
            {"id": "a", "key": 1, "text": {"es": "x", "en": "x"}},
            {"id": "b", "key": 0, "text": {"es": "y", "en": "y"}},
        ],
    }
    scenario = {
        "kind": "scenario",
        "steps": [
            {
                "id": "s1",
                "choices": [
                    {"id": "a", "text": {"es": "a", "en": "a"}, "points": {"risk": 3}, "critical": ["ethics"]},
                    {"id": "b", "text": {"es": "b", "en": "b"}, "points": {"risk": 1}},
                ],
            }
        ],
    }
    quiz = {"kind": "quiz", "items": ["i1"]}
    found = questions({"quiz": quiz, "again": quiz, "sc": scenario}, {"i1": item})
    assert [(q.ref, q.kind) for q in found] == [("i1", "single_choice"), ("sc/s1", "scenario_step")]
    assert [o.best for o in found[1].options] == [False, True]  # a critical choice is never the best


def test_words_match_at_their_start_only():
    forecast = question(
        ("a", "Haces una previsión.", "A forecast.", True), ("b", "Revisas el balance.", "You review.", False)
    )
    assert inspect(forecast, "es").procedure_points_to_best is False  # "revis" is in "Revisas", not in "previsión"
