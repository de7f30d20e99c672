"""The competency profile, to the letter of domain.md §3."""

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.profile import AttemptResult, build_profile, history, history_rows, measured_scores, practise_next

JAN, FEB, MAR = datetime(2026, 1, 15), datetime(2026, 2, 15), datetime(2026, 3, 15)


def result(exercise, when, **scores):
    return AttemptResult(exercise, when, scores)


def test_profile_scores_weight_each_exercise_by_its_evidence():
    results = [result("quiz", JAN, ethics=(1.0, 3)), result("scenario", FEB, ethics=(0.4, 1), risk=(0.5, 2))]
    measured = measured_scores(results)
    assert measured["ethics"] == (pytest.approx((3 * 1.0 + 1 * 0.4) / 4 * 100), 4)
    assert measured["risk"] == (50.0, 2)


def test_a_retake_replaces_the_earlier_attempt():
    results = [result("quiz", JAN, ethics=(0.2, 3)), result("quiz", MAR, ethics=(0.9, 3))]
    assert measured_scores(results)["ethics"] == (pytest.approx(90.0), 3)


def test_levels_gaps_evidence_and_calibration():
    results = [result("quiz", JAN, ethics=(0.85, 4), risk=(0.5, 4), planning=(0.7, 2))]
    profile = {
        p.code: p
        for p in build_profile(results, {"ethics": 50.0, "risk": 90.0}, {"ethics": 3, "risk": 2, "planning": 2})
    }
    ethics, risk, planning = profile["ethics"], profile["risk"], profile["planning"]
    assert (ethics.level, ethics.gap) == (4, -1)
    assert (risk.level, risk.gap) == (2, 0)
    assert ethics.self_level == 2 and ethics.calibration == -2 and ethics.hidden_strength
    assert risk.self_level == 4 and risk.calibration == 2 and risk.blind_spot
    assert (
        planning.insufficient
        and planning.score == pytest.approx(70.0)
        and planning.level is None
        and planning.gap is None
    )
    assert profile["visits"].score is None and not profile["visits"].insufficient


def test_history_shows_the_profile_at_each_month_end():
    results = [result("quiz", JAN, ethics=(0.5, 3)), result("quiz", MAR, ethics=(1.0, 3))]
    months = [datetime(2026, 1, 31), datetime(2026, 2, 28), datetime(2026, 3, 31)]
    assert [scores.get("ethics") for _end, scores in history(results, months)] == [50.0, 50.0, 100.0]


def test_practise_next_targets_the_largest_gaps_then_thin_evidence():
    results = [result("q", JAN, ethics=(0.3, 4), risk=(0.5, 4), visits=(0.9, 4))]
    profile = build_profile(results, {}, {"ethics": 3, "risk": 3, "visits": 2})
    picks = practise_next(
        profile, {"ethics": ["practice-ethics"], "risk": ["practice-risk"], "planning": ["practice-planning"]}
    )
    # ethics: level 1 against 3 (gap 2); risk: level 2 against 3 (gap 1); then no evidence at all.
    assert picks == [("ethics", "practice-ethics"), ("risk", "practice-risk"), ("planning", "practice-planning")]


@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(1, 28), st.floats(0, 1), st.floats(0.1, 5)), min_size=1
    )
)
def test_profile_scores_stay_within_zero_and_a_hundred(rows):
    results = [result(ex, datetime(2026, 2, day), ethics=(score, weight)) for ex, day, score, weight in rows]
    score, evidence = measured_scores(results)["ethics"]
    assert -1e-9 <= score <= 100 + 1e-9 and evidence > 0


def test_history_rows_give_each_competency_its_sparkline_and_monthly_cells():
    ends = [datetime(2026, m, 28) for m in (1, 2, 3)]
    history = [(ends[0], {}), (ends[1], {"risk": 50.0}), (ends[2], {"risk": 72.6, "ethics": 100.0})]
    risk, ethics, visits = history_rows(history, ["risk", "ethics", "visits"])
    assert (risk.points, risk.cells, risk.last) == ("60.0,20.0 120.0,11.0", ("", "50", "73"), (120.0, 11.0))
    assert (ethics.points, ethics.cells, ethics.last) == ("120.0,0.0", ("", "", "100"), (120.0, 0.0))
    assert (visits.points, visits.cells, visits.last) == ("", ("", "", ""), None)


@given(st.lists(st.dictionaries(st.sampled_from(["risk", "ethics"]), st.floats(0, 100)), min_size=1, max_size=24))
def test_history_rows_have_a_cell_per_month_and_a_point_per_month_measured(months):
    history = [(datetime(2026, 1, 1), scores) for scores in months]
    for row in history_rows(history, ["risk", "ethics"]):
        assert len(row.cells) == len(months)
        measured = [scores for scores in months if row.code in scores]
        assert len(row.points.split()) == len(measured)
        for point, scores in zip(row.points.split(), measured, strict=True):
            x, y = map(float, point.split(","))
            assert 0 <= x <= 120 and 0 <= y <= 40 and abs(y - (40 - scores[row.code] * 0.4)) <= 0.05
