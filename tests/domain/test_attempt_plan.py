"""Scenario choices are shown in an order fixed per attempt and step (issue 12: never the file order)."""

from hypothesis import given
from hypothesis import strategies as st

from app.domain.attempt_plan import choice_order

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
