"""Scenario choices are shown in an order fixed per attempt and step (issue 12: never the file order)."""

from hypothesis import given
from hypothesis import strategies as st

from app.domain.attempt_plan import choice_order, statement_order

STEP = {"id": "s1", "choices": [{"id": c} for c in "abcd"]}


@given(st.integers(0, 2**31 - 1))
def test_the_same_attempt_sees_the_same_order_and_every_choice_once(seed):
    order = [c["id"] for c in choice_order(STEP, seed, True)]
    assert order == [c["id"] for c in choice_order(STEP, seed, True)]
    assert sorted(order) == list("abcd")


def test_attempts_see_different_orders_unless_the_step_fixes_it_or_shuffling_is_off():
    orders = {tuple(c["id"] for c in choice_order(STEP, seed, True)) for seed in range(40)}
    assert len(orders) > 10
    assert [c["id"] for c in choice_order({**STEP, "fixed_order": True}, 3, True)] == list("abcd")
    assert [c["id"] for c in choice_order(STEP, 3, False)] == list("abcd")


def test_statements_come_in_an_order_fixed_per_attempt_not_grouped_by_competency():
    exercise = {"items": [f"s{i:02d}" for i in range(20)]}
    assert statement_order(exercise, 5) == statement_order(exercise, 5)
    assert sorted(statement_order(exercise, 5)) == exercise["items"]
    assert len({tuple(statement_order(exercise, seed)) for seed in range(10)}) == 10
