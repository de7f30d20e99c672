"""The real content bank in questions/ and rubrics/: valid, complete, and traceable to the seed."""

import re
from collections import Counter
from pathlib import Path

import pytest

from app.domain.content_schema import load_bank
from app.domain.content_stats import coverage
from app.domain.framework import COMPETENCY_CODES
from app.domain.items import JUDGEMENT as JUDGEMENT_TYPES
from app.services.content_files import read_sources

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "rubrics" / "source" / "account-manager-role.es.txt").read_text(encoding="utf-8")
# Words that only join the general paragraph's phrases; everything else must be mapped.
CONNECTORS = {
    "los",
    "gestores",
    "de",
    "cuentas",
    "cualificados",
    "deben",
    "tener",
    "y",
    "así",
    "como",
    "una",
    "con",
    "las",
    "la",
    "el",
    "en",
    "del",
}


@pytest.fixture(scope="module")
def bank():
    bank, errors = load_bank(read_sources(ROOT))
    assert [str(e) for e in errors] == []
    return bank


def test_the_framework_has_all_fourteen_competencies_with_indicators(bank):
    framework = bank.framework
    assert [c["code"] for c in framework["competencies"]] == list(COMPETENCY_CODES)
    for competency in framework["competencies"]:
        for level, indicators in competency["indicators"].items():
            assert len(indicators) >= 3, (competency["code"], level)
    assert framework["settings"] == {"level_thresholds": [40, 60, 80], "evidence_threshold": 8}


def test_every_seed_sentence_is_quoted_verbatim_and_every_duty_and_quality_is_traced(bank):
    numbered = [line.strip() for line in SEED.splitlines() if re.match(r"\(\d\)", line.strip())]
    assert len(numbered) == 14
    quoted = [s for c in bank.framework["competencies"] for s in c["seed_sentences"]]
    for sentence in quoted:
        assert sentence in SEED, sentence
    for line in numbered:
        assert any(sentence in line or line in sentence for sentence in quoted), line


def test_every_phrase_of_the_general_paragraph_maps_to_a_competency(bank):
    paragraph = bank.framework["seed"]["general_paragraph"]
    assert paragraph in SEED
    remaining = paragraph
    for competency in bank.framework["competencies"]:
        for phrase in competency["seed_phrases"]:
            assert phrase in paragraph, phrase
            remaining = remaining.replace(phrase, " ")
    leftover = {w for w in re.findall(r"\w+", remaining.lower())} - CONNECTORS
    assert leftover == set(), f"unmapped words of the seed paragraph: {sorted(leftover)}"


def test_targets_cover_every_competency_for_juniors_and_mid_levels(bank):
    for career in ("junior", "mid"):
        assert set(bank.targets["targets"][career]) == set(COMPETENCY_CODES)
    junior, mid = bank.targets["targets"]["junior"], bank.targets["targets"]["mid"]
    assert all(mid[c] >= junior[c] for c in COMPETENCY_CODES)


def test_each_competency_has_six_judgement_items_over_several_types(bank):
    for code, row in coverage(bank).items():
        assert row["judgement_items"] >= 6, code
        primary = Counter(
            item["type"]
            for item in bank.items.values()
            if item["type"] in JUDGEMENT_TYPES and max(item["competencies"], key=item["competencies"].get) == code
        )
        assert len(primary) >= 4, (code, primary)


def test_figures_are_measured_with_numeric_items(bank):
    numeric = [i for i in bank.items.values() if i["type"] == "numeric"]
    assert len(numeric) >= 6
    assert {c for i in numeric for c in i["competencies"]} >= {"risk", "analysis", "client_analysis"}


def test_six_branching_scenarios_of_six_to_twelve_steps_measuring_three_competencies(bank):
    scenarios = {key: ex for key, ex in bank.exercises.items() if ex["kind"] == "scenario"}
    assert len(scenarios) >= 6
    table = coverage(bank)
    for key, scenario in scenarios.items():
        assert 6 <= len(scenario["steps"]) <= 12, key
        measured = [code for code, row in table.items() if key in row["scenarios"]]
        assert len(measured) >= 3, (key, measured)
    critical = {
        c
        for s in scenarios.values()
        for step in s["steps"]
        for ch in step.get("choices", [])
        for c in ch.get("critical", [])
    }
    assert {"ethics", "risk"} <= critical


def test_self_assessment_has_four_statements_per_competency_some_reversed(bank):
    likert = [i for i in bank.items.values() if i["type"] == "likert"]
    per_competency = Counter(i["competency"] for i in likert)
    assert all(per_competency[c] >= 4 for c in COMPETENCY_CODES), per_competency
    reversed_ = Counter(i["competency"] for i in likert if i.get("reverse"))
    assert len(reversed_) >= 10


def test_six_open_tasks_with_rubrics(bank):
    tasks = [i for i in bank.items.values() if i["type"] == "open_response"]
    assert len(tasks) >= 6
    assert {t["rubric"] for t in tasks} <= set(bank.rubrics)
    assert len(bank.rubrics) >= 6


def test_the_exercises_that_assemble_the_bank(bank):
    exercises = bank.exercises
    for code in COMPETENCY_CODES:
        assert f"practice-{code.replace('_', '-')}" in exercises, code
    assert exercises["self-assessment"]["kind"] == "self_assessment"
    assert len(exercises["self-assessment"]["items"]) >= 4 * 14


@pytest.mark.parametrize("level", ["junior", "mid"])
def test_each_diagnostic_is_secure_and_draws_three_items_per_competency_of_its_level(bank, level):
    diagnostic = bank.exercises[f"diagnostic-{level}"]
    settings = diagnostic["settings"]
    assert (settings["open_practice"], settings["feedback"], settings["attempts_allowed"]) == (
        False,
        "after_submission",
        1,
    )
    secure = bank.pool_items()
    practised = {
        key
        for exercise in bank.exercises.values()
        if exercise.get("settings", {}).get("open_practice")
        for key in exercise.get("items", [])
    }
    per_competency = Counter()
    for pool in diagnostic["draw"]:
        assert set(pool["from"]) <= secure and not set(pool["from"]) & practised
        assert all(f"-{level}-" in key for key in pool["from"])
        mains = {max(bank.items[k]["competencies"], key=bank.items[k]["competencies"].get) for k in pool["from"]}
        assert len(mains) == 1, pool["from"]  # one draw group, one competency
        per_competency[mains.pop()] += pool["count"]
    assert per_competency == dict.fromkeys(COMPETENCY_CODES, 3)
    assert 50 <= settings["time_limit_minutes"] <= 65


def test_every_pool_item_is_new_situations_in_several_formats(bank):
    """Eight items per competency (four per level), at least four item types in each pool."""
    assert len(bank.pools) == 14
    for key, pool in bank.pools.items():
        assert len(pool["items"]) == 8, key
        assert len({bank.items[i]["type"] for i in pool["items"]}) >= 4, key


def test_every_option_explains_itself(bank):
    for item in bank.items.values():
        for option in item.get("options", []):
            assert option["feedback"]["es"].strip() and option["feedback"]["en"].strip(), item["id"]


def test_the_keyed_answer_is_not_given_away_by_its_length(bank):
    """Across the bank, the best option is the longest one in few items (chance is about 1 in 4)."""
    keyed = [i for i in bank.items.values() if i["type"] in ("single_choice", "best_worst")]
    longest_is_best = 0
    for item in keyed:
        best = max(item["options"], key=lambda o: o["key"])
        longest = max(item["options"], key=lambda o: len(o["text"]["es"]))
        longest_is_best += best is longest
    assert longest_is_best / len(keyed) < 0.5


def test_the_best_option_moves_around(bank):
    positions = Counter(
        [o["key"] for o in i["options"]].index(3) for i in bank.items.values() if i["type"] == "single_choice"
    )
    assert len(positions) >= 3 and max(positions.values()) / sum(positions.values()) < 0.5


def test_each_competency_has_one_name_per_language_which_its_practice_title_uses(bank):
    for competency in bank.framework["competencies"]:
        practice = bank.exercises[f"practice-{competency['code'].replace('_', '-')}"]
        for locale in ("es", "en"):
            assert practice["title"][locale].startswith(competency["name"][locale] + ":"), (competency["code"], locale)


def test_the_seeds_enthusiasm_and_modern_management_are_observed_as_behaviour(bank):
    by_code = {c["code"]: c for c in bank.framework["competencies"]}
    enthusiasm = by_code["relationship"]["behaviour_items"]["personalidad entusiasta y alegre"]
    modern = by_code["planning"]["behaviour_items"]["Conciencia de gestión moderna"]
    for keys in (enthusiasm, modern):
        assert len(keys) >= 2
        assert all(bank.items[k]["type"] in JUDGEMENT_TYPES for k in keys)  # situations, not self-statements


def test_a_behaviour_item_that_does_not_exist_or_measure_the_competency_is_refused():
    sources = read_sources(ROOT)
    framework = sources["rubrics/framework.yaml"]
    broken = framework.replace("[relationship-junior-1, ", "[nope-1, planning-junior-2, ", 1)
    _bank, errors = load_bank({**sources, "rubrics/framework.yaml": broken})
    assert [e.message for e in errors] == [
        "no item 'nope-1' in the bank",
        "'planning-junior-2' does not measure relationship",
    ]
