"""Item scores follow domain.md §2 to the letter: examples, edge cases and properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.items import keyed_answer, score


def options(field, values, **extra):
    return [{"id": chr(97 + i), field: v, **extra} for i, v in enumerate(values)]


def item(kind, **fields):
    return {"id": "x", "type": kind, **fields}


SINGLE = item("single_choice", options=options("key", [3, 1, 0, 2]))
BEST_WORST = item("best_worst", options=options("key", [3, 2, 0, 1]))
RANK = item("rank", options=options("rank", [2, 1, 4, 3]))
RATING = item("rating", options=options("rating", [5, 2, 1, 4]))
MULTI = item(
    "multi_select",
    options=[
        {"id": "a", "correct": True},
        {"id": "b", "correct": True},
        {"id": "c", "correct": False},
        {"id": "d", "correct": False},
    ],
)
NUMERIC = item("numeric", answer=1.5, tolerance=0.01)


@pytest.mark.parametrize(
    ("the_item", "answer", "expected"),
    [
        (SINGLE, "a", 1.0),
        (SINGLE, "d", 2 / 3),
        (SINGLE, "c", 0.0),
        (SINGLE, None, 0.0),
        (SINGLE, "zz", 0.0),
        # (key(best) − key(worst) + R) / 2R with R = 3
        (BEST_WORST, {"best": "a", "worst": "c"}, 1.0),
        (BEST_WORST, {"best": "b", "worst": "d"}, (2 - 1 + 3) / 6),
        (BEST_WORST, {"best": "c", "worst": "a"}, 0.0),
        (BEST_WORST, {"best": "a", "worst": "a"}, 0.0),  # the same option cannot be both
        (BEST_WORST, {"best": "a"}, 0.0),
        # key order b, a, d, c. Given a, b, d, c: F = 1 + 1 = 2, Fmax = 8.
        (RANK, ["b", "a", "d", "c"], 1.0),
        (RANK, ["a", "b", "d", "c"], 1 - 2 / 8),
        (RANK, ["c", "d", "a", "b"], 0.0),
        (RANK, ["a", "b"], 0.0),
        (RANK, ["a", "a", "b", "c"], 0.0),
        # mean |rating − key| = (0 + 1 + 2 + 0) / 4 = 0.75 → 1 − 0.75 / 4
        (RATING, {"a": 5, "b": 3, "c": 3, "d": 4}, 1 - 0.75 / 4),
        (RATING, {"a": 5, "b": 2, "c": 1}, 1 - 1 / 4),  # d unrated: a miss of 4
        (RATING, {}, 0.0),
        (MULTI, ["a", "b"], 1.0),
        (MULTI, ["a"], 0.5),
        (MULTI, ["a", "c"], 0.0),
        (MULTI, ["a", "b", "c"], 0.5),
        (MULTI, ["c", "d"], 0.0),
        (MULTI, [], 0.0),
        (MULTI, None, 0.0),
        (NUMERIC, 1.5, 1.0),
        (NUMERIC, 1.51, 1.0),
        (NUMERIC, 1.49, 1.0),
        (NUMERIC, 1.52, 0.0),
        (NUMERIC, None, 0.0),
    ],
)
def test_worked_examples(the_item, answer, expected):
    assert score(the_item, answer) == pytest.approx(expected)


def test_a_single_option_rank_scores_one_and_ties_in_keys_are_fine():
    assert score(item("rank", options=options("rank", [1])), ["a"]) == 1.0
    tied = item("single_choice", options=options("key", [2, 2, 0]))
    assert score(tied, "a") == score(tied, "b") == 1.0


def test_best_worst_with_equal_keys_scores_zero_rather_than_dividing_by_zero():
    assert score(item("best_worst", options=options("key", [1, 1, 1])), {"best": "a", "worst": "b"}) == 0.0


def test_a_single_choice_with_only_zero_keys_scores_zero():
    assert score(item("single_choice", options=options("key", [0, 0])), "a") == 0.0


# --- properties over every item type ---------------------------------------------------------


@st.composite
def items_with_answers(draw):
    kind = draw(st.sampled_from(["single_choice", "best_worst", "rank", "rating", "multi_select", "numeric"]))
    n = draw(st.integers(1 if kind in ("rank", "rating") else 2, 6))
    ids = [f"o{i}" for i in range(n)]
    if kind in ("single_choice", "best_worst"):
        keys = draw(
            st.lists(st.integers(0, 3), min_size=n, max_size=n).filter(
                lambda k: max(k) > min(k) or kind == "single_choice"
            )
        )
        the_item = item(kind, options=[{"id": i, "key": k} for i, k in zip(ids, keys, strict=True)])
        answer = draw(
            st.one_of(
                st.none(),
                st.sampled_from(ids),
                st.fixed_dictionaries({"best": st.sampled_from(ids), "worst": st.sampled_from(ids)}),
            )
        )
    elif kind == "rank":
        ranks = draw(st.permutations(range(1, n + 1)))
        the_item = item(kind, options=[{"id": i, "rank": r} for i, r in zip(ids, ranks, strict=True)])
        answer = draw(st.one_of(st.none(), st.permutations(ids), st.lists(st.sampled_from(ids))))
    elif kind == "rating":
        the_item = item(kind, options=[{"id": i, "rating": draw(st.integers(1, 5))} for i in ids])
        answer = draw(st.dictionaries(st.sampled_from(ids), st.integers(0, 6)))
    elif kind == "multi_select":
        flags = draw(st.lists(st.booleans(), min_size=n, max_size=n).filter(lambda f: any(f)))
        the_item = item(kind, options=[{"id": i, "correct": f} for i, f in zip(ids, flags, strict=True)])
        answer = draw(st.lists(st.sampled_from(ids + ["ghost"]), unique=True))
    else:
        the_item = item(kind, answer=draw(st.floats(-1e6, 1e6)), tolerance=draw(st.floats(0, 100)))
        answer = draw(st.one_of(st.none(), st.floats(-1e7, 1e7)))
    if kind == "single_choice" and max(o["key"] for o in the_item["options"]) == 0:
        the_item["options"][0]["key"] = 3
    return the_item, answer


@given(items_with_answers())
def test_scores_stay_within_zero_and_one(case):
    the_item, answer = case
    assert 0.0 <= score(the_item, answer) <= 1.0


@given(items_with_answers())
def test_the_keyed_answer_scores_one(case):
    the_item, _ = case
    assert score(the_item, keyed_answer(the_item)) == pytest.approx(1.0)


@given(items_with_answers(), st.randoms())
def test_the_order_options_are_shown_in_never_changes_a_score(case, rnd):
    the_item, answer = case
    shuffled = (
        {**the_item, "options": rnd.sample(the_item["options"], len(the_item["options"]))}
        if "options" in the_item
        else the_item
    )
    assert score(shuffled, answer) == score(the_item, answer)
