"""Level names come from the framework document, in the reader's language; levels from scores."""

from pathlib import Path

import yaml

from app.domain.framework import level_names

FRAMEWORK = Path(__file__).resolve().parents[2] / "rubrics" / "framework.yaml"


def test_level_names_come_from_the_framework():
    framework = yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))
    assert level_names(framework, "es") == {1: "Inicial", 2: "En desarrollo", 3: "Competente", 4: "Avanzado"}
    assert level_names(framework, "en") == {1: "Foundation", 2: "Developing", 3: "Proficient", 4: "Advanced"}


def test_without_a_framework_the_codes_stand_in():
    assert level_names(None, "es") == {1: "Foundation", 2: "Developing", 3: "Proficient", 4: "Advanced"}
