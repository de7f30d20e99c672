"""Item statistics from stored sums equal those computed from the raw score table (domain.md §4)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import item_sums
from app.domain.item_analysis import cronbach_alpha, item_statistics

ITEMS = ("q1", "q2", "q3", "q4")
# Item scores are keyed fractions (a share of the points, partial credit): steps of 1/120 cover them.
score = st.integers(0, 120).map(lambda n: n / 120)
row = st.sets(st.sampled_from(ITEMS), min_size=1).flatmap(
    lambda keys: st.fixed_dictionaries({key: score for key in sorted(keys)})
)


def _summed(rows):
    tables = item_sums.Tables()
    for r in rows:
        given = [(key, {"type": "single_choice"}, x, None) for key, x in r.items()]
        tables.add_attempt(7, (0,), 202611, given, complete=set(r) == set(ITEMS))
    per_item = {key[-1]: cell[1:] for key, cell in tables.cells["item_sums"].items()}
    per_set = {key[-2:]: cell for key, cell in tables.cells["item_set_item_sums"].items()}
    sets = [(key[-1], tables.keys[key[-1]], *cell) for key, cell in tables.cells["item_set_sums"].items()]
    return per_item, per_set, sets


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(row, min_size=0, max_size=40))
def test_statistics_and_alpha_from_sums_equal_the_raw_table(rows):
    per_item, per_set, sets = _summed(rows)
    seen = sorted({key for r in rows for key in r})
    raw = {s.item: s for s in item_statistics(rows, seen)}
    for key in seen:
        got = item_sums.statistics(key, per_item[key])
        want = raw[key]
        assert got.attempts == want.attempts
        assert got.facility == pytest.approx(want.facility, abs=1e-9)
        if want.discrimination is None:
            assert got.discrimination is None
        else:
            assert got.discrimination == pytest.approx(want.discrimination, abs=1e-6)
        assert got.flags == want.flags
    want_alpha = cronbach_alpha(rows, ITEMS)  # over the attempts given every item of the exercise
    got_alpha = item_sums.complete_alpha(sets, set(ITEMS), per_set)
    assert sum(n for _s, _k, n, _t, _tt in sets) == len(rows)  # every attempt counted once
    if want_alpha is None:
        assert got_alpha is None
    else:
        # Relative too: when the totals barely vary, alpha is large (-48,434 for two attempts whose
        # totals differ by 0.008), and the sums' one-pass variance carries a relative error of about
        # eps × ΣT² / var(T) into it, some 1e-11 there: absolute agreement to 1e-6 cannot hold.
        assert got_alpha == pytest.approx(want_alpha, rel=1e-6, abs=1e-6)


def test_a_known_table():
    rows = [
        {"q1": 1.0, "q2": 1.0, "q3": 0.0, "q4": 0.0},
        {"q1": 1.0, "q2": 0.0, "q3": 0.0, "q4": 0.0},
        {"q1": 0.0, "q2": 0.0, "q3": 0.0, "q4": 0.0},
        {"q1": 0.0, "q2": 1.0, "q3": 0.0, "q4": 0.0},
    ]
    per_item, per_set, sets = _summed(rows)
    q1 = item_sums.statistics("q1", per_item["q1"])
    assert (q1.attempts, q1.facility, q1.discrimination) == (4, 0.5, pytest.approx(0.0))
    # totals 2, 1, 0, 1: variance 2/3; q1 and q2 1/3 each, q3 and q4 0: alpha = 4/3 · (1 − (2/3)/(2/3)) = 0
    assert item_sums.complete_alpha(sets, set(ITEMS), per_set) == pytest.approx(0.0)
