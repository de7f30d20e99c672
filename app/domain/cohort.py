"""Cohort views over managers' profiles: level distributions, targets met, gaps, training needs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.domain.framework import COMPETENCY_CODES


@dataclass(frozen=True)
class Member:
    """One manager: career level, and per competency (level or None when insufficient, score)."""

    user_id: int
    name: str
    career_level: str | None
    cells: Mapping[str, tuple[int | None, float]]


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
