"""Content validation: a clean bank passes, and each kind of mistake is reported precisely."""

from pathlib import Path

import pytest

from app.domain.content_schema import effective_settings, load_bank

FIXTURES = Path(__file__).resolve().parents[1] / "content" / "fixtures"


def sources(directory: Path) -> dict[str, str]:
    return {
        str(path.relative_to(directory)): path.read_text(encoding="utf-8") for path in sorted(directory.rglob("*.yaml"))
    }


def test_the_valid_fixture_bank_loads_completely():
    bank, errors = load_bank(sources(FIXTURES / "valid"))
    assert errors == []
    assert set(bank.exercises) == {"fixture-quiz", "fixture-self", "fixture-diagnostic", "fixture-scenario"}
    assert bank.exercises["fixture-quiz"]["items"][:2] == ["fx-single", "fx-best-worst"]
    assert bank.items["fx-numeric"]["answer"] == 1.5
    assert set(bank.rubrics) == {"fixture-rubric"}
    assert bank.pools["fixture-pool"]["items"] == ["fx-secure"]
    assert bank.pool_items() == {"fx-secure"}
    assert {kind for kind, _key, _body in bank.documents()} == {"exercise", "pool", "item", "rubric"}


# Each broken fixture, and exactly what `flask content validate` must say about it.
BROKEN = {
    "malformed-yaml": ["questions/bx-malformed.yaml:4:6: (file): malformed YAML: expected ',' or '}', but got ':'"],
    "unknown-competency": [
        "questions/bx-unknown-competency.yaml:7:41: items[0].competencies.charisma: unknown competency code 'charisma'"
    ],
    "duplicate-ids": [
        "questions/bx-dup-two.yaml:5:9: items[0].id: duplicate item id 'bx-dup-item' "
        "(also defined in questions/bx-dup-one.yaml)"
    ],
    "key-out-of-range": [
        "questions/bx-key-range.yaml:10:22: items[0].options[0].key: 4 is out of range: greater than the maximum of 3",
        "questions/bx-key-range.yaml:17:25: items[1].options[0].rating: 6 is out of range: "
        "greater than the maximum of 5",
    ],
    "rank-not-permutation": [
        "questions/bx-rank.yaml:10:7: items[0].options: ranks [1, 2, 2] are not a permutation of 1..3"
    ],
    "weight-not-positive": [
        "questions/bx-weight.yaml:7:26: items[0].competencies.risk: must be greater than 0 (got 0)",
        "questions/bx-weight.yaml:7:39: items[0].competencies.analysis: must be greater than 0 (got -1)",
    ],
    "missing-language": [
        "questions/bx-language.yaml:8:11: items[0].stem: the English version ('en') is missing",
        "questions/bx-language.yaml:10:43: items[0].options[0].text.en: must not be empty",
        "questions/bx-language.yaml:11:31: items[0].options[1].text: the Spanish version ('es') is missing",
    ],
    "scenario-cycle": ["questions/bx-cycle.yaml:6:5: steps[0]: the scenario has a cycle: s1 → s2 → s1"],
    "scenario-dangling-choice": [
        "questions/bx-dangling.yaml:10:71: steps[0].choices[1].next: this choice leads nowhere: there is no step 'nowhere'"
    ],
    "scenario-unreachable": [
        "questions/bx-unreachable.yaml:11:5: steps[1]: step 'island' cannot be reached from the start"
    ],
    "scenario-no-end": [
        "questions/bx-no-end.yaml:11:5: steps[1]: step 'trap' needs at least two choices (or end: true)",
        "questions/bx-no-end.yaml:11:5: steps[1]: no path leads from step 'trap' to an ending",
    ],
    "scenario-measures-nothing": [
        "questions/bx-nothing.yaml:6:3: steps: no competency is measured: no choice earns points"
    ],
    "missing-rubric": [
        "questions/bx-missing-rubric.yaml:7:13: items[0].rubric: no rubric 'no-such-rubric' in rubrics/grading/"
    ],
    "likert-without-competency": ["questions/bx-likert.yaml:5:5: items[0]: 'competency' is required"],
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_broken_fixture_gets_its_precise_message(name):
    _bank, errors = load_bank(sources(FIXTURES / "broken" / name))
    assert [str(e) for e in errors] == BROKEN[name]


def test_every_broken_fixture_is_covered():
    assert {p.name for p in (FIXTURES / "broken").iterdir()} == set(BROKEN)


def mutate(old: str, new: str) -> dict[str, str]:
    base = sources(FIXTURES / "valid")
    name = next(n for n, t in base.items() if old in t)
    return {**base, name: base[name].replace(old, new, 1)}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("- {id: b, key: 1,", "- {id: b, key: 3,", "exactly one option must have the highest key (3)"),
        ("{id: b, correct: false,", "{id: b, correct: true,", "at least one option must be correct and one incorrect"),
        ("count: 1\n", "count: 2\n", "cannot draw 2 items from 1"),
        (
            "id: fixture-diagnostic\n",
            "id: fixture-diagnostic\nsettings: {open_practice: true}\n",
            "'fx-secure' is in a secure pool: only exercises without open practice",
        ),
        (
            "id: fixture-diagnostic\n",
            "id: fixture-diagnostic\nsettings: {feedback: immediately}\n",
            "'fx-secure' is in a secure pool",
        ),
        ("id: fixture-pool\n", "id: other-pool\n", "the pool id 'other-pool' must match the file name"),
        (
            "type: single_choice\n    competencies: {risk: 1}\n",
            "type: likert\n    competency: risk\n",
            "is a likert statement",
        ),
        ("from: [fx-numeric]", "from: [fx-missing]", "no item 'fx-missing' in the bank"),
        ("id: fixture-self\n", "id: another-name\n", "must match the file name 'fixture-self'"),
        ("{points: 2, descriptor:", "{points: 0, descriptor:", "must start at 0 and increase"),
        (
            "type: likert, competency: planning, stem: {es: Planifico",
            "type: numeric, competencies: {planning: 1}, answer: 1, tolerance: 0, feedback: {es: A, en: A}, stem: {es: Planifico",
            "a self-assessment holds only likert statements",
        ),
        (
            "title: {es: Prueba, en: Test}\n",
            "title: {es: Prueba, en: Test}\ntitle: {es: Otra, en: Other}\n",
            "this key appears twice",
        ),
    ],
)
def test_other_mistakes_are_caught(old, new, expected):
    _bank, errors = load_bank(mutate(old, new))
    assert any(expected in str(e) for e in errors), [str(e) for e in errors]


def test_a_file_broken_elsewhere_still_lets_its_neighbours_resolve_its_ids():
    bank_sources = mutate("stem: {es: Elige, en: Choose}", "stem: {es: Elige}")
    _bank, errors = load_bank(bank_sources)
    assert [e.path for e in errors] == ["items[4].stem"]  # no knock-on 'no item fx-multi' in the diagnostic


def test_settings_defaults_fill_what_the_file_leaves_out():
    assert effective_settings({"settings": {"feedback": "never"}}) == {
        "time_limit_minutes": None,
        "shuffle_items": True,
        "shuffle_options": True,
        "attempts_allowed": None,
        "feedback": "never",
        "open_practice": False,
        "anonymous_grading": False,
        "release_grades": "immediately",
        "moderation_percent": 0,
        "regrade_by": "any_trainer",
    }
