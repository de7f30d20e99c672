"""Scenario graphs: the structural checks and the best path per competency."""

from hypothesis import given
from hypothesis import strategies as st

from app.domain.scenarios import best_points, graph_problems


def choice(next_, **points):
    return {"id": f"to-{next_}", "next": next_, "points": points}


def scenario(*steps, start="s1"):
    return {"start": start, "steps": list(steps)}


def step(id_, *choices):
    return {"id": id_, "narrative": {"es": id_, "en": id_}, "choices": list(choices)}


def end(id_):
    return {"id": id_, "end": True, "outcome": {"es": id_, "en": id_}}


DIAMOND = scenario(
    step("s1", choice("s2", ethics=2, relationship=1), choice("s3", relationship=2)),
    step("s2", choice("good", relationship=2, communication=1), choice("bad")),
    step("s3", choice("bad", communication=1), choice("bad")),
    end("good"),
    end("bad"),
)


def test_the_best_path_is_computed_per_competency():
    # relationship: s1→s2 (1) + s2→good (2) = 3 beats s1→s3 (2) + 0.
    assert best_points(DIAMOND) == {"ethics": 2, "relationship": 3, "communication": 1}


def test_a_well_formed_graph_has_no_problems():
    assert graph_problems(DIAMOND) == []


def test_problems_are_located_by_step_and_choice():
    broken = scenario(
        step("s1", choice("s2", ethics=1), choice("ghost")),
        step("s2", choice("s1"), choice("end")),
        end("end"),
    )
    codes = [(p.code, p.where) for p in graph_problems(broken)]
    assert ("dangling_next", ("steps", 0, "choices", 1, "next")) in codes
    assert ("cycle", ("steps", 0)) in codes or ("cycle", ("steps", 1)) in codes


@st.composite
def layered_dags(draw):
    """Random valid scenarios: steps in layers, every choice pointing to a later layer or an end."""
    layers = draw(st.integers(1, 4))
    ids = [[f"s{layer}-{i}" for i in range(draw(st.integers(1, 3)))] for layer in range(layers)]
    steps = []
    for layer, names in enumerate(ids):
        later = [n for deeper in ids[layer + 1 :] for n in deeper] + ["end"]
        for name in names:
            targets = draw(st.lists(st.sampled_from(later), min_size=2, max_size=3))
            steps.append(
                step(
                    name,
                    *[
                        {**choice(t, ethics=draw(st.integers(0, 3)), risk=draw(st.integers(0, 3))), "id": f"c{k}"}
                        for k, t in enumerate(targets)
                    ],
                )
            )
    steps.append(end("end"))
    return {"start": ids[0][0], "steps": steps}


def _paths(scn, at=None):
    steps = {s["id"]: s for s in scn["steps"]}
    at = at or scn["start"]
    if steps[at].get("end"):
        yield []
        return
    for ch in steps[at]["choices"]:
        for rest in _paths(scn, ch["next"]):
            yield [ch, *rest]


@given(layered_dags())
def test_best_points_equal_the_best_of_all_paths_enumerated(scn):
    problems = [p for p in graph_problems(scn) if p.code != "unreachable"]
    assert problems == []
    paths = list(_paths(scn))
    for competency in ("ethics", "risk"):
        best = max(sum(ch["points"].get(competency, 0) for ch in path) for path in paths)
        assert best_points(scn).get(competency, 0) == best
