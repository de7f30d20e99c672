"""Branching scenarios as graphs: structural checks and the best path (domain.md §2).

A scenario is a dict as in the content files: `start`, and `steps`, each with an `id` and
either `end: true` or `choices` (each with `next`, optional `points` and `critical`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter


@dataclass(frozen=True)
class GraphProblem:
    """`where` is ('steps', index[, 'choices', index, 'next']) so the caller can locate it."""

    where: tuple
    code: str
    detail: str = ""


def _steps(scenario: Mapping) -> list[Mapping]:
    return [s for s in scenario.get("steps", []) if isinstance(s, Mapping)]


def _successors(step: Mapping) -> list[str]:
    return [c["next"] for c in step.get("choices", []) or [] if isinstance(c, Mapping) and "next" in c]


def graph_problems(scenario: Mapping) -> list[GraphProblem]:
    """Dangling `next`/`start`, cycles, unreachable steps, steps with no way to an end, bad endings."""
    steps = _steps(scenario)
    index = {s.get("id"): i for i, s in enumerate(steps)}
    problems: list[GraphProblem] = []
    start = scenario.get("start")
    if start not in index:
        problems.append(GraphProblem(("start",), "unknown_start", str(start)))
    for i, step in enumerate(steps):
        choices = step.get("choices") or []
        if step.get("end"):
            if choices:
                problems.append(GraphProblem(("steps", i, "choices"), "end_with_choices", step.get("id", "")))
            if "outcome" not in step:
                problems.append(GraphProblem(("steps", i), "end_without_outcome", step.get("id", "")))
            continue
        if "narrative" not in step:
            problems.append(GraphProblem(("steps", i), "step_without_narrative", step.get("id", "")))
        if len(choices) < 2:
            problems.append(GraphProblem(("steps", i), "too_few_choices", step.get("id", "")))
        for j, choice in enumerate(choices):
            if isinstance(choice, Mapping) and "next" in choice and choice["next"] not in index:
                problems.append(GraphProblem(("steps", i, "choices", j, "next"), "dangling_next", str(choice["next"])))

    graph = {s.get("id"): [n for n in _successors(s) if n in index] for s in steps}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        cycle = error.args[1]
        problems.append(GraphProblem(("steps", index[cycle[0]]), "cycle", " → ".join(map(str, reversed(cycle)))))
        return problems  # reachability questions are moot on a cyclic graph

    if start in index:
        reachable = _reach(graph, [start])
        for step_id, i in index.items():
            if step_id not in reachable:
                problems.append(GraphProblem(("steps", i), "unreachable", str(step_id)))
    reverse: dict = {s: [] for s in graph}
    for source, targets in graph.items():
        for target in targets:
            reverse[target].append(source)
    ends = [s.get("id") for s in steps if s.get("end")]
    can_end = _reach(reverse, ends)
    for step_id, i in index.items():
        if step_id not in can_end:
            problems.append(GraphProblem(("steps", i), "no_path_to_end", str(step_id)))
    return problems


def _reach(graph: Mapping, sources: list) -> set:
    seen, stack = set(), list(sources)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        stack.extend(graph.get(node, []))
    return seen


def best_points(scenario: Mapping) -> dict[str, float]:
    """best_c: the largest sum of competency c's points along any path from start to an end.

    Computed per competency by dynamic programming over the DAG (a valid scenario).
    A competency with best_c = 0 is not measured and is left out.
    """
    steps = {s["id"]: s for s in _steps(scenario)}
    competencies = sorted(
        {
            c
            for s in steps.values()
            for ch in s.get("choices") or []
            for c, p in (ch.get("points") or {}).items()
            if p > 0
        }
    )
    graph = {sid: _successors(s) for sid, s in steps.items()}
    order = list(TopologicalSorter(graph).static_order())  # successors before predecessors
    best: dict[str, float] = {}
    for competency in competencies:
        value: dict[str, float] = {}
        for sid in order:
            step = steps[sid]
            if step.get("end"):
                value[sid] = 0.0
                continue
            value[sid] = max(
                (ch.get("points") or {}).get(competency, 0) + value[ch["next"]] for ch in step.get("choices") or []
            )
        if value[scenario["start"]] > 0:
            best[competency] = value[scenario["start"]]
    return best


@dataclass(frozen=True)
class ScenarioResult:
    """Per measured competency: the score earned_c / best_c, and the critical choices that zeroed it."""

    scores: dict[str, float]
    critical: dict[str, list[str]]  # competency → ids of the critical choices taken


def score_path(
    scenario: Mapping, path: list[tuple[str, str]], best: Mapping[str, float] | None = None
) -> ScenarioResult:
    """Score the (step id, choice id) decisions a manager took, against the best path.

    A choice marked critical for a competency sets that competency's score to 0, whatever
    else was earned (domain.md §2). `best` is the scenario's `best_points`, where the caller
    keeps them (they depend on the scenario alone).
    """
    steps = {s["id"]: s for s in _steps(scenario)}
    best = best_points(scenario) if best is None else best
    earned = dict.fromkeys(best, 0.0)
    critical: dict[str, list[str]] = {}
    for step_id, choice_id in path:
        choice = next(c for c in steps[step_id]["choices"] if c["id"] == choice_id)
        for code, points in (choice.get("points") or {}).items():
            if code in earned:
                earned[code] += points
        for code in choice.get("critical") or []:
            critical.setdefault(code, []).append(choice_id)
    scores = {code: 0.0 if code in critical else min(1.0, earned[code] / best[code]) for code in best}
    return ScenarioResult(scores, {c: ids for c, ids in critical.items() if c in best})


def decisions_on_longest_path(scenario: Mapping) -> int:
    """How many decisions the longest way from the start to an ending takes (a valid scenario)."""
    steps = {s["id"]: s for s in _steps(scenario)}
    memo: dict[str, int] = {}

    def depth(step_id: str) -> int:
        if step_id not in memo:
            step = steps[step_id]
            memo[step_id] = 0 if step.get("end") else 1 + max(depth(n) for n in _successors(step))
        return memo[step_id]

    return depth(scenario["start"])
