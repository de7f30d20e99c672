"""A statistical model of managers answering the content bank, for synthetic data at scale.

Each synthetic manager has a latent skill per competency: a general factor shared by all
competencies (so they correlate), a career-level shift (juniors lower), the manager's own
deviation, and growth with practice over the months. The skill is the probability of giving
the keyed answer to an item; otherwise the answer is a plausible mistake, so scores come out
of the real scoring rules rather than being invented. Self-ratings add an over-confidence
bias, larger for juniors (domain.md §3's blind spots).

Everything takes a seeded `random.Random`: the same seed gives the same bank.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass

from app.domain import items
from app.domain.framework import COMPETENCY_CODES

LEVEL_SHIFT = {"junior": -0.7, "mid": 0.0, "senior": 0.6}
GROWTH_PER_YEAR = {"junior": 0.6, "mid": 0.35, "senior": 0.15}
OVERCONFIDENCE = {"junior": 0.10, "mid": 0.05, "senior": 0.02}  # on the 0–1 scale
# A wrong answer still earns partial credit on most item types (a sensible second-best option,
# a ranking one swap away): about this much, on average, in this bank.
PARTIAL_CREDIT = 0.45
GENERAL_LOADING = 0.75  # how much of a competency's skill the general factor explains
OWN_SPREAD = 0.55


def _logistic(x: float) -> float:
    return 1 / (1 + math.exp(-x))


@dataclass(frozen=True)
class Traits:
    career_level: str
    latent: Mapping[str, float]  # per competency, on the logit scale at month 0
    overconfidence: float
    engagement: float  # mean attempts a month

    def skill(self, competency: str, months_in: float) -> float:
        """P(keyed answer) for an item of this competency after `months_in` months of practice."""
        grown = self.latent[competency] + GROWTH_PER_YEAR.get(self.career_level, 0.3) * months_in / 12
        return _logistic(1.2 * grown - 0.9)

    def expected_score(self, competency: str, months_in: float) -> float:
        """The 0–1 score the manager tends to earn: the keyed answer, or partial credit."""
        skill = self.skill(competency, months_in)
        return skill + (1 - skill) * PARTIAL_CREDIT

    def item_skill(self, weights: Mapping[str, float], months_in: float) -> float:
        """An item measuring several competencies draws on them in proportion to its weights."""
        total = sum(weights.values()) or 1
        return sum(self.skill(c, months_in) * w for c, w in weights.items() if c in self.latent) / total


def draw_traits(rng: random.Random, career_level: str) -> Traits:
    general = rng.gauss(0, 1)
    shift = LEVEL_SHIFT.get(career_level, 0.0)
    latent = {code: shift + GENERAL_LOADING * general + OWN_SPREAD * rng.gauss(0, 1) for code in COMPETENCY_CODES}
    overconfidence = rng.gauss(OVERCONFIDENCE.get(career_level, 0.05), 0.08)
    engagement = min(4.0, rng.lognormvariate(-0.2, 0.5))
    return Traits(career_level, latent, overconfidence, engagement)


def answer(item: Mapping, traits: Traits, months_in: float, rng: random.Random):
    """An answer in the shape the player stores, from the item type's own model of answering.

    A rule-scored item draws on the competencies it weights; a self-assessment statement on how
    good the manager believes they are, over-confidence included.
    """
    if item["type"] in items.SELF_RATED:
        believed = traits.expected_score(item["competency"], months_in) + traits.overconfidence
        return items.simulate(item, believed, rng)
    return items.simulate(item, traits.item_skill(item.get("competencies") or {}, months_in), rng)


def scenario_path(scenario: Mapping, traits: Traits, months_in: float, rng: random.Random) -> list[tuple[str, str]]:
    """(step, choice) decisions from start to an end: the richest choice when skilled, else any."""
    steps = {s["id"]: s for s in scenario["steps"]}
    path = []
    step = steps[scenario["start"]]
    while not step.get("end"):
        choices = step["choices"]

        def value(choice: Mapping) -> float:
            return sum((choice.get("points") or {}).values()) - 10 * len(choice.get("critical") or [])

        weights = {c: p for ch in choices for c, p in (ch.get("points") or {}).items()}
        chosen = (
            max(choices, key=value) if rng.random() < traits.item_skill(weights, months_in) else rng.choice(choices)
        )
        path.append((step["id"], chosen["id"]))
        step = steps[chosen["next"]]
    return path
