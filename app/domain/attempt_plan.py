"""What an attempt shows, fixed by its seed: the items drawn, their order, each item's option order.

`random.Random` is seeded on purpose: the same seed must give the same draw when an attempt
resumes. Nothing here is a secret (ruff S311 does not apply).
"""

from __future__ import annotations

import random
from collections.abc import Mapping


def draw_items(exercise: Mapping, seed: int, shuffle_items: bool) -> list[str]:
    """Item ids in the order shown. Pools draw `count` items each; without pools, every item."""
    rng = random.Random(seed)  # noqa: S311
    if exercise.get("draw"):
        keys = [key for pool in exercise["draw"] for key in rng.sample(list(pool["from"]), pool["count"])]
    else:
        keys = list(exercise.get("items", []))
    if shuffle_items:
        rng.shuffle(keys)
    return keys


def option_order(item: Mapping, seed: int, shuffle_options: bool) -> list[str]:
    """The ids of an item's options in the order shown (the same for the same seed and item)."""
    ids = [option["id"] for option in item.get("options", [])]
    if shuffle_options and item["type"] != "likert":
        random.Random(f"{seed}:{item['id']}").shuffle(ids)  # noqa: S311
    return ids


def plan_entry(key: str, version_id: int, item: Mapping, seed: int, shuffle_options: bool) -> dict:
    """What an attempt's plan keeps of one item: its id, the content version, the option order shown."""
    return {"key": key, "version_id": version_id, "options": option_order(item, seed, shuffle_options)}


def choice_order(step: Mapping, seed: int, shuffle: bool) -> list[Mapping]:
    """A scenario step's choices in the order shown: shuffled per attempt and step (the same on
    every visit), in file order where the step says `fixed_order` or shuffling is off."""
    choices = list(step.get("choices") or [])
    if shuffle and not step.get("fixed_order"):
        random.Random(f"{seed}:{step['id']}").shuffle(choices)  # noqa: S311
    return choices


def statement_order(exercise: Mapping, seed: int) -> list[str]:
    """A self-assessment's statements in a random order fixed per attempt: a competency's
    statements do not come together, so answers to one do not set the tone for the next."""
    keys = list(exercise.get("items", []))
    random.Random(f"{seed}:statements").shuffle(keys)  # noqa: S311
    return keys
