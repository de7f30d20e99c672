"""The item-writing check: surface cues that let a test-wise candidate find the key without knowing
banking (issues 11 and 12).

For every question with options (quiz items and scenario steps), in each language:
- **longest**: is the strictly longest option a best one? By chance that happens with
  probability (best options / options), so across a bank the rate should sit near the mean of
  those chances;
- **giveaways**: a distractor whose wording announces its flaw ("sin avisar a nadie", "even though
  you know"), from the lexicons in `app/domain/lexicons/`;
- **procedure words**: does a best option carry strictly the most procedure vocabulary
  ("document", "consult", "with figures")?
- **position**: where the best option stands in file order (what a manager sees when options
  are not shuffled, as in scenario steps), and whether an exercise keeps it in one place.

Pure: the bank's plain data in, findings out. `flask content check` prints the figures and
`flask content validate` lists the warnings (errors with --strict).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from app.domain import items as items_registry

LOCALES = ("es", "en")
LEXICONS = Path(__file__).resolve().parent / "lexicons"
WITHIN_CHANCE = 0.10  # the goal: every rate within 10 points of chance


@cache
def lexicon(name: str, locale: str) -> tuple[str, ...]:
    lines = (LEXICONS / f"{name}.{locale}.txt").read_text(encoding="utf-8").splitlines()
    return tuple(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


@dataclass(frozen=True)
class Option:
    id: str
    text: Mapping[str, str]
    best: bool


@dataclass(frozen=True)
class Question:
    """An item or a scenario step, reduced to what the check looks at."""

    ref: str  # item id, or scenario id/step id
    kind: str  # the item type, or "scenario_step"
    exercise: str
    options: tuple[Option, ...]


def _step_best(step: Mapping) -> set[str]:
    """The choices with the most evidence points in all, never a critical one."""
    totals = {c["id"]: sum((c.get("points") or {}).values()) for c in step["choices"] if not c.get("critical")}
    if not totals:
        return set()
    top = max(totals.values())
    return {cid for cid, total in totals.items() if total == top}


def questions(exercises: Mapping[str, Mapping], items: Mapping[str, Mapping]) -> list[Question]:
    """Every quiz item with options (under the first exercise that defines or draws it) and every
    scenario step with choices."""
    found: list[Question] = []
    seen: set[str] = set()
    for key, exercise in sorted(exercises.items()):
        if exercise.get("kind") == "scenario":
            for step in exercise.get("steps", []):
                if len(step.get("choices") or []) < 2:
                    continue
                best = _step_best(step)
                options = tuple(Option(c["id"], c["text"], c["id"] in best) for c in step["choices"])
                found.append(Question(f"{key}/{step['id']}", "scenario_step", key, options))
            continue
        for item_id in exercise.get("items", []):
            item = items.get(item_id)
            if item is None or item_id in seen or not item.get("options") or "text" not in item["options"][0]:
                continue
            seen.add(item_id)
            best = items_registry.best_options(item)
            options = tuple(Option(o["id"], o["text"], o["id"] in best) for o in item["options"])
            found.append(Question(item_id, item["type"], key, options))
    return found


@dataclass(frozen=True)
class Finding:
    """One question in one language."""

    question: Question
    locale: str
    longest_is_best: bool | None  # None: no strictly longest option
    chance: float  # how often the longest would be best if keys were placed at random
    giveaways: tuple[tuple[str, str], ...]  # (distractor id, phrase)
    key_giveaways: tuple[tuple[str, str], ...]  # the same wording in best options (for comparison)
    procedure_points_to_best: bool | None  # None: no option strictly richest in procedure words
    best_positions: tuple[int, ...]  # 0-based, in file order


def _matches(text: str, phrases: Iterable[str]) -> list[str]:
    """The phrases found at the start of a word ("revis" in "revisas", not in "previsión")."""
    lowered = text.lower()
    return [phrase for phrase in phrases if re.search(r"(?<!\w)" + re.escape(phrase), lowered)]


def inspect(question: Question, locale: str) -> Finding:
    texts = [o.text.get(locale, "") for o in question.options]
    lengths = [len(t) for t in texts]
    longest = max(lengths)
    strictly = [i for i, n in enumerate(lengths) if n == longest]
    best = [i for i, o in enumerate(question.options) if o.best]
    giveaway_words = lexicon("giveaways", locale)
    giveaways, key_giveaways = [], []
    for option, text in zip(question.options, texts, strict=True):
        for phrase in _matches(text, giveaway_words):
            (key_giveaways if option.best else giveaways).append((option.id, phrase))
    procedure = [len(_matches(t, lexicon("procedure", locale))) for t in texts]
    richest = [i for i, n in enumerate(procedure) if n == max(procedure)]
    return Finding(
        question,
        locale,
        (strictly[0] in best) if len(strictly) == 1 and best else None,
        len(best) / len(texts) if texts else 0.0,
        tuple(giveaways),
        tuple(key_giveaways),
        (richest[0] in best) if len(richest) == 1 and max(procedure) > 0 and best else None,
        tuple(best),
    )


@dataclass
class Summary:
    """Per language and kind of question: how far each tell is from chance."""

    locale: str
    kind: str
    questions: int = 0
    with_longest: int = 0
    longest_is_best: int = 0
    chance: float = 0.0  # mean chance over the questions with a strictly longest option
    with_richest: int = 0
    procedure_points_to_best: int = 0
    procedure_chance: float = 0.0
    distractors: int = 0
    giveaway_distractors: int = 0
    keys: int = 0
    giveaway_keys: int = 0
    first_position: int = 0  # questions whose (first) best option stands first in file order
    position_chance: float = 0.0
    positions: Counter = field(default_factory=Counter)

    @property
    def longest_rate(self) -> float | None:
        return self.longest_is_best / self.with_longest if self.with_longest else None

    @property
    def procedure_rate(self) -> float | None:
        return self.procedure_points_to_best / self.with_richest if self.with_richest else None

    @property
    def over_chance(self) -> float | None:
        """Points above chance of the longest-option tell (negative: below chance)."""
        rate = self.longest_rate
        return None if rate is None else rate - self.chance


def beyond_chance(rows: Iterable[Summary], within: float = WITHIN_CHANCE) -> list[str]:
    """What breaks the goal, one line per row and tell: a rate more than `within` above its chance
    (the key longest, the procedure words on the key, the key first) or any giveaway wording."""
    problems = []
    for r in rows:
        first = r.first_position / r.questions if r.questions else None
        for name, rate, chance in (
            ("the key is the longest option", r.longest_rate, r.chance),
            ("the procedure words point to the key", r.procedure_rate, r.procedure_chance),
            ("the key stands first", first, r.position_chance),
        ):
            if rate is not None and rate - chance > within:
                problems.append(f"{r.locale} {r.kind}: {name} in {rate:.0%} of questions, chance {chance:.0%}")
        if r.giveaway_distractors or r.giveaway_keys:
            problems.append(
                f"{r.locale} {r.kind}: giveaway wording in {r.giveaway_distractors} distractors "
                f"and {r.giveaway_keys} keys"
            )
    return problems


def summarise(findings: Iterable[Finding]) -> list[Summary]:
    table: dict[tuple[str, str], Summary] = {}
    totals: dict[tuple[str, str], dict[str, float]] = {}
    for f in findings:
        for kind in (f.question.kind, "all"):
            s = table.setdefault((f.locale, kind), Summary(f.locale, kind))
            t = totals.setdefault((f.locale, kind), Counter())
            s.questions += 1
            n = len(f.question.options)
            best = sum(o.best for o in f.question.options)
            if f.longest_is_best is not None:
                s.with_longest += 1
                s.longest_is_best += f.longest_is_best
                t["chance"] += f.chance
            if f.procedure_points_to_best is not None:
                s.with_richest += 1
                s.procedure_points_to_best += f.procedure_points_to_best
                t["procedure"] += f.chance
            s.distractors += n - best
            s.keys += best
            s.giveaway_distractors += len({option_id for option_id, _ in f.giveaways})
            s.giveaway_keys += len({option_id for option_id, _ in f.key_giveaways})
            if f.best_positions:
                s.positions[f.best_positions[0]] += 1
                s.first_position += f.best_positions[0] == 0
                t["position"] += best / n
    for key, s in table.items():
        t = totals[key]
        s.chance = t["chance"] / s.with_longest if s.with_longest else 0.0
        s.procedure_chance = t["procedure"] / s.with_richest if s.with_richest else 0.0
        s.position_chance = t["position"] / s.questions if s.questions else 0.0
    return sorted(table.values(), key=lambda s: (s.locale, s.kind != "all", s.kind))


def warnings(finding: Finding) -> list[str]:
    """What an author should look at in one question and language (the editor and `validate`)."""
    where = f"{finding.question.ref} ({finding.locale})"
    found = []
    if finding.longest_is_best:
        found.append(f"{where}: the best option is also the strictly longest one")
    for option_id, phrase in finding.giveaways:
        found.append(f"{where}: option '{option_id}' gives itself away with “{phrase}”")
    if finding.procedure_points_to_best:
        found.append(f"{where}: the best option alone carries the most procedure words")
    return found


def fixed_positions(findings: Iterable[Finding], minimum: int = 4) -> list[str]:
    """Exercises whose best option always stands in the same place (in one language: the same)."""
    by_exercise: dict[str, list[int]] = {}
    for f in findings:
        if f.locale == LOCALES[0] and f.best_positions:
            by_exercise.setdefault(f.question.exercise, []).append(f.best_positions[0])
    return [
        f"{exercise}: the best option is always in position {positions[0] + 1}"
        for exercise, positions in sorted(by_exercise.items())
        if len(positions) >= minimum and len(set(positions)) == 1
    ]
