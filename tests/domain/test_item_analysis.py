"""Item analysis reproduces Moodle's known answers and behaves at the edges."""

import csv
from pathlib import Path

import pytest

from app.domain.item_analysis import cronbach_alpha, flags, item_statistics, option_tallies, pearson

MOODLE = Path(__file__).resolve().parents[1] / "fixtures" / "moodle"


def moodle_results():
    with open(MOODLE / "quiz_statistics_results00.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    items = [f"slots.{n}.mark" for n in range(1, 8)]
    return [{i: float(row[i]) for i in items} for row in rows], items


def moodle_expected():
    with open(MOODLE / "quiz_statistics_qstats00.csv", newline="") as handle:
        return {int(row["slot"]): row for row in csv.DictReader(handle)}


def test_facility_and_discrimination_match_moodle_for_all_seven_items():
    rows, items = moodle_results()
    expected = moodle_expected()
    assert len(rows) == 25 and len(expected) == 7
    for slot, stats in enumerate(item_statistics(rows, items), start=1):
        assert stats.attempts == 25
        assert stats.facility == pytest.approx(float(expected[slot]["facility"]), abs=1e-6)
        assert stats.discrimination * 100 == pytest.approx(float(expected[slot]["discriminationindex"]), abs=1e-6)


def test_pearson_edge_cases():
    assert pearson([1, 1, 1], [1, 2, 3]) is None  # no variance: undefined, not 0
    assert pearson([1], [2]) is None
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)


def test_flags_need_thirty_attempts_and_name_the_problem():
    assert flags(29, 0.1, 0.0) == ()
    assert flags(30, 0.1, 0.5) == ("too_hard",)
    assert flags(30, 0.97, 0.5) == ("too_easy",)
    assert flags(30, 0.5, 0.1) == ("low_discrimination",)
    assert flags(30, 0.5, None) == ("low_discrimination",)
    assert flags(30, 0.5, 0.4) == ()


def test_cronbach_alpha_known_value_and_edges():
    # Three items, four people: a textbook case computed by hand.
    rows = [{"a": 1, "b": 1, "c": 1}, {"a": 1, "b": 1, "c": 0}, {"a": 0, "b": 1, "c": 0}, {"a": 0, "b": 0, "c": 0}]
    var_items = 1 / 3 + 0.25 + 0.25  # sample variances of a, b, c
    var_total = 5 / 3  # totals 3, 2, 1, 0
    assert cronbach_alpha(rows, ["a", "b", "c"]) == pytest.approx(1.5 * (1 - var_items / var_total))
    assert cronbach_alpha(rows, ["a"]) is None
    assert cronbach_alpha([{"a": 1, "b": 1}, {"a": 1, "b": 1}], ["a", "b"]) is None


def test_items_left_out_of_an_attempt_are_not_counted_as_zero():
    rows = [{"a": 1.0, "b": None}, {"a": 0.0, "b": 1.0}, {"a": 1.0, "b": 0.0}]
    stats = {s.item: s for s in item_statistics(rows, ["a", "b"])}
    assert stats["b"].attempts == 2 and stats["b"].facility == 0.5


def test_option_tallies_count_each_way_an_answer_marks_an_option_and_mean_positions():
    best_worst = {"type": "best_worst", "options": [{"id": i, "key": k} for i, k in (("a", 3), ("b", 1), ("c", 0))]}
    answered, tallies = option_tallies(best_worst, [{"best": "a", "worst": "c"}, {"best": "b", "worst": "c"}, None])
    assert answered == 2
    assert [(t.option, t.marks, t.key) for t in tallies] == [
        ("a", {"best": 1}, ("best", None)),
        ("b", {"best": 1}, (None, None)),
        ("c", {"worst": 2}, ("worst", None)),
    ]
    rank = {"type": "rank", "options": [{"id": "a", "rank": 1}, {"id": "b", "rank": 2}]}
    _answered, tallies = option_tallies(rank, [["a", "b"], ["b", "a"], ["a", "b"]])
    assert [(t.option, round(t.mean, 3), t.key) for t in tallies] == [
        ("a", 1.333, ("position", 1)),
        ("b", 1.667, ("position", 2)),
    ]
    multi = {"type": "multi_select", "options": [{"id": "a", "correct": True}, {"id": "b", "correct": False}]}
    _answered, tallies = option_tallies(multi, [["a", "b"], ["a"]])
    assert [t.marks for t in tallies] == [{"chosen": 2}, {"chosen": 1}]
