import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.attempt_plan import draw_items, option_order
from app.domain.items import is_complete, parse
from app.domain.items.numeric import parse_number


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("1,5", "es", 1.5),
        ("1.5", "es", 1.5),
        ("1.5", "en", 1.5),
        ("1,5", "en", 1.5),
        ("12.500", "es", 12500.0),
        ("12,500", "en", 12500.0),
        ("12.500,75 €", "es", 12500.75),
        ("€12,500.75", "en", 12500.75),
        ("1.050.000", "es", 1050000.0),
        ("55 %", "es", 55.0),
        ("-0,25", "es", -0.25),
        ("1 234,5", "es", 1234.5),
        ("abc", "es", None),
        ("1,2,3", "en", None),
        ("", "es", None),
        ("1.2.3", "en", None),
    ],
)
def test_numbers_are_read_as_people_type_them(text, locale, expected):
    assert parse_number(text, locale) == expected


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 2)))
def test_a_number_written_the_spanish_way_reads_back(value):
    spanish = f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    assert parse_number(spanish, "es") == pytest.approx(value)
    assert parse_number(f"{value:,.2f}", "en") == pytest.approx(value)


OPTIONS = ["a", "b", "c"]


def fields(**values):
    return {k.replace("_", "-"): v if isinstance(v, list) else [v] for k, v in values.items()}


def test_best_worst_refuses_the_same_option_twice():
    item = {"id": "x", "type": "best_worst"}
    assert parse(item, fields(answer_x_best="a", answer_x_worst="a"), OPTIONS) == (None, "best_is_worst")
    assert parse(item, fields(answer_x_best="a", answer_x_worst="c"), OPTIONS) == ({"best": "a", "worst": "c"}, None)
    assert parse(item, fields(answer_x_best="a"), OPTIONS) == (None, "best_and_worst_needed")
    assert parse(item, {}, OPTIONS) == (None, None)


def test_rank_needs_each_position_once():
    item = {"id": "x", "type": "rank"}
    assert parse(item, fields(answer_x_a="2", answer_x_b="1", answer_x_c="3"), OPTIONS) == (["b", "a", "c"], None)
    assert parse(item, fields(answer_x_a="1", answer_x_b="1", answer_x_c="3"), OPTIONS) == (
        None,
        "rank_not_permutation",
    )
    assert parse(item, fields(answer_x_a="1"), OPTIONS) == (None, "rank_incomplete")


def test_choices_must_be_offered_options():
    assert parse({"id": "x", "type": "single_choice"}, fields(answer_x="zz"), OPTIONS) == (None, "invalid_choice")
    assert parse(
        {"id": "x", "type": "multi_select", "options": [{"id": o} for o in OPTIONS]},
        fields(answer_x=["a", "zz", "c"]),
        OPTIONS,
    ) == (["a", "c"], None)
    assert parse({"id": "x", "type": "likert"}, fields(answer_x="6"), []) == (None, "invalid_choice")
    assert parse({"id": "x", "type": "likert"}, fields(answer_x="4"), []) == (4, None)


def test_ratings_may_be_partial_but_only_complete_grids_count_as_complete():
    item = {"id": "x", "type": "rating"}
    value, _ = parse(item, fields(answer_x_a="5", answer_x_b="9"), OPTIONS)
    assert value == {"a": 5}
    assert not is_complete(item, value, OPTIONS)
    assert is_complete(item, {"a": 5, "b": 1, "c": 3}, OPTIONS)


def test_open_responses_are_trimmed_and_limited():
    item = {"id": "x", "type": "open_response", "max_chars": 10}
    assert parse(item, fields(answer_x="  Hola\r\nmundo "), []) == ("Hola\nmundo", None)
    assert parse(item, fields(answer_x="x" * 11), []) == (None, "too_long")


def test_the_seed_fixes_the_draw_and_the_orders():
    exercise = {"draw": [{"count": 2, "from": ["a", "b", "c", "d"]}, {"count": 1, "from": ["e", "f"]}]}
    first = draw_items(exercise, 42, shuffle_items=True)
    assert first == draw_items(exercise, 42, shuffle_items=True)
    assert len(first) == 3 and len(set(first)) == 3
    assert {k for k in first} & {"e", "f"}
    item = {"id": "q", "type": "single_choice", "options": [{"id": i} for i in "abcdef"]}
    assert option_order(item, 7, True) == option_order(item, 7, True)
    assert sorted(option_order(item, 7, True)) == list("abcdef")
    assert option_order(item, 7, False) == list("abcdef")
    assert draw_items({"items": ["x", "y", "z"]}, 1, shuffle_items=False) == ["x", "y", "z"]


def test_a_werkzeug_multidict_is_read_like_the_browser_sent_it():
    from werkzeug.datastructures import MultiDict

    form = MultiDict([("answer-x", "12,5"), ("answer-m", "a"), ("answer-m", "c")])
    assert parse({"id": "x", "type": "numeric"}, form, []) == (12.5, None)
    assert parse({"id": "m", "type": "multi_select", "options": [{"id": o} for o in OPTIONS]}, form, OPTIONS) == (
        ["a", "c"],
        None,
    )
