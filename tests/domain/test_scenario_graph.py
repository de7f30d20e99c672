"""The scenario editor's graph: every step placed without overlap, errors marked where they are,
and each ending's scores consistent with the best path."""

from pathlib import Path

import pytest
import yaml

from app.domain.scenario_graph import NODE_HEIGHT, NODE_WIDTH, ending_scores, layout

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
SCENARIOS = sorted(QUESTIONS.glob("scenario-*.yaml"))


def choice(choice_id, target, **extra):
    return {
        "id": choice_id,
        "text": {"es": "t", "en": "t"},
        "feedback": {"es": "f", "en": "f"},
        "next": target,
        **extra,
    }


def small(**changes):
    scenario = {
        "start": "call",
        "steps": [
            {
                "id": "call",
                "narrative": {"es": "n", "en": "n"},
                "choices": [
                    choice("listen", "good", points={"ethics": 2}),
                    choice("leak", "bad", points={"relationship": 1}, critical=["ethics"]),
                ],
            },
            {"id": "good", "end": True, "outcome": {"es": "o", "en": "o"}},
            {"id": "bad", "end": True, "outcome": {"es": "o", "en": "o"}},
        ],
    }
    scenario.update(changes)
    return scenario


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_bank_scenario_is_laid_out_without_overlap_and_without_errors(path):
    scenario = yaml.safe_load(path.read_text(encoding="utf-8"))
    graph = layout(scenario)
    assert {n.id for n in graph.nodes} == {s["id"] for s in scenario["steps"]}
    assert not any(n.problems for n in graph.nodes)
    boxes = [(n.x, n.y) for n in graph.nodes]
    assert len(set(boxes)) == len(boxes)
    for n in graph.nodes:
        assert 0 <= n.x and n.x + NODE_WIDTH <= graph.width and 0 <= n.y and n.y + NODE_HEIGHT <= graph.height
    assert all(e.kind == "forward" for e in graph.edges)
    endings = ending_scores(scenario)
    assert endings is not None and sum(e.paths for e in endings) >= len(endings)
    best = {}
    for ending in endings:
        for code, (low, high) in ending.scores.items():
            assert 0 <= low <= high <= 1
            best[code] = max(best.get(code, 0), high)
    assert set(best.values()) == {1.0}  # the best path reaches full marks on every competency it measures


def test_errors_are_marked_on_the_step_they_concern():
    broken = small()
    broken["steps"][0]["choices"].append(choice("wander", "nowhere"))
    broken["steps"].append({"id": "island", "end": True, "outcome": {"es": "o", "en": "o"}})
    graph = layout(broken)
    marked = {n.id: (n.kind, n.problems) for n in graph.nodes}
    assert marked["nowhere"] == ("missing", ["dangling_next"])
    assert marked["island"] == ("end", ["unreachable"])
    assert [e.kind for e in graph.edges if e.target == "nowhere"] == ["dangling"]
    assert ending_scores(broken) is None


def test_a_cycle_is_drawn_with_a_back_edge():
    looping = small()
    looping["steps"][1] = {
        "id": "good",
        "narrative": {"es": "n", "en": "n"},
        "choices": [choice("again", "call"), choice("stop", "bad")],
    }
    graph = layout(looping)
    assert [e.kind for e in graph.edges if e.target == "call"] == ["back"]
    assert "cycle" in next(n for n in graph.nodes if n.id == "call").problems


def test_each_ending_scores_its_paths_and_a_critical_choice_scores_zero():
    endings = {e.ending: e for e in ending_scores(small())}
    assert endings["good"].scores == {"ethics": (1.0, 1.0), "relationship": (0.0, 0.0)}
    assert endings["bad"].scores == {"ethics": (0.0, 0.0), "relationship": (1.0, 1.0)}
