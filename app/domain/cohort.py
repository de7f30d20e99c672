"""Cohort views over managers' profiles: level distributions, targets met, gaps, training needs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.domain.framework import COMPETENCY_CODES, level_for_score


@dataclass(frozen=True)
class Member:
    """One manager: career level, and per competency (level or None when insufficient, score)."""

    user_id: int
    name: str
    career_level: str | None
    cells: Mapping[str, tuple[int | None, float]]
    self_scores: Mapping[str, float] = field(default_factory=dict)


@dataclass
class CompetencySummary:
    code: str
    levels: dict[int, int] = field(default_factory=lambda: dict.fromkeys((1, 2, 3, 4), 0))
    insufficient: int = 0
    unmeasured: int = 0
    at_target: int = 0
    with_target: int = 0
    gap_total: int = 0
    below: list[tuple[Member, int]] = field(default_factory=list)  # (member, how many levels below)

    @property
    def share_at_target(self) -> float | None:
        return self.at_target / self.with_target if self.with_target else None

    @property
    def mean_gap(self) -> float | None:
        return self.gap_total / self.with_target if self.with_target else None

    @property
    def share_below(self) -> float | None:
        return len(self.below) / self.with_target if self.with_target else None


def summarise(members: Sequence[Member], targets: Mapping[str, Mapping[str, int]]) -> dict[str, CompetencySummary]:
    """Per competency, over managers with a measured level and a target for their career level.

    A gap is target − level; only measured levels count towards shares and means.
    """
    result = {code: CompetencySummary(code) for code in COMPETENCY_CODES}
    for member in members:
        career_targets = targets.get(member.career_level or "", {})
        for code in COMPETENCY_CODES:
            summary = result[code]
            level, _score = member.cells.get(code, (None, None))
            if code not in member.cells:
                summary.unmeasured += 1
                continue
            if level is None:
                summary.insufficient += 1
                continue
            summary.levels[level] += 1
            target = career_targets.get(code)
            if target is None:
                continue
            summary.with_target += 1
            gap = target - level
            summary.gap_total += gap
            if gap <= 0:
                summary.at_target += 1
            else:
                summary.below.append((member, gap))
    for summary in result.values():
        summary.below.sort(key=lambda entry: (-entry[1], entry[0].name))
    return result


def group_training(summaries: Mapping[str, CompetencySummary], share: float) -> list[str]:
    """Competencies where more than `share` of the measured managers are below target."""
    return [code for code, s in summaries.items() if s.share_below is not None and s.share_below > share]


@dataclass
class CalibrationSummary:
    code: str
    compared: int = 0
    difference_total: int = 0
    blind_spots: list[tuple[Member, int]] = field(default_factory=list)  # self above measured
    hidden_strengths: list[tuple[Member, int]] = field(default_factory=list)  # self below measured

    @property
    def mean_difference(self) -> float | None:
        return self.difference_total / self.compared if self.compared else None


def calibration(members: Sequence[Member], thresholds: Sequence[float]) -> dict[str, CalibrationSummary]:
    """Self level − measured level per competency, for managers with both (domain.md §3)."""
    result = {code: CalibrationSummary(code) for code in COMPETENCY_CODES}
    for member in members:
        for code, self_score in member.self_scores.items():
            level, _score = member.cells.get(code, (None, None))
            if level is None or code not in result:
                continue
            difference = level_for_score(self_score, thresholds) - level
            summary = result[code]
            summary.compared += 1
            summary.difference_total += difference
            if difference >= 1:
                summary.blind_spots.append((member, difference))
            elif difference <= -1:
                summary.hidden_strengths.append((member, difference))
    for summary in result.values():
        summary.blind_spots.sort(key=lambda entry: (-entry[1], entry[0].name))
    return result
