"""Reliability of a diagnostic on synthetic managers: Spearman–Brown, and alpha per competency."""

import pytest

from app.domain.items import TYPES
from app.domain.reliability import estimate, spearman_brown


def test_spearman_brown_matches_the_textbook():
    assert spearman_brown(0.5, 2) == pytest.approx(2 / 3)
    assert spearman_brown(0.8, 1) == pytest.approx(0.8)
    assert spearman_brown(0.6, 0.5) == pytest.approx(0.3 / 0.7)


def item(key, code):
    return {**TYPES["single_choice"].example(), "id": key, "competencies": {code: 2}}


def test_alpha_is_given_overall_and_per_competency_for_what_an_attempt_draws():
    bank = {f"{code}-{n}": item(f"{code}-{n}", code) for code in ("risk", "ethics") for n in range(4)}
    exercise = {"draw": [{"count": 3, "from": [f"{c}-{n}" for n in range(4)]} for c in ("risk", "ethics")]}
    rows = estimate(exercise, bank, "junior", managers=400)
    assert [(r.scope, r.pool, r.drawn) for r in rows] == [("all", 8, 6), ("ethics", 4, 3), ("risk", 4, 3)]
    for r in rows:
        assert r.alpha_pool is not None and 0 < r.alpha_pool < 1
        assert r.alpha_drawn == pytest.approx(spearman_brown(r.alpha_pool, r.drawn / r.pool))
        assert r.alpha_drawn < r.alpha_pool  # fewer items, less reliable
    assert estimate(exercise, bank, "junior", managers=400) == rows  # seeded: the same every run
