"""A scenario drawn as a graph for its editor: where each step stands, its paths, its errors,
and what each ending scores.

Layers run top to bottom by the longest distance from the start, so every path runs down (on
a graph with a cycle, by the shortest, so it can still be drawn); steps the start cannot
reach stand in a layer of their own, and targets that do not exist below them. The
template turns this into SVG on the server, so the graph needs no JavaScript.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter

from app.domain.scenarios import best_points, graph_problems, score_path

NODE_WIDTH, NODE_HEIGHT = 150, 44
GAP_X, GAP_Y = 24, 56
MAX_PATHS = 5000  # scenarios have a handful of steps; a runaway graph is summarised, not enumerated


@dataclass
class Node:
    id: str
    index: int | None  # position in `steps` (None: a target that does not exist)
    kind: str  # start | step | end | missing
    x: int = 0
    y: int = 0
    problems: list[str] = field(default_factory=list)  # codes from scenarios.graph_problems

    @property
    def label(self) -> str:
        return self.id if len(self.id) <= 18 else self.id[:17] + "…"


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    choice: str
    x1: int
    y1: int
    x2: int
    y2: int
    kind: str  # forward | back (towards an earlier layer: part of a cycle) | dangling
    critical: bool


@dataclass
class Graph:
    nodes: list[Node]
    edges: list[Edge]
    width: int
    height: int


def _steps(scenario: Mapping) -> list[Mapping]:
    return [s for s in scenario.get("steps") or [] if isinstance(s, Mapping) and isinstance(s.get("id"), str)]


def _targets(step: Mapping, by_id: Mapping) -> list[str]:
    return [c["next"] for c in step.get("choices") or [] if isinstance(c, Mapping) and c.get("next") in by_id]


def _layers(steps: list[Mapping], by_id: Mapping, start) -> dict[str, int]:
    """Each reachable step's layer: its longest distance from the start, so that every path
    runs downwards; on a graph with a cycle, its shortest distance (breadth first)."""
    if start not in by_id:
        return {}
    reachable, frontier, depth = {start: 0}, [start], 0
    while frontier:
        depth += 1
        following = []
        for step_id in frontier:
            for target in _targets(steps[by_id[step_id]], by_id):
                if target not in reachable:
                    reachable[target] = depth
                    following.append(target)
        frontier = following
    graph = {step_id: _targets(steps[by_id[step_id]], by_id) for step_id in reachable}
    try:
        order = list(TopologicalSorter(graph).static_order())[::-1]  # predecessors first
    except CycleError:
        return reachable
    longest = dict.fromkeys(reachable, 0)
    for step_id in order:
        for target in graph[step_id]:
            longest[target] = max(longest[target], longest[step_id] + 1)
    return longest


def layout(scenario: Mapping) -> Graph:
    steps = _steps(scenario)
    by_id = {s["id"]: i for i, s in enumerate(steps)}
    start = scenario.get("start")
    layer = _layers(steps, by_id, start)
    last = max(layer.values(), default=-1) + 1
    nodes: dict[str, Node] = {}
    for i, step in enumerate(steps):
        kind = "start" if step["id"] == start else ("end" if step.get("end") else "step")
        nodes[step["id"]] = Node(step["id"], i, kind)
        layer.setdefault(step["id"], last)
    for problem in graph_problems(scenario):
        where = problem.where
        if len(where) >= 2 and where[0] == "steps" and where[1] < len(steps):
            step_id = steps[where[1]].get("id")
            if step_id in nodes and problem.code not in nodes[step_id].problems:
                nodes[step_id].problems.append(problem.code)
    missing_layer = max(layer.values(), default=-1) + 1
    for step in steps:
        for choice in step.get("choices") or []:
            target = choice.get("next") if isinstance(choice, Mapping) else None
            if isinstance(target, str) and target not in nodes:
                nodes[target] = Node(target, None, "missing", problems=["dangling_next"])
                layer[target] = missing_layer
    rows: dict[int, list[Node]] = {}
    for node in nodes.values():
        rows.setdefault(layer[node.id], []).append(node)
    widest = max((len(row) for row in rows.values()), default=1)
    width = widest * (NODE_WIDTH + GAP_X) + GAP_X
    for number, row in enumerate(sorted(rows)):
        members = rows[row]
        offset = (width - len(members) * (NODE_WIDTH + GAP_X) + GAP_X) // 2
        for position, node in enumerate(members):
            node.x = offset + position * (NODE_WIDTH + GAP_X)
            node.y = GAP_Y // 2 + number * (NODE_HEIGHT + GAP_Y)
    edges = []
    for step in steps:
        source = nodes[step["id"]]
        for choice in step.get("choices") or []:
            if not isinstance(choice, Mapping) or not isinstance(choice.get("next"), str):
                continue
            target = nodes[choice["next"]]
            kind = "dangling" if target.kind == "missing" else ("back" if target.y <= source.y else "forward")
            edges.append(
                Edge(
                    source.id,
                    target.id,
                    str(choice.get("id", "")),
                    source.x + NODE_WIDTH // 2,
                    source.y + NODE_HEIGHT,
                    target.x + NODE_WIDTH // 2,
                    target.y,
                    kind,
                    bool(choice.get("critical")),
                )
            )
    height = len(rows) * (NODE_HEIGHT + GAP_Y) + GAP_Y // 2
    return Graph(list(nodes.values()), edges, width, max(height, NODE_HEIGHT + GAP_Y))


@dataclass(frozen=True)
class EndingScores:
    """What the paths to one ending score: per competency the lowest and highest (0–1), and
    how many paths lead there."""

    ending: str
    paths: int
    scores: dict[str, tuple[float, float]]


def ending_scores(scenario: Mapping) -> list[EndingScores] | None:
    """Per ending, the range of scores of the paths that reach it; None when the graph has
    problems (its paths are not defined) or too many paths to list."""
    if graph_problems(scenario) or not best_points(scenario):
        return None
    steps = {s["id"]: s for s in _steps(scenario)}
    paths = list(itertools.islice(_paths(steps, scenario["start"], []), MAX_PATHS + 1))
    if len(paths) > MAX_PATHS:
        return None
    found: dict[str, list[dict[str, float]]] = {}
    for decisions, ending in paths:
        found.setdefault(ending, []).append(score_path(scenario, decisions).scores)
    result = []
    for ending in (s["id"] for s in steps.values() if s.get("end")):
        runs = found.get(ending, [])
        codes = sorted({code for run in runs for code in run})
        result.append(
            EndingScores(ending, len(runs), {c: (min(r[c] for r in runs), max(r[c] for r in runs)) for c in codes})
        )
    return result


def _paths(steps: Mapping, step_id: str, taken: list):
    step = steps[step_id]
    if step.get("end"):
        yield list(taken), step_id
        return
    for choice in step.get("choices") or []:
        yield from _paths(steps, choice["next"], [*taken, (step_id, choice["id"])])
