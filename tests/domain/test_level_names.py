"""Level names come from the framework document, in the reader's language; levels from scores."""

from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from app.domain.framework import level_for_score, level_names, score_ceiling

FRAMEWORK = Path(__file__).resolve().parents[2] / "rubrics" / "framework.yaml"


def test_level_names_come_from_the_framework():
    framework = yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))
    assert level_names(framework, "es") == {1: "Inicial", 2: "En desarrollo", 3: "Competente", 4: "Avanzado"}
    assert level_names(framework, "en") == {1: "Foundation", 2: "Developing", 3: "Proficient", 4: "Advanced"}


def test_without_a_framework_the_codes_stand_in():
    assert level_names(None, "es") == {1: "Foundation", 2: "Developing", 3: "Proficient", 4: "Advanced"}


@given(
    score=st.floats(min_value=0, max_value=100),
    level=st.integers(min_value=0, max_value=5),
    cuts=st.lists(st.floats(min_value=1, max_value=99), min_size=3, max_size=3, unique=True).map(sorted),
)
def test_a_level_is_below_another_exactly_when_its_score_is_under_the_ceiling(score, level, cuts):
    ceiling = score_ceiling(level, cuts)
    below = level_for_score(score, cuts) < level
    assert below == (ceiling is not None and score < ceiling)
