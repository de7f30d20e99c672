"""Grading written answers on a rubric: the workflow's rules and the rubric evidence (domain.md §3)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.attempt_scoring import rubric_total, score_attempt
from app.domain.grading import disagreements, problems, rubric_agreement, sampled_for_moderation

RUBRIC = {
    "id": "memo",
    "criteria": [
        {"id": "signs", "competencies": {"risk": 2, "analysis": 1}, "levels": [{"points": p} for p in (0, 1, 2, 3)]},
        {"id": "figures", "competencies": {"analysis": 2}, "levels": [{"points": p} for p in (0, 2, 4)]},
    ],
}
EXERCISE = {"kind": "quiz", "id": "task"}
ITEM = {"id": "memo-1", "type": "open_response", "rubric": "memo", "stem": {"es": "-", "en": "-"}}
CHOICE = {
    "id": "q1",
    "type": "single_choice",
    "competencies": {"risk": 1},
    "options": [{"id": "a", "key": 2}, {"id": "b", "key": 0}],
    "stem": {"es": "-", "en": "-"},
}


def test_a_graded_answer_is_evidence_per_competency_through_its_criteria():
    """risk: 2·2 / 2·3 = 2/3 with weight 2; analysis: (1·2 + 2·4) / (1·3 + 2·4) = 10/11 with weight 3."""
    outcome = score_attempt(
        EXERCISE,
        [("memo-1", ITEM)],
        {"memo-1": "text"},
        rubrics={"memo": RUBRIC},
        grades={"memo-1": {"signs": 2, "figures": 4}},
    )
    assert not outcome.awaiting_grading
    assert outcome.scores["risk"].score == pytest.approx(2 / 3) and outcome.scores["risk"].weight == 2
    assert outcome.scores["analysis"].score == pytest.approx(10 / 11) and outcome.scores["analysis"].weight == 3
    assert outcome.item_scores == {"memo-1": pytest.approx(6 / 7)}


def test_an_answered_written_item_waits_for_its_grade_but_a_blank_one_scores_zero_on_every_criterion():
    planned = [("q1", CHOICE), ("memo-1", ITEM)]
    waiting = score_attempt(EXERCISE, planned, {"q1": "a", "memo-1": "text"}, rubrics={"memo": RUBRIC})
    assert waiting.awaiting_grading and waiting.scores == {}
    blank = score_attempt(EXERCISE, planned, {"q1": "a"}, rubrics={"memo": RUBRIC})
    assert not blank.awaiting_grading
    assert blank.scores["analysis"].score == 0 and blank.scores["analysis"].weight == 3
    assert blank.scores["risk"].score == pytest.approx(1 / 3)  # (1·1 + 2·0) / (1 + 2)
    assert "memo-1" not in blank.item_scores


def test_rubric_total_is_points_over_the_maximum():
    assert rubric_total(RUBRIC, {"signs": 3, "figures": 4}) == 1
    assert rubric_total(RUBRIC, {}) == 0
    assert rubric_total(RUBRIC, {"signs": 1, "figures": 2}) == pytest.approx(3 / 7)


def test_problems_name_ungraded_criteria_only_on_submission_and_unknown_levels_always():
    assert problems(RUBRIC, {"signs": 2}, complete=False) == {}
    assert problems(RUBRIC, {"signs": 2}, complete=True) == {"figures": "ungraded"}
    assert problems(RUBRIC, {"signs": 2, "figures": 3}, complete=False) == {"figures": "unknown_level"}


def test_two_levels_apart_on_any_criterion_needs_a_resolution():
    assert disagreements(RUBRIC, {"signs": 0, "figures": 2}, {"signs": 1, "figures": 4}) == []
    assert disagreements(RUBRIC, {"signs": 0, "figures": 0}, {"signs": 2, "figures": 4}) == ["signs", "figures"]


def test_rubric_agreement_compares_levels_by_position():
    result = rubric_agreement(RUBRIC, {"signs": [(3, 3)], "figures": [(2, 4)]})
    assert (result.pairs, result.exact, result.adjacent) == (2, 0.5, 1.0)


def test_moderation_samples_nothing_at_zero_and_each_graders_first_response():
    assert not any(sampled_for_moderation(i, 0, False) for i in range(100))
    assert sampled_for_moderation(12345, 1, grader_sampled_before=False)
    assert all(sampled_for_moderation(i, 100, True) for i in range(100))


@given(st.integers(1, 99))
def test_moderation_samples_about_the_share_asked_for(percent):
    share = sum(sampled_for_moderation(i, percent, True) for i in range(1, 10001)) / 10000
    assert share == pytest.approx(percent / 100, abs=0.02)
