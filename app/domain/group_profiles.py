"""Group views over many managers' profiles: level distributions, targets met, gaps, training needs, trends."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from app.domain.dates import quarter_of
from app.domain.framework import COMPETENCY_CODES, level_for_score


@dataclass(frozen=True)
class Member:
    """One manager: career level, and per competency (level or None when insufficient, score)."""

    user_id: int
    name: str
    career_level: str | None
    cells: Mapping[str, tuple[int | None, float]]
    self_scores: Mapping[str, float] = field(default_factory=dict)
    unit: str = ""  # the org unit's name


@dataclass
class CompetencySummary:
    code: str
    levels: dict[int, int] = field(default_factory=lambda: dict.fromkeys((1, 2, 3, 4), 0))
    insufficient: int = 0
    unmeasured: int = 0
    at_target: int = 0
    with_target: int = 0
    gap_total: int = 0
    below_count: int = 0  # managers below their target
    below_levels: int = 0  # how many levels they would have to climb, together
    below: list[tuple[Member, int]] = field(default_factory=list)  # named, largest gap first (may be a first page)

    @property
    def share_at_target(self) -> float | None:
        return self.at_target / self.with_target if self.with_target else None

    @property
    def mean_gap(self) -> float | None:
        return self.gap_total / self.with_target if self.with_target else None

    @property
    def share_below(self) -> float | None:
        return self.below_count / self.with_target if self.with_target else None

    @property
    def levels_below(self) -> int:
        return self.below_levels


LevelCount = tuple[str | None, str, int | None, int]  # (career level, competency, level or None, managers)


def summarise_counts(
    counts: Iterable[LevelCount], cohort_size: int, targets: Mapping[str, Mapping[str, int]]
) -> dict[str, CompetencySummary]:
    """Per competency, from how many managers of each career level sit at each level.

    Only measured levels count towards shares and means; a gap is target − level. Managers
    with no score at all for a competency are `unmeasured` (the cohort's size minus the rest).
    """
    result = {code: CompetencySummary(code) for code in COMPETENCY_CODES}
    for career_level, code, level, managers in counts:
        summary = result.get(code)
        if summary is None:
            continue
        if level is None:
            summary.insufficient += managers
            continue
        summary.levels[level] += managers
        target = targets.get(career_level or "", {}).get(code)
        if target is None:
            continue
        summary.with_target += managers
        summary.gap_total += (target - level) * managers
        if level >= target:
            summary.at_target += managers
        else:
            summary.below_count += managers
            summary.below_levels += (target - level) * managers
    for summary in result.values():
        summary.unmeasured = cohort_size - summary.insufficient - sum(summary.levels.values())
    return result


def summarise(members: Sequence[Member], targets: Mapping[str, Mapping[str, int]]) -> dict[str, CompetencySummary]:
    """As `summarise_counts`, and also who is below target and by how many levels."""
    counts = Counter(
        (member.career_level, code, level) for member in members for code, (level, _score) in member.cells.items()
    )
    result = summarise_counts(((*key, n) for key, n in counts.items()), len(members), targets)
    for member in members:
        career_targets = targets.get(member.career_level or "", {})
        for code, (level, _score) in member.cells.items():
            target = career_targets.get(code)
            if code in result and level is not None and target is not None and target > level:
                result[code].below.append((member, target - level))
    for summary in result.values():
        summary.below.sort(key=lambda entry: (-entry[1], entry[0].name))
    return result


def by_need(summaries: Mapping[str, CompetencySummary]) -> list[CompetencySummary]:
    """Where training would help most first: the most levels to climb, then the most people."""
    return sorted(
        (s for s in summaries.values() if s.below_count),
        key=lambda s: (-s.levels_below, -s.below_count, COMPETENCY_CODES.index(s.code)),
    )


def units_by_need(below: Mapping[int, Mapping[str, int]]) -> list[tuple[int, dict[str, int]]]:
    """Org units with how many of their managers are below target in each competency, the units
    with the most such cases first (units with none are left out)."""
    rows = [(unit, {code: n for code, n in counts.items() if n}) for unit, counts in below.items()]
    return sorted((row for row in rows if row[1]), key=lambda entry: (-sum(entry[1].values()), entry[0]))


def group_training(summaries: Mapping[str, CompetencySummary], share: float) -> list[str]:
    """Competencies where more than `share` of the measured managers are below target."""
    return [code for code, s in summaries.items() if s.share_below is not None and s.share_below > share]


@dataclass
class CalibrationSummary:
    code: str
    compared: int = 0
    difference_total: int = 0
    blind: int = 0  # self-view at least a level above the measured level
    hidden: int = 0  # at least a level below
    blind_spots: list[tuple[Member, int]] = field(default_factory=list)  # named, largest first (may be a first page)
    hidden_strengths: list[tuple[Member, int]] = field(default_factory=list)

    @property
    def mean_difference(self) -> float | None:
        return self.difference_total / self.compared if self.compared else None


SelfCount = tuple[str, int, int, int]  # (competency, measured level, self level, managers)


def calibration_counts(counts: Iterable[SelfCount]) -> dict[str, CalibrationSummary]:
    """Self level − measured level per competency, for managers with both (domain.md §3), from counts."""
    result = {code: CalibrationSummary(code) for code in COMPETENCY_CODES}
    for code, level, self_level, managers in counts:
        summary = result.get(code)
        if summary is None or not level or not self_level:
            continue
        difference = self_level - level
        summary.compared += managers
        summary.difference_total += difference * managers
        if difference >= 1:
            summary.blind += managers
        elif difference <= -1:
            summary.hidden += managers
    return result


def calibration(members: Sequence[Member], thresholds: Sequence[float]) -> dict[str, CalibrationSummary]:
    """As `calibration_counts`, and who has each blind spot and hidden strength."""
    counts: Counter = Counter()
    blind_spots: dict[str, list[tuple[Member, int]]] = {}
    hidden: dict[str, list[tuple[Member, int]]] = {}
    for member in members:
        for code, self_score in member.self_scores.items():
            level, _score = member.cells.get(code, (None, None))
            if level is None or code not in COMPETENCY_CODES:
                continue
            self_level = level_for_score(self_score, thresholds)
            counts[(code, level, self_level)] += 1
            entry = (member, self_level - level)
            if self_level > level:
                blind_spots.setdefault(code, []).append(entry)
            elif self_level < level:
                hidden.setdefault(code, []).append(entry)
    result = calibration_counts((*key, n) for key, n in counts.items())
    for code, summary in result.items():
        summary.blind_spots = sorted(blind_spots.get(code, []), key=lambda entry: (-entry[1], entry[0].name))
        summary.hidden_strengths = hidden.get(code, [])
    return result


@dataclass(frozen=True)
class Trend:
    """Per quarter, the weighted mean score (0–100) each competency earned in the attempts of that quarter."""

    quarters: list[tuple[int, int]]
    scores: dict[str, dict[tuple[int, int], float]]
    attempts: dict[tuple[int, int], int]

    def change(self, code: str) -> float | None:
        """Last quarter with data minus the first: the direction an HR reader looks for."""
        seen = [self.scores[code][q] for q in self.quarters if q in self.scores.get(code, {})]
        return seen[-1] - seen[0] if len(seen) > 1 else None


MonthSums = tuple[int, int, str, float, float]  # (year, month, competency, Σ W·A, Σ W)


def quarterly_trend(
    sums: Iterable[MonthSums], attempts: Iterable[tuple[int, int, int]], quarters: Sequence[tuple[int, int]]
) -> Trend:
    """Σ W·A / Σ W per competency and quarter (domain.md §3's weighting), from monthly sums.

    `attempts` holds (year, month, scored attempts) for the activity row.
    """
    weighted: dict[str, dict[tuple[int, int], list[float]]] = {}
    for year, month, code, score_sum, weight_sum in sums:
        cell = weighted.setdefault(code, {}).setdefault(quarter_of(year, month), [0.0, 0.0])
        cell[0] += score_sum
        cell[1] += weight_sum
    counts: Counter = Counter()
    for year, month, n in attempts:
        counts[quarter_of(year, month)] += n
    scores = {
        code: {q: s / w * 100 for q, (s, w) in cells.items() if w > 0 and q in quarters}
        for code, cells in weighted.items()
    }
    return Trend(list(quarters), scores, {q: counts[q] for q in quarters})
