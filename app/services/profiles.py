"""A manager's competency profile, from the stored per-attempt scores (a few queries, any history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from operator import attrgetter

from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload, selectinload

from app.domain.attempt_scoring import self_rated
from app.domain.attempt_status import AttemptStatus
from app.domain.content_schema import Bank, effective_settings
from app.domain.content_stats import summarise
from app.domain.framework import COMPETENCY_CODES, FAMILY_OF
from app.domain.profile import (
    AttemptResult,
    CompetencyProfile,
    HistoryRow,
    build_profile,
    history,
    history_rows,
    latest_per_exercise,
    measured_level,
    measured_scores,
    practise_next,
)
from app.extensions import db
from app.models import Answer, Attempt, AttemptScore, ContentDocument, ContentVersion, ProfileScore, SelfScore, User
from app.models.users import utcnow
from app.services import cohort_levels, content_loader
from app.services.level_sql import level_expression
from app.services.monthly_scores import month_of


@dataclass
class Profile:
    user: User
    competencies: list[CompetencyProfile]
    families: dict[str, tuple[float | None, int]]  # family → (mean score of measured competencies, count)
    history: list[tuple[datetime, dict[str, float]]]
    suggestions: list[tuple[str, str, str]]  # (competency, exercise key, exercise title)
    thresholds: list[float]
    evidence_threshold: float

    @cached_property
    def history_table(self) -> list[HistoryRow]:
        return history_rows(self.history, [c.code for c in self.competencies])


def attempt_results(user: User) -> list[AttemptResult]:
    """Each scored attempt's competency scores (one query; plain rows, a few hundred for an active manager)."""
    db.session.flush()  # what the ORM's execute would flush first: scores just added must count
    rows = (
        db.session.connection()
        .execute(
            select(
                Attempt.id,
                ContentDocument.key,
                Attempt.submitted_at,
                AttemptScore.competency,
                AttemptScore.score,
                AttemptScore.weight,
            )
            .join(AttemptScore, AttemptScore.attempt_id == Attempt.id)
            .join(ContentDocument, ContentDocument.id == Attempt.exercise_id)
            .where(Attempt.user_id == user.id, Attempt.status == AttemptStatus.SCORED)
        )
        .all()
    )
    grouped: dict[int, AttemptResult] = {}
    for attempt_id, key, submitted_at, code, score, weight in rows:
        entry = grouped.get(attempt_id)
        if entry is None:  # not setdefault: building a result for every row cost the profile 1.2 ms
            entry = grouped[attempt_id] = AttemptResult(key, submitted_at, {})
        entry.scores[code] = (score, weight)
    return list(grouped.values())


def refresh(user: User) -> None:
    """Recompute a manager's stored profile from their scored attempts, and the cohort counts with it."""
    bank = content_loader.current_bank()
    with cohort_levels.kept([user]):
        results = attempt_results(user)
        db.session.execute(delete(ProfileScore).where(ProfileScore.user_id == user.id))
        db.session.execute(delete(SelfScore).where(SelfScore.user_id == user.id))
        for code, (score, evidence) in measured_scores(results).items():
            level = measured_level(score, evidence, bank.level_thresholds, bank.evidence_threshold)
            db.session.add(ProfileScore(user_id=user.id, competency=code, score=score, evidence=evidence, level=level))
        for code, score in self_scores(user).items():
            db.session.add(SelfScore(user_id=user.id, competency=code, score=score))
        latest = max((r.submitted_at for r in results), default=None)
        user.last_assessed_month = month_of(latest) if latest else None
        user.profile_version = User.profile_version + 1  # in SQL: two scorings at once both count


def relevel(thresholds: list[float], evidence_threshold: float) -> int:
    """Recompute every stored profile level after the framework's thresholds changed (one UPDATE),
    then the cohort counts and the profile rows' self-rated levels, which moved with them.

    The CASE is `measured_level` spelled in SQL; a test holds the two to the same answers.
    """
    level = level_expression(ProfileScore.score, thresholds, (ProfileScore.evidence < evidence_threshold, None))
    changed = db.session.execute(update(ProfileScore).values(level=level)).rowcount
    cohort_levels.rebuild(thresholds)
    cohort_levels.copy_standing(thresholds=thresholds)
    return changed


def self_scores(user: User) -> dict[str, float]:
    """From the latest answer to each self-assessment statement."""
    rows = db.session.execute(
        select(Answer.item_key, Answer.value, Answer.answered_at, ContentVersion.body)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(ContentVersion, ContentVersion.id == Answer.item_version_id)
        .where(Attempt.user_id == user.id, Attempt.status == AttemptStatus.SCORED)
    ).all()
    latest: dict[str, tuple] = {}
    for key, value, when, body in rows:
        if body.get("type") == "likert" and (key not in latest or when > latest[key][0]):
            latest[key] = (when, body["competency"], value, bool(body.get("reverse")))
    return self_rated((code, value, reverse) for _when, code, value, reverse in latest.values())


def exercises_by_competency(bank: Bank, locale: str) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Open practice that measures each competency, the competency's own practice first; and titles
    (once per loaded bank and language: it summarises every exercise, scenarios' best paths included)."""
    return bank.derived(("exercises_by_competency", locale), lambda: _exercises_by_competency(bank, locale))


def _exercises_by_competency(bank: Bank, locale: str) -> tuple[dict[str, list[str]], dict[str, str]]:
    measures: dict[str, list[str]] = {code: [] for code in COMPETENCY_CODES}
    titles = {}
    for key, exercise in sorted(bank.exercises.items()):
        if not effective_settings(exercise)["open_practice"] or exercise["kind"] == "self_assessment":
            continue
        summary = summarise(exercise, bank)
        if summary.kind == "written_task":
            continue  # scored only once a trainer grades it: not something to practise on one's own
        titles[key] = exercise["title"][locale]
        for code in summary.competencies:
            measures[code].append(key)
    for code, keys in measures.items():
        own = f"practice-{code.replace('_', '-')}"
        keys.sort(key=lambda k: (k != own, k))
    return measures, titles


def month_ends(now: datetime, months: int = 12) -> list[datetime]:
    ends = []
    first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for _ in range(months):
        ends.append(first - timedelta(microseconds=1) if ends else now)
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(ends))


def profile_for(user: User, locale: str, now: datetime | None = None) -> Profile:
    bank = content_loader.current_bank()
    thresholds, evidence_threshold = bank.level_thresholds, bank.evidence_threshold
    targets = bank.career_targets.get(user.career_level or "", {})
    results = attempt_results(user)
    stored_self = dict(
        db.session.execute(select(SelfScore.competency, SelfScore.score).where(SelfScore.user_id == user.id)).all()
    )  # kept by refresh(), so the page does not re-read every Likert answer
    competencies = build_profile(results, stored_self, targets, thresholds, evidence_threshold)
    families = {}
    for family in ("duty", "quality"):
        scores = [
            c.score for c in competencies if FAMILY_OF[c.code] == family and c.score is not None and not c.insufficient
        ]
        families[family] = (sum(scores) / len(scores) if scores else None, len(scores))
    measures, titles = exercises_by_competency(bank, locale)
    suggestions = [(code, key, titles[key]) for code, key in practise_next(competencies, measures)]
    return Profile(
        user,
        competencies,
        families,
        history(latest_per_exercise(results), month_ends(now or utcnow())) if results else [],
        suggestions,
        thresholds,
        evidence_threshold,
    )


@dataclass
class EvidenceRow:
    attempt: Attempt
    exercise_title: str
    source: str  # an item's stem, or the scenario's title
    answer: object
    score: float | None
    weight: float


def evidence_for(user: User, code: str, locale: str) -> list[EvidenceRow]:
    """Every graded piece of evidence behind one competency: exercise, item, answer, points."""
    attempts = db.session.scalars(
        select(Attempt)
        .where(Attempt.user_id == user.id, Attempt.status == AttemptStatus.SCORED)
        .options(joinedload(Attempt.exercise_version), selectinload(Attempt.scores), selectinload(Attempt.decisions))
        .order_by(Attempt.submitted_at.desc())
    ).all()
    counted = {a.id for a in latest_per_exercise(attempts, exercise=attrgetter("exercise_id"))}
    rows: list[EvidenceRow] = []
    answers = db.session.execute(
        select(Answer, ContentVersion.body)
        .join(ContentVersion, ContentVersion.id == Answer.item_version_id)
        .where(Answer.attempt_id.in_(counted or [-1]))
    ).all()
    by_attempt: dict[int, list] = {}
    for answer, body in answers:
        by_attempt.setdefault(answer.attempt_id, []).append((answer, body))
    for attempt in attempts:
        if attempt.id not in counted:
            continue
        exercise = attempt.exercise_version.body
        title = exercise["title"][locale]
        if exercise["kind"] == "scenario":
            score = next((s for s in attempt.scores if s.competency == code), None)
            if score is not None:
                rows.append(
                    EvidenceRow(
                        attempt, title, title, [d.choice_id for d in attempt.decisions], score.score, score.weight
                    )
                )
            continue
        for answer, body in by_attempt.get(attempt.id, []):
            weight = body.get("competencies", {}).get(code)
            if weight:
                rows.append(EvidenceRow(attempt, title, body["stem"][locale], answer.value, answer.score, weight))
    return rows
