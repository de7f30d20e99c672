"""Item scores, s in [0, 1], exactly as domain.md §2 defines them.

Each function takes the item as written in the content bank and the manager's answer in the
shape the player stores. A blank (or malformed) answer scores 0. Options are identified by id, so the order
in which they were shown never changes a score.

Answer shapes:
    single_choice  option id
    best_worst     {"best": option id, "worst": option id}
    rank           [option ids, most effective first]
    rating         {option id: 1..5}
    multi_select   [option ids]
    numeric        a number
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

NUMERIC_SLACK = 1e-9  # so that 1.5 ± 0.01 accepts 1.51 despite binary floating point


def _keys(item: Mapping, field: str = "key") -> dict[str, float]:
    return {option["id"]: option[field] for option in item["options"]}


def single_choice(item: Mapping, answer: str | None) -> float:
    """key(chosen) / max key."""
    keys = _keys(item)
    top = max(keys.values())
    if not isinstance(answer, str) or answer not in keys or top == 0:
        return 0.0
    return keys[answer] / top


def best_worst(item: Mapping, answer: Mapping | None) -> float:
    """(key(best) − key(worst) + R) / 2R, with R = max key − min key.

    The same option as best and worst is no answer. With all keys equal (R = 0, which content
    validation forbids) no choice can be told apart from another, so the score is 0.
    """
    keys = _keys(item)
    if not isinstance(answer, Mapping):
        return 0.0
    best, worst = answer.get("best"), answer.get("worst")
    if best not in keys or worst not in keys or best == worst:
        return 0.0
    spread = max(keys.values()) - min(keys.values())
    if spread == 0:
        return 0.0
    return (keys[best] - keys[worst] + spread) / (2 * spread)


def rank(item: Mapping, answer: Sequence[str] | None) -> float:
    """1 − F / Fmax, F = Σ |given rank − key rank|, Fmax = floor(n² / 2).

    The answer must order every option exactly once; anything else is blank. With a single
    option there is nothing to get wrong: it scores 1.
    """
    keys = _keys(item, "rank")
    if (
        not isinstance(answer, list | tuple)
        or not all(isinstance(a, str) for a in answer)
        or sorted(answer) != sorted(keys)
    ):
        return 0.0
    n = len(keys)
    worst = n * n // 2
    if worst == 0:
        return 1.0
    distance = sum(abs(position - keys[option]) for position, option in enumerate(answer, start=1))
    return 1 - distance / worst


def rating(item: Mapping, answer: Mapping[str, int] | None) -> float:
    """1 − mean(|rating − key rating|) / 4; an option left unrated counts as the worst miss (4)."""
    keys = _keys(item, "rating")
    if not isinstance(answer, Mapping) or not answer:
        return 0.0
    misses = [
        abs(answer[o] - k) if isinstance(answer.get(o), int) and 1 <= answer[o] <= 5 else 4 for o, k in keys.items()
    ]
    return 1 - (sum(misses) / len(misses)) / 4


def multi_select(item: Mapping, answer: Sequence[str] | None) -> float:
    """max(0, right chosen − wrong chosen) / number right."""
    correct = {option["id"] for option in item["options"] if option["correct"]}
    offered = {option["id"] for option in item["options"]}
    chosen = set(answer) & offered if isinstance(answer, list | tuple) else set()
    return max(0, len(chosen & correct) - len(chosen - correct)) / len(correct)


def numeric(item: Mapping, answer: float | None) -> float:
    """1 if |x − answer| ≤ tolerance, else 0."""
    if answer is None or isinstance(answer, bool):
        return 0.0
    return 1.0 if abs(float(answer) - item["answer"]) <= item["tolerance"] + NUMERIC_SLACK else 0.0


SCORERS = {
    "single_choice": single_choice,
    "best_worst": best_worst,
    "rank": rank,
    "rating": rating,
    "multi_select": multi_select,
    "numeric": numeric,
}


def score(item: Mapping, answer) -> float:
    """The score of a machine-scored item (every type but open_response and likert)."""
    return SCORERS[item["type"]](item, answer)


def keyed_answer(item: Mapping):
    """The answer the experts' key describes: it scores 1 (a property the tests check)."""
    kind = item["type"]
    options = item.get("options", [])
    if kind == "single_choice":
        return max(options, key=lambda o: o["key"])["id"]
    if kind == "best_worst":
        return {"best": max(options, key=lambda o: o["key"])["id"], "worst": min(options, key=lambda o: o["key"])["id"]}
    if kind == "rank":
        return [o["id"] for o in sorted(options, key=lambda o: o["rank"])]
    if kind == "rating":
        return {o["id"]: o["rating"] for o in options}
    if kind == "multi_select":
        return [o["id"] for o in options if o["correct"]]
    if kind == "numeric":
        return item["answer"]
    raise ValueError(f"{kind} items have no key")
