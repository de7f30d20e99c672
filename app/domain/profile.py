"""A manager's competency profile (domain.md §3): scores, levels, gaps, evidence, calibration, history."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import TypeVar

from app.domain.framework import COMPETENCY_CODES, DEFAULT_EVIDENCE_THRESHOLD, DEFAULT_THRESHOLDS, level_for_score


@dataclass(frozen=True)
class AttemptResult:
    """A graded attempt's per-competency scores: {code: (A_c in [0, 1], W_c)}."""

    exercise: str
    submitted_at: datetime
    scores: Mapping[str, tuple[float, float]]


@dataclass(frozen=True)
class CompetencyProfile:
    code: str
    score: float | None  # 0–100; tentative when evidence is insufficient
    evidence: float  # Σ W_ac over the attempts that count
    level: int | None  # None: no evidence, or insufficient evidence
    target: int | None
    gap: int | None  # target level − measured level
    self_score: float | None
    self_level: int | None
    calibration: int | None  # self level − measured level
    insufficient: bool

    @property
    def blind_spot(self) -> bool:
        return self.calibration is not None and self.calibration >= 1

    @property
    def hidden_strength(self) -> bool:
        return self.calibration is not None and self.calibration <= -1


T = TypeVar("T")


def latest_per_exercise(results: Iterable[T], exercise: Callable[[T], object] = attrgetter("exercise")) -> list[T]:
    """For each exercise only the latest graded attempt counts: a retake replaces the earlier one.

    Works on anything with a `submitted_at`; `exercise` says which exercise each one is of.
    """
    latest: dict[object, T] = {}
    for result in results:
        current = latest.get(exercise(result))
        if current is None or result.submitted_at > current.submitted_at:
            latest[exercise(result)] = result
    return list(latest.values())


def measured_level(
    score: float | None,
    evidence: float,
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    evidence_threshold: float = DEFAULT_EVIDENCE_THRESHOLD,
) -> int | None:
    """A level only with enough evidence: below the threshold the score is tentative, with no level."""
    if score is None or evidence < evidence_threshold:
        return None
    return level_for_score(score, thresholds)


def measured_scores(results: Iterable[AttemptResult]) -> dict[str, tuple[float, float]]:
    """P_c = Σ W_ac·A_ac / Σ W_ac over the counting attempts, as (0–100 score, Σ W_ac)."""
    weighted: dict[str, float] = {}
    weights: dict[str, float] = {}
    for result in latest_per_exercise(results):
        for code, (score, weight) in result.scores.items():
            weighted[code] = weighted.get(code, 0.0) + weight * score
            weights[code] = weights.get(code, 0.0) + weight
    return {code: (weighted[code] / weights[code] * 100, weights[code]) for code in weights if weights[code] > 0}


def build_profile(
    results: Iterable[AttemptResult],
    self_scores: Mapping[str, float],
    targets: Mapping[str, int],
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    evidence_threshold: float = DEFAULT_EVIDENCE_THRESHOLD,
) -> list[CompetencyProfile]:
    measured = measured_scores(results)
    profile = []
    for code in COMPETENCY_CODES:
        score, evidence = measured.get(code, (None, 0.0))
        insufficient = score is not None and evidence < evidence_threshold
        level = measured_level(score, evidence, thresholds, evidence_threshold)
        target = targets.get(code)
        self_score = self_scores.get(code)
        self_level = level_for_score(self_score, thresholds) if self_score is not None else None
        profile.append(
            CompetencyProfile(
                code=code,
                score=score,
                evidence=evidence,
                level=level,
                target=target,
                gap=target - level if target is not None and level is not None else None,
                self_score=self_score,
                self_level=self_level,
                calibration=self_level - level if self_level is not None and level is not None else None,
                insufficient=insufficient,
            )
        )
    return profile


def history(
    results: Sequence[AttemptResult], month_ends: Sequence[datetime]
) -> list[tuple[datetime, dict[str, float]]]:
    """The profile's scores as they stood at the end of each month (only attempts submitted by then)."""
    return [
        (
            end,
            {code: score for code, (score, _w) in measured_scores(r for r in results if r.submitted_at <= end).items()},
        )
        for end in month_ends
    ]


@dataclass(frozen=True)
class HistoryRow:
    """One competency's line of the month-by-month table: its sparkline's points (x from 0 to 120,
    y from 40 at 0 down to 0 at 100) and its rounded score per month ("" before any)."""

    code: str
    points: str
    cells: tuple[str, ...]
    last: tuple[float, float] | None = None  # the latest point, marked: a line of one month is only this


def history_rows(history: Sequence[tuple[datetime, Mapping[str, float]]], codes: Sequence[str]) -> list[HistoryRow]:
    """The table and sparklines of `history`, computed once here rather than cell by cell in a template."""
    step = 120 / max(len(history) - 1, 1)
    rows = []
    for code in codes:
        measured = [
            (round(n * step, 1), round(40 - scores[code] * 0.4, 1))
            for n, (_end, scores) in enumerate(history)
            if code in scores
        ]
        points = " ".join(f"{x},{y}" for x, y in measured)
        cells = tuple(str(round(scores[code])) if code in scores else "" for _end, scores in history)
        rows.append(HistoryRow(code, points, cells, measured[-1] if measured else None))
    return rows


def practise_next(
    profile: Sequence[CompetencyProfile], exercises_by_competency: Mapping[str, Sequence[str]], limit: int = 3
) -> list[tuple[str, str]]:
    """Up to `limit` (competency, exercise) pairs for the largest gaps, then thin evidence.

    A competency below target comes first, the largest gap first; then those with
    insufficient or no evidence. Each exercise is suggested once.
    """

    def urgency(entry: CompetencyProfile):
        if entry.gap is not None and entry.gap > 0:
            return (0, -entry.gap, entry.score or 0)
        if entry.level is None:
            return (1, 0, entry.evidence)
        return None

    ranked = sorted((e for e in profile if urgency(e) is not None), key=urgency)
    chosen: list[tuple[str, str]] = []
    used: set[str] = set()
    for entry in ranked:
        for exercise in exercises_by_competency.get(entry.code, ()):
            if exercise not in used:
                chosen.append((entry.code, exercise))
                used.add(exercise)
                break
        if len(chosen) == limit:
            break
    return chosen
