"""The synthetic managers' model: valid answers always, and the statistical shape we rely on."""

import random
from statistics import mean

from hypothesis import given
from hypothesis import strategies as st

from app.domain import items, synthetic
from app.domain.items import score
from app.domain.scenarios import best_points, score_path

OPTIONS = [
    {"id": "a", "key": 3, "rank": 1, "rating": 5, "correct": True},
    {"id": "b", "key": 2, "rank": 2, "rating": 4, "correct": True},
    {"id": "c", "key": 1, "rank": 3, "rating": 2, "correct": False},
    {"id": "d", "key": 0, "rank": 4, "rating": 1, "correct": False},
]
ITEMS = [
    {"type": kind, "options": OPTIONS} for kind in ("single_choice", "best_worst", "rank", "rating", "multi_select")
] + [{"type": "numeric", "answer": 12.5, "tolerance": 0.05}]
SCENARIO = {
    "start": "s1",
    "steps": [
        {
            "id": "s1",
            "choices": [
                {"id": "good", "points": {"ethics": 3}, "next": "s2"},
                {"id": "leak", "points": {"ethics": 1}, "critical": ["ethics"], "next": "s2"},
            ],
        },
        {
            "id": "s2",
            "choices": [
                {"id": "close", "points": {"ethics": 2, "negotiation": 2}, "next": "end"},
                {"id": "rush", "points": {"negotiation": 1}, "next": "end"},
            ],
        },
        {"id": "end", "end": True},
    ],
}


@given(st.sampled_from(ITEMS), st.floats(0, 1), st.integers(0, 2**32))
def test_every_answer_is_one_the_scoring_rules_accept_and_scores_in_range(item, skill, seed):
    value = items.simulate(item, skill, random.Random(seed))
    assert 0 <= score(item, value) <= 1


@given(st.sampled_from(ITEMS), st.integers(0, 2**32))
def test_a_certain_manager_gives_the_keyed_answer(item, seed):
    assert score(item, items.simulate(item, 1.0, random.Random(seed))) == 1


def test_more_skill_earns_more_on_every_item_type():
    rng = random.Random(7)
    for item in ITEMS:
        weak = mean(score(item, items.simulate(item, 0.2, rng)) for _ in range(400))
        strong = mean(score(item, items.simulate(item, 0.8, rng)) for _ in range(400))
        assert strong > weak + 0.1, item["type"]


def test_juniors_score_lower_than_seniors_and_competencies_correlate():
    rng = random.Random(11)
    juniors = [synthetic.draw_traits(rng, "junior") for _ in range(500)]
    seniors = [synthetic.draw_traits(rng, "senior") for _ in range(500)]
    assert mean(t.skill("risk", 0) for t in juniors) + 0.1 < mean(t.skill("risk", 0) for t in seniors)
    xs = [t.latent["risk"] for t in juniors]
    ys = [t.latent["ethics"] for t in juniors]
    mx, my = mean(xs), mean(ys)
    covariance = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    spread = (sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys)) ** 0.5
    assert covariance / spread > 0.5  # the general factor: one competency predicts another


def test_practice_over_the_months_raises_skill():
    traits = synthetic.draw_traits(random.Random(3), "junior")
    assert traits.skill("visits", 12) > traits.skill("visits", 0)


def test_juniors_are_over_confident_on_average():
    rng = random.Random(5)
    statement = {"type": "likert", "competency": "planning"}
    gaps = []
    for _ in range(400):
        traits = synthetic.draw_traits(rng, "junior")
        believed = (synthetic.answer(statement, traits, 0, rng) - 1) / 4
        gaps.append(believed - traits.expected_score("planning", 0))
    assert mean(gaps) > 0.03


@given(st.integers(0, 2**32))
def test_likert_answers_are_on_the_scale_and_reverse_keys_flip(seed):
    traits = synthetic.draw_traits(random.Random(seed), "mid")
    plain = synthetic.answer({"type": "likert", "competency": "ethics"}, traits, 0, random.Random(seed))
    flipped = synthetic.answer(
        {"type": "likert", "competency": "ethics", "reverse": True}, traits, 0, random.Random(seed)
    )
    assert 1 <= plain <= 5 and flipped == 6 - plain


@given(st.integers(0, 2**32))
def test_a_scenario_walk_ends_at_an_end_and_scores(seed):
    traits = synthetic.draw_traits(random.Random(seed), "mid")
    path = synthetic.scenario_path(SCENARIO, traits, 0, random.Random(seed))
    assert [step for step, _ in path] == ["s1", "s2"]
    result = score_path(SCENARIO, path)
    assert set(result.scores) == set(best_points(SCENARIO))
