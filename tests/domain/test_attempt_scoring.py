"""Attempt and self-rated scores (domain.md §3), and scenario scoring with critical choices."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.attempt_scoring import Evidence, aggregate, item_evidence, rubric_evidence, self_rated
from app.domain.scenarios import best_points, score_path
from tests.domain.test_scenarios import DIAMOND, layered_dags


def test_attempt_scores_are_weighted_means_with_their_evidence_weight():
    evidence = [
        *item_evidence({"ethics": 2, "communication": 1}, 1.0),
        *item_evidence({"ethics": 1}, 0.4),
        Evidence("risk", 1, 0.5),
    ]
    result = aggregate(evidence)
    assert result["ethics"].score == pytest.approx((2 * 1.0 + 1 * 0.4) / 3)
    assert result["ethics"].weight == 3
    assert result["communication"].score == 1.0 and result["risk"].weight == 1


def test_rubric_scores_follow_the_criteria_mapping():
    rubric = {
        "criteria": [
            {"id": "goals", "competencies": {"planning": 2, "visits": 1}, "levels": [{"points": 0}, {"points": 3}]},
            {
                "id": "tone",
                "competencies": {"communication": 1, "planning": 1},
                "levels": [{"points": 0}, {"points": 2}],
            },
        ]
    }
    result = {e.competency: e for e in rubric_evidence(rubric, {"goals": 3, "tone": 1})}
    assert result["planning"].score == pytest.approx((2 * 3 + 1 * 1) / (2 * 3 + 1 * 2))
    assert result["planning"].weight == 3
    assert result["visits"].score == 1.0 and result["communication"].score == 0.5
    assert {e.competency: e.score for e in rubric_evidence(rubric, {})} == {
        "communication": 0,
        "planning": 0,
        "visits": 0,
    }


def test_self_rated_scores_flip_reverse_keys_and_share_the_measured_scale():
    answers = [("planning", 5, False), ("planning", 1, True), ("ethics", 3, False), ("ethics", 2, True)]
    assert self_rated(answers) == {"ethics": pytest.approx((3.5 - 1) / 4 * 100), "planning": 100.0}
    assert self_rated([("risk", 1, False)]) == {"risk": 0.0}


def test_a_scenario_path_scores_earned_over_best():
    result = score_path(DIAMOND, [("s1", "to-s2"), ("s2", "to-bad")])
    assert result.scores == {"ethics": 1.0, "relationship": pytest.approx(1 / 3), "communication": 0.0}
    assert result.critical == {}


def test_a_critical_choice_zeroes_its_competency_whatever_was_earned():
    critical = {**DIAMOND, "steps": [dict(s) for s in DIAMOND["steps"]]}
    critical["steps"][1] = {
        **critical["steps"][1],
        "choices": [{**critical["steps"][1]["choices"][0], "critical": ["ethics"]}, critical["steps"][1]["choices"][1]],
    }
    result = score_path(critical, [("s1", "to-s2"), ("s2", "to-good")])
    assert result.scores["ethics"] == 0.0
    assert result.scores["relationship"] == 1.0
    assert result.critical == {"ethics": ["to-good"]}


def _best_path(scn):
    """Follow, at each step, a choice on a path that is best for every competency at once if one exists."""
    steps = {s["id"]: s for s in scn["steps"]}
    best = best_points(scn)

    def remaining(step_id, code):
        step = steps[step_id]
        if step.get("end"):
            return 0
        return max(c["points"].get(code, 0) + remaining(c["next"], code) for c in step["choices"])

    path, at = [], scn["start"]
    while not steps[at].get("end"):
        choice = next(
            (
                c
                for c in steps[at]["choices"]
                if all(c["points"].get(k, 0) + remaining(c["next"], k) == remaining(at, k) for k in best)
            ),
            None,
        )
        if choice is None:
            return None
        path.append((at, choice["id"]))
        at = choice["next"]
    return path


@given(layered_dags())
def test_the_best_path_scores_one_on_every_competency_it_measures(scn):
    for code in ("ethics", "risk"):
        single = {
            **scn,
            "steps": [
                {**s, "choices": [{**c, "points": {code: c["points"].get(code, 0)}} for c in s.get("choices", [])]}
                if not s.get("end")
                else s
                for s in scn["steps"]
            ],
        }
        path = _best_path(single)
        assert path is not None
        result = score_path(single, path)
        assert all(v == pytest.approx(1.0) for v in result.scores.values())


@given(st.lists(st.tuples(st.sampled_from(["ethics", "risk"]), st.floats(0.1, 5), st.floats(0, 1)), min_size=1))
def test_aggregates_stay_within_zero_and_one(rows):
    for value in aggregate(Evidence(*row) for row in rows).values():
        assert -1e-12 <= value.score <= 1 + 1e-12
