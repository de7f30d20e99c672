"""The content bank: YAML files in, validated documents out, every problem located.

`load_bank(sources)` takes {file name: text} for `questions/` and `rubrics/` and returns the
bank (exercises, items, rubrics, framework, targets, each as the plain data of its file) and
the list of every problem found, each as `file:line:column: field.path: message`. Structure
is checked against docs/content.schema.json (the schema editors use too); what a schema
cannot say (ids unique across files, rank permutations, scenario graphs, references) is
checked here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

from app.domain import items
from app.domain.framework import (
    COMPETENCY_CODES,
    DEFAULT_EVIDENCE_THRESHOLD,
    DEFAULT_THRESHOLDS,
    FAMILY_OF,
    LEVEL_CODES,
)
from app.domain.scenarios import best_points, graph_problems
from app.domain.schema import content_schema
from app.domain.yaml_source import Located, YamlSyntaxError, parse

EXERCISE_KINDS = ("quiz", "scenario", "self_assessment")
DEFAULT_SETTINGS = {
    "time_limit_minutes": None,
    "shuffle_items": True,
    "shuffle_options": True,
    "attempts_allowed": None,
    "feedback": "after_submission",
    "open_practice": False,
    # Written answers (issue 10): see docs/grading.md.
    "anonymous_grading": False,
    "release_grades": "immediately",
    "moderation_percent": 0,
    "regrade_by": "any_trainer",
}

GRAPH_MESSAGES = {
    "unknown_start": "the start step '{}' does not exist",
    "end_with_choices": "ending step '{}' must not have choices",
    "end_without_outcome": "ending step '{}' needs an outcome",
    "step_without_narrative": "step '{}' needs a narrative",
    "too_few_choices": "step '{}' needs at least two choices (or end: true)",
    "dangling_next": "this choice leads nowhere: there is no step '{}'",
    "cycle": "the scenario has a cycle: {}",
    "unreachable": "step '{}' cannot be reached from the start",
    "no_path_to_end": "no path leads from step '{}' to an ending",
}


@dataclass(frozen=True)
class ContentError:
    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.path}: {self.message}"


@dataclass
class Bank:
    framework: dict | None = None
    targets: dict | None = None
    rubrics: dict[str, dict] = field(default_factory=dict)
    exercises: dict[str, dict] = field(default_factory=dict)  # items replaced by their ids
    pools: dict[str, dict] = field(default_factory=dict)  # secure pools, items replaced by their ids
    items: dict[str, dict] = field(default_factory=dict)
    source_of: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, id) → file
    _derived: dict = field(default_factory=dict, repr=False, compare=False)

    def derived(self, key: tuple, compute: Callable[[], object]):
        """What depends on the bank alone (which exercises practise what, a scenario's best points),
        computed once per loaded bank; treat it as read-only."""
        if key not in self._derived:
            self._derived[key] = compute()
        return self._derived[key]

    @property
    def level_thresholds(self) -> list[float]:
        """Where levels 2, 3 and 4 start (framework settings, domain.md's defaults otherwise)."""
        return list(self._settings.get("level_thresholds", DEFAULT_THRESHOLDS))

    @property
    def evidence_threshold(self) -> float:
        """The evidence weight below which a score is tentative and has no level."""
        return self._settings.get("evidence_threshold", DEFAULT_EVIDENCE_THRESHOLD)

    @property
    def career_targets(self) -> dict[str, dict[str, int]]:
        """Career level → competency → target level."""
        return (self.targets or {}).get("targets") or {}

    @property
    def item_holders(self) -> dict[str, dict]:
        """Exercises and pools: everything that defines items, by id."""
        return {**self.exercises, **self.pools}

    def pool_items(self) -> set[str]:
        return {item_id for pool in self.pools.values() for item_id in pool["items"]}

    @property
    def _settings(self) -> dict:
        return (self.framework or {}).get("settings") or {}

    def documents(self) -> list[tuple[str, str, dict]]:
        """Every versioned document as (kind, key, body)."""
        docs = []
        if self.framework is not None:
            docs.append(("framework", "framework", self.framework))
        if self.targets is not None:
            docs.append(("targets", "targets", self.targets))
        docs += [("rubric", key, body) for key, body in self.rubrics.items()]
        docs += [("exercise", key, body) for key, body in self.exercises.items()]
        docs += [("pool", key, body) for key, body in self.pools.items()]
        docs += [("item", key, body) for key, body in self.items.items()]
        return docs


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(content_schema())


def format_path(path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(file)"


class _Report:
    """Collects problems for one file, locating each through the parsed positions."""

    def __init__(self, file: str, located: Located, sink: list[ContentError]):
        self.file, self.located, self.sink = file, located, sink

    def add(self, path, message: str) -> None:
        line, column = self.located.where(tuple(path))
        self.sink.append(ContentError(self.file, line, column, format_path(path), message))


def load_bank(sources: Mapping[str, str], context: Bank | None = None) -> tuple[Bank, list[ContentError]]:
    """The bank the files make, and every problem in them.

    `context` is the rest of the bank, already loaded and valid (the database's, when a trainer
    publishes from the browser): its ids resolve and collide exactly as if they came from other
    files, without parsing or checking them again. An exercise or pool that `sources` define
    replaces the context's, items included.
    """
    bank = Bank()
    errors: list[ContentError] = []
    parsed: list[tuple[_Report, dict, bool]] = []
    for file in sorted(sources):
        report = _Report(file, Located(None), errors)
        try:
            located = parse(sources[file])
        except YamlSyntaxError as error:
            errors.append(ContentError(file, error.line, error.column, "(file)", str(error)))
            continue
        report.located = located
        for path, line, column in located.duplicate_keys:
            errors.append(ContentError(file, line, column, format_path(path), "this key appears twice"))
        if not isinstance(located.data, dict):
            report.add((), "a content file must be a mapping starting with 'kind'")
            continue
        parsed.append((report, located.data, _check_schema(report, located.data)))

    seen: dict[tuple[str, str], str] = {}
    if context is not None:
        _adopt(bank, seen, context, replaced={data.get("id") for _r, data, _v in parsed})
    for report, data, _valid in parsed:
        _collect(bank, report, data, seen)
    for report, data, valid in parsed:
        if valid:  # the checks below rely on the structure the schema guarantees
            _check_document(bank, report, data)
        elif data.get("kind") == "scenario" and isinstance(data.get("steps"), list):
            _check_graph(report, data)  # defensive, and worth knowing while texts are still missing
    errors.sort(key=lambda e: (e.file, e.line, e.column, e.path))
    return bank, errors


def _adopt(bank: Bank, seen: dict, context: Bank, replaced: set) -> None:
    """Register the context's documents, leaving out the exercises and pools being replaced."""
    holders = {key: body for key, body in context.item_holders.items() if key not in replaced}
    dropped = {i for key, body in context.item_holders.items() if key in replaced for i in body.get("items", [])}
    bank.framework, bank.targets = context.framework, context.targets
    bank.rubrics.update(context.rubrics)
    bank.exercises.update({k: v for k, v in holders.items() if k in context.exercises})
    bank.pools.update({k: v for k, v in holders.items() if k in context.pools})
    bank.items.update({k: v for k, v in context.items.items() if k not in dropped})
    for entity, key, _body in bank.documents():
        source = context.source_of.get((entity, key), "the bank")
        seen[(entity, key)] = bank.source_of[(entity, key)] = source


def _check_schema(report: _Report, data: dict) -> bool:
    problems = sorted(_validator().iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    for problem in problems:
        for path, message in _friendly(problem):
            report.add(path, message)
    return not problems


def _friendly(error) -> list[tuple[tuple, str]]:
    """jsonschema's messages, said the way an author needs them; `if/then` wrappers unwrapped."""
    path = tuple(error.absolute_path)
    if error.context:  # a failed allOf/if-then: report the inner errors
        return [item for sub in error.context for item in _friendly(sub)]
    if error.validator == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message)
        name = missing.group(1) if missing else "?"
        if name in ("es", "en"):
            language = "Spanish" if name == "es" else "English"
            return [(path, f"the {language} version ('{name}') is missing")]
        return [(path, f"'{name}' is required")]
    if error.validator == "additionalProperties":
        return [(path, error.message.replace("Additional properties are not allowed", "unknown field"))]
    if error.validator == "enum" and error.validator_value == list(COMPETENCY_CODES):
        if "propertyNames" in error.absolute_schema_path:  # the code is a key: point at it
            path = path + (error.instance,)
        return [(path, f"unknown competency code {error.instance!r}")]
    if error.validator == "type" and error.instance is None:
        return [(path, "a value is required")]
    if error.validator == "exclusiveMinimum" and error.validator_value == 0:
        return [(path, f"must be greater than 0 (got {error.instance})")]
    if error.validator in ("minimum", "maximum"):
        return [(path, f"{error.instance} is out of range: {error.message.split(' is ', 1)[1]}")]
    if error.validator == "minLength" and error.instance == "":
        return [(path, "must not be empty")]
    if error.validator == "pattern":
        return [(path, f"{error.instance!r} is not a valid id (lower-case letters, digits and hyphens)")]
    return [(path, error.message)]


def _collect(bank: Bank, report: _Report, data: dict, seen: dict) -> None:
    """Register every id the file defines, reporting ids already defined elsewhere.

    Runs on files that failed the schema too, so that their ids still resolve and one
    broken file does not make its neighbours' references fail.
    """
    kind = data.get("kind")
    if kind not in ("framework", "targets") and not isinstance(data.get("id"), str):
        return

    def register(entity: str, key: str, path: tuple) -> bool:
        if (entity, key) in seen:
            report.add(path, f"duplicate {entity} id '{key}' (also defined in {seen[(entity, key)]})")
            return False
        seen[(entity, key)] = report.file
        bank.source_of[(entity, key)] = report.file
        return True

    if kind == "framework":
        if register("framework", "framework", ()):
            bank.framework = data
    elif kind == "targets":
        if register("targets", "targets", ()):
            bank.targets = data
    elif kind == "rubric":
        if register("rubric", data["id"], ("id",)):
            bank.rubrics[data["id"]] = data
    elif kind in (*EXERCISE_KINDS, "pool"):
        entity = "pool" if kind == "pool" else "exercise"
        stem = Path(report.file).stem
        if data["id"] != stem:
            report.add(("id",), f"the {entity} id '{data['id']}' must match the file name '{stem}'")
        if not register(entity, data["id"], ("id",)):
            return
        items = [item for item in data.get("items") or [] if isinstance(item, dict) and isinstance(item.get("id"), str)]
        body = dict(data)
        if "items" in data:
            body["items"] = [item["id"] for item in items]
        for i, item in enumerate(data.get("items") or []):
            if item in items and register("item", item["id"], ("items", i, "id")):
                bank.items[item["id"]] = item
        (bank.pools if kind == "pool" else bank.exercises)[data["id"]] = body


def _check_document(bank: Bank, report: _Report, data: dict) -> None:
    kind = data["kind"]
    if kind == "framework":
        _check_framework(report, data)
        _check_behaviour_items(bank, report, data)
    elif kind == "targets":
        _check_targets(report, data)
    elif kind == "rubric":
        _check_rubric(report, data)
    elif kind == "scenario":
        _check_scenario(report, data)
    elif kind == "pool":
        _check_items(bank, report, data)
    else:
        _check_items(bank, report, data)
        _check_draw(bank, report, data)


def _unique(report: _Report, entries: list, path: tuple, what: str) -> None:
    counts = Counter(e.get("id") for e in entries)
    for i, entry in enumerate(entries):
        if counts[entry.get("id")] > 1:
            report.add(path + (i, "id"), f"duplicate {what} id '{entry.get('id')}'")


def _check_items(bank: Bank, report: _Report, data: dict) -> None:
    for i, item in enumerate(data.get("items", [])):
        where = ("items", i)
        self_rated = item["type"] in items.SELF_RATED
        if data["kind"] == "self_assessment" and not self_rated:
            report.add(where + ("type",), "a self-assessment holds only likert statements")
        if data["kind"] != "self_assessment" and self_rated:
            report.add(where + ("type",), "likert statements belong in a self_assessment exercise")
        if item.get("options"):
            _unique(report, item["options"], where + ("options",), "option")
        for path, message in items.of(item).check(item, bank.rubrics):
            report.add(where + path, message)


def _check_draw(bank: Bank, report: _Report, data: dict) -> None:
    draw = data.get("draw", [])
    if not draw and not data.get("items"):
        report.add((), "an exercise needs items or a draw")
    secure = bank.pool_items()
    settings = effective_settings(data)
    for p, pool in enumerate(draw):
        for i, item_id in enumerate(pool["from"]):
            if item_id not in bank.items:
                report.add(("draw", p, "from", i), f"no item '{item_id}' in the bank")
            elif item_id in secure and (settings["open_practice"] or settings["feedback"] == "immediately"):
                # A secure item seen with its feedback in practice could be learned before a diagnostic.
                report.add(
                    ("draw", p, "from", i),
                    f"'{item_id}' is in a secure pool: only exercises without open practice and "
                    "without immediate feedback may draw it",
                )
            elif bank.items[item_id]["type"] in items.SELF_RATED and data["kind"] != "self_assessment":
                report.add(("draw", p, "from", i), f"'{item_id}' is a likert statement")
        duplicates = [i for i, count in Counter(pool["from"]).items() if count > 1]
        if duplicates:
            report.add(("draw", p, "from"), f"listed twice: {', '.join(duplicates)}")
        if pool["count"] > len(pool["from"]):
            report.add(("draw", p, "count"), f"cannot draw {pool['count']} items from {len(pool['from'])}")


def _check_graph(report: _Report, data: dict) -> list:
    problems = graph_problems(data)
    for problem in problems:
        report.add(problem.where, GRAPH_MESSAGES[problem.code].format(problem.detail))
    return problems


def _check_scenario(report: _Report, data: dict) -> None:
    steps = data["steps"]
    _unique(report, steps, ("steps",), "step")
    for i, step in enumerate(steps):
        _unique(report, step.get("choices", []), ("steps", i, "choices"), "choice")
    problems = _check_graph(report, data)
    if not problems and not best_points(data):
        report.add(("steps",), "no competency is measured: no choice earns points")


def _check_rubric(report: _Report, data: dict) -> None:
    stem = Path(report.file).stem
    if data["id"] != stem:
        report.add(("id",), f"the rubric id '{data['id']}' must match the file name '{stem}'")
    _unique(report, data["criteria"], ("criteria",), "criterion")
    for i, criterion in enumerate(data["criteria"]):
        points = [level["points"] for level in criterion["levels"]]
        if points[0] != 0 or any(b <= a for a, b in zip(points, points[1:], strict=False)):
            report.add(("criteria", i, "levels"), f"points {points} must start at 0 and increase")


def _check_framework(report: _Report, data: dict) -> None:
    thresholds = data["settings"]["level_thresholds"]
    if thresholds != sorted(set(thresholds)):
        report.add(("settings", "level_thresholds"), f"thresholds {thresholds} must increase")
    levels = [level["level"] for level in data["levels"]]
    if levels != [1, 2, 3, 4] or [lv["code"] for lv in data["levels"]] != list(LEVEL_CODES):
        report.add(("levels",), "levels must be 1–4 in order: " + ", ".join(LEVEL_CODES))
    codes = [c["code"] for c in data["competencies"]]
    for code in COMPETENCY_CODES:
        if code not in codes:
            report.add(("competencies",), f"competency '{code}' is missing")
    for i, competency in enumerate(data["competencies"]):
        if codes.count(competency["code"]) > 1:
            report.add(("competencies", i, "code"), f"duplicate competency '{competency['code']}'")
        if competency["family"] != FAMILY_OF[competency["code"]]:
            report.add(("competencies", i, "family"), f"'{competency['code']}' is a {FAMILY_OF[competency['code']]}")
        paragraph = data["seed"]["general_paragraph"]
        for j, phrase in enumerate(competency["seed_phrases"]):
            if phrase not in paragraph:
                report.add(("competencies", i, "seed_phrases", j), "this phrase is not in the seed's general paragraph")


def _check_behaviour_items(bank: Bank, report: _Report, data: dict) -> None:
    """Each seed phrase's behavioural items exist and measure the phrase's competency."""
    for i, competency in enumerate(data["competencies"]):
        for phrase, keys in (competency.get("behaviour_items") or {}).items():
            where = ("competencies", i, "behaviour_items", phrase)
            if phrase not in competency["seed_phrases"]:
                report.add(where, f"'{phrase}' is not one of this competency's seed phrases")
            for j, key in enumerate(keys):
                item = bank.items.get(key)
                if item is None:
                    report.add((*where, j), f"no item '{key}' in the bank")
                elif competency["code"] not in items.measures(item, bank.rubrics):
                    report.add((*where, j), f"'{key}' does not measure {competency['code']}")


def _check_targets(report: _Report, data: dict) -> None:
    for career, levels in data["targets"].items():
        for code in COMPETENCY_CODES:
            if code not in levels:
                report.add(("targets", career), f"no target for '{code}'")


def effective_settings(exercise: Mapping) -> dict:
    """An exercise's settings with the defaults filled in."""
    return {**DEFAULT_SETTINGS, **(exercise.get("settings") or {})}
