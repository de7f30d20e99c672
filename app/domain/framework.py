"""The competency framework's fixed vocabulary and the score-to-level rule (domain.md §1)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

DUTIES = (
    "visits",
    "segmentation",
    "risk",
    "relationship",
    "client_analysis",
    "communication",
    "negotiation",
    "transaction",
)
QUALITIES = ("ethics", "marketing", "knowledge", "analysis", "planning", "coordination")
COMPETENCY_CODES = DUTIES + QUALITIES
FAMILY_OF = {**{code: "duty" for code in DUTIES}, **{code: "quality" for code in QUALITIES}}
FAMILIES = ("duty", "quality")
LEVEL_CODES = ("foundation", "developing", "proficient", "advanced")
DEFAULT_THRESHOLDS = (40, 60, 80)
DEFAULT_EVIDENCE_THRESHOLD = 3


def level_for_score(score: float, thresholds: Sequence[float] = DEFAULT_THRESHOLDS) -> int:
    """A 0–100 score's level, 1..4: below the first threshold is 1, at or above the last is 4."""
    return bisect_right(list(thresholds), score) + 1


def competency_names(framework: dict | None, locale: str) -> dict[str, str]:
    """Each code's name in the locale, from the framework document; the code itself without one."""
    names = {code: code for code in COMPETENCY_CODES}
    for competency in (framework or {}).get("competencies", []):
        names[competency["code"]] = competency["name"].get(locale) or competency["name"]["es"]
    return names


def competency_short_names(framework: dict | None, locale: str) -> dict[str, str]:
    """Each code's abbreviation in the locale (for narrow column headers); the code's start without one."""
    short = {code: code[:3].upper() for code in COMPETENCY_CODES}
    for competency in (framework or {}).get("competencies", []):
        if "short" in competency:
            short[competency["code"]] = competency["short"].get(locale) or competency["short"]["es"]
    return short


def level_names(framework: dict | None, locale: str) -> dict[int, str]:
    """Each level's name (1..4) in the locale, from the framework document; its code without one."""
    names = {number: code.capitalize() for number, code in enumerate(LEVEL_CODES, start=1)}
    for level in (framework or {}).get("levels", []):
        names[level["level"]] = level["name"].get(locale) or level["name"]["es"]
    return names
