"""What a manager sees of exercises: their list, an exercise's page, an attempt's review."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.domain import items
from app.domain.attempt_status import AssignmentStatus, AttemptStatus, answering_attempt
from app.domain.content_schema import effective_settings
from app.domain.content_stats import KINDS, ExerciseSummary, summarise
from app.domain.framework import competency_names
from app.extensions import db
from app.models import Answer, Assignment, AssignmentRecipient, Attempt, ContentDocument, User
from app.models.users import utcnow
from app.services import attempts
from app.services.content_loader import current_bank


@dataclass
class AssignedRow:
    assignment: Assignment
    exercise: ContentDocument
    status: str  # not_started | in_progress | completed
    overdue: bool
    attempt: Attempt | None


@dataclass
class PracticeEntry:
    document: ContentDocument
    summary: ExerciseSummary
    last_done: datetime | None  # when the manager last submitted it


@dataclass
class Overview:
    assigned: list[AssignedRow] = field(default_factory=list)
    in_progress: list[Attempt] = field(default_factory=list)
    completed: list[Attempt] = field(default_factory=list)
    practice: dict[str, list[PracticeEntry]] = field(default_factory=dict)  # by kind, in content_stats.KINDS order


def overview(user: User, now: datetime | None = None) -> Overview:
    now = now or utcnow()
    mine = db.session.scalars(
        select(Attempt)
        .where(Attempt.user_id == user.id)
        .options(joinedload(Attempt.exercise_version))
        .order_by(Attempt.started_at.desc())
    ).all()
    assignments = db.session.scalars(
        select(Assignment)
        .join(AssignmentRecipient)
        .where(AssignmentRecipient.user_id == user.id)
        .options(joinedload(Assignment.exercise).joinedload(ContentDocument.current))
        .order_by(Assignment.due_at)
    ).all()
    exercises = db.session.scalars(
        select(ContentDocument)
        .where(ContentDocument.kind == "exercise", ContentDocument.retired_at.is_(None))
        .options(joinedload(ContentDocument.current))
        .order_by(ContentDocument.key)
    ).all()
    result = Overview()
    latest = {}
    for attempt in mine:
        latest.setdefault(attempt.exercise_id, attempt)
        (result.in_progress if attempt.status == AttemptStatus.IN_PROGRESS else result.completed).append(attempt)
    for assignment in assignments:
        attempt = answering_attempt(
            [
                a
                for a in reversed(mine)  # oldest first
                if a.exercise_id == assignment.exercise_id
                and (a.submitted_at is None or a.submitted_at >= assignment.created_at)
            ]
        )
        status = AssignmentStatus.of(attempt.status if attempt else None)
        overdue = status != AssignmentStatus.COMPLETED and assignment.due_at is not None and assignment.due_at < now
        result.assigned.append(AssignedRow(assignment, assignment.exercise, status, overdue, attempt))
    bank = current_bank()
    last_done: dict[int, datetime] = {}
    for attempt in mine:
        if attempt.submitted_at is not None:
            done = last_done.get(attempt.exercise_id, attempt.submitted_at)
            last_done[attempt.exercise_id] = max(done, attempt.submitted_at)
    entries = [
        PracticeEntry(e, summarise(e.current.body, bank), last_done.get(e.id))
        for e in exercises
        if effective_settings(e.current.body)["open_practice"]
    ]
    result.practice = {kind: [p for p in entries if p.summary.kind == kind] for kind in KINDS}
    result.practice = {kind: found for kind, found in result.practice.items() if found}
    return result


@dataclass
class ExerciseInfo:
    document: ContentDocument
    body: dict
    settings: dict
    used: int
    in_progress: Attempt | None
    assignment: Assignment | None
    items: int

    @property
    def can_start(self) -> bool:
        allowed = self.settings["attempts_allowed"]
        available = self.settings["open_practice"] or self.assignment is not None
        return self.in_progress is not None or (available and (allowed is None or self.used < allowed))


def exercise_info(user: User, key: str) -> ExerciseInfo:
    document = attempts.exercise_document(key)
    body = document.current.body
    return ExerciseInfo(
        document,
        body,
        effective_settings(body),
        attempts.attempts_used(user, document),
        attempts.in_progress(user, document),
        attempts.open_assignment(user, document),
        summarise(body, current_bank()).length,
    )


@dataclass
class ItemReview:
    number: int
    item: dict
    # (option, what the manager did with it and its value, what the key says and its value), as shown
    options: list[tuple[dict, str | None, object, str | None, object]]
    value: object
    score: float | None
    scored: bool  # by a rule (a written answer waits for its grader)


@dataclass
class Review:
    attempt: Attempt
    body: dict
    settings: dict
    scores: list[tuple[str, str, float, float]]  # code, name, score 0–100, evidence weight
    items: list[ItemReview]
    path: list[tuple[dict, dict]]  # scenario: (step, choice)
    ending: dict | None
    critical: list[str]
    show_feedback: bool
    names: dict[str, str]

    @property
    def overall(self) -> float | None:
        """The attempt as one figure, 0–100: its competency scores weighted by their evidence."""
        weight = sum(w for _code, _name, _score, w in self.scores)
        return sum(s * w for _code, _name, s, w in self.scores) / weight if weight else None


def review(attempt: Attempt, locale: str) -> Review:
    body = attempt.exercise_version.body
    settings = effective_settings(body)
    framework = current_bank().framework
    names = competency_names(framework, locale)
    scores = [
        (r.competency, names[r.competency], r.score * 100, r.weight)
        for r in sorted(attempt.scores, key=lambda r: names[r.competency])
    ]
    reviewed, path, ending, critical = [], [], None, []
    if body["kind"] == "scenario":
        steps = {s["id"]: s for s in body["steps"]}
        for decision in attempt.decisions:
            step = steps[decision.step_id]
            choice = next(c for c in step["choices"] if c["id"] == decision.choice_id)
            path.append((step, choice))
            critical += [choice["id"]] if choice.get("critical") else []
        current = attempts.current_step(attempt)
        ending = current if current.get("end") else None
    else:
        given = attempts.answers_by_key(attempt)
        for number, planned in enumerate(attempts.planned_items(attempt), start=1):
            reviewed.append(item_review(number, planned, given.get(planned.key)))
    return Review(
        attempt, body, settings, scores, reviewed, path, ending, critical, settings["feedback"] != "never", names
    )


def item_review(number: int, planned: attempts.PlannedItem, answer: Answer | None) -> ItemReview:
    """One item as the manager answered it, each option marked with what they did with it."""
    by_id = {o["id"]: o for o in planned.body.get("options", [])}
    value = answer.value if answer else None
    marked = [
        (by_id[i], *items.mark(planned.body, value, i), *items.key_mark(planned.body, i)) for i in planned.options
    ]
    return ItemReview(
        number, planned.body, marked, value, answer.score if answer else None, items.is_scored(planned.body)
    )
