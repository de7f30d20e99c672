"""Taking exercises: start, save every answer, decide in scenarios, submit once, score.

Every answer is stored when it is given. The draw, the orders and the content versions are
fixed at the start. Deadlines are the server's: an answer after the deadline is refused, and
an expired attempt is submitted with what was saved the next time anyone touches it.
Submitting flips the attempt with one conditional UPDATE, so two submits (two tabs, a double
click, two workers) score it exactly once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import joinedload

from app.domain import answers as answer_rules
from app.domain.attempt_plan import draw_items, plan_entry
from app.domain.attempt_scoring import Evidence, aggregate, item_evidence, scenario_evidence
from app.domain.content_schema import effective_settings
from app.domain.item_scoring import score as score_item
from app.extensions import db
from app.models import (
    Answer,
    Assignment,
    AssignmentRecipient,
    Attempt,
    AttemptScore,
    ContentDocument,
    ContentVersion,
    ScenarioDecision,
    User,
)
from app.models.users import utcnow
from app.services import cohort_activity, profiles
from app.services.errors import NotFound


class AttemptRefused(Exception):
    """The action cannot be done now; `code` says why (the web layer words it)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class PlannedItem:
    key: str
    version_id: int
    body: dict
    options: list[str]  # option ids in the order shown


# --- finding exercises -------------------------------------------------------------------------


def exercise_document(key: str) -> ContentDocument:
    document = db.session.scalar(
        select(ContentDocument)
        .where(ContentDocument.kind == "exercise", ContentDocument.key == key, ContentDocument.retired_at.is_(None))
        .options(joinedload(ContentDocument.current))
    )
    if document is None:
        raise NotFound(f"exercise {key}")
    return document


def open_assignment(user: User, exercise: ContentDocument) -> Assignment | None:
    return db.session.scalar(
        select(Assignment)
        .join(AssignmentRecipient)
        .where(AssignmentRecipient.user_id == user.id, Assignment.exercise_id == exercise.id)
        .order_by(Assignment.created_at.desc())
        .limit(1)
    )


def attempts_used(user: User, exercise: ContentDocument) -> int:
    return db.session.scalar(
        select(func.count(Attempt.id)).where(Attempt.user_id == user.id, Attempt.exercise_id == exercise.id)
    )


def in_progress(user: User, exercise: ContentDocument) -> Attempt | None:
    return db.session.scalar(
        select(Attempt).where(
            Attempt.user_id == user.id, Attempt.exercise_id == exercise.id, Attempt.status == "in_progress"
        )
    )


# --- starting ----------------------------------------------------------------------------------


def start(user: User, exercise_key: str, now: datetime | None = None) -> Attempt:
    """Resume the attempt in progress, or start a new one if the exercise allows it."""
    now = now or utcnow()
    exercise = exercise_document(exercise_key)
    current = in_progress(user, exercise)
    if current is not None and not _expire_if_due(current, now):
        return current
    body = exercise.current.body
    settings = effective_settings(body)
    assignment = open_assignment(user, exercise)
    if not settings["open_practice"] and assignment is None:
        raise AttemptRefused("not_assigned")
    allowed = settings["attempts_allowed"]
    if allowed is not None and attempts_used(user, exercise) >= allowed:
        raise AttemptRefused("attempts_exhausted")
    seed = secrets.randbelow(2**31)
    attempt = Attempt(
        user=user,
        exercise=exercise,
        exercise_version=exercise.current,
        assignment=assignment,
        seed=seed,
        plan=_plan(body, seed, settings),
        started_at=now,
        deadline_at=now + timedelta(minutes=settings["time_limit_minutes"]) if settings["time_limit_minutes"] else None,
    )
    db.session.add(attempt)
    db.session.commit()
    return attempt


def _plan(exercise: dict, seed: int, settings: dict) -> list[dict]:
    if exercise["kind"] == "scenario":
        return []
    keys = draw_items(exercise, seed, settings["shuffle_items"])
    if exercise["kind"] == "self_assessment":
        keys = list(exercise["items"])  # grouped by family on the page, in the bank's order
    documents = db.session.scalars(
        select(ContentDocument)
        .where(ContentDocument.kind == "item", ContentDocument.key.in_(keys), ContentDocument.retired_at.is_(None))
        .options(joinedload(ContentDocument.current))
    ).all()
    by_key = {d.key: d.current for d in documents}
    return [
        plan_entry(key, by_key[key].id, by_key[key].body, seed, settings["shuffle_options"])
        for key in keys
        if key in by_key
    ]


def planned_items(attempt: Attempt) -> list[PlannedItem]:
    """The attempt's items with the content versions it started with (one query)."""
    ids = [entry["version_id"] for entry in attempt.plan]
    versions = (
        {v.id: v for v in db.session.scalars(select(ContentVersion).where(ContentVersion.id.in_(ids)))} if ids else {}
    )
    return [PlannedItem(e["key"], e["version_id"], versions[e["version_id"]].body, e["options"]) for e in attempt.plan]


# --- reading and expiring ---------------------------------------------------------------------


def own_attempt(user: User, attempt_id: int, now: datetime | None = None) -> Attempt:
    """The user's own attempt (anyone else's answers 404), submitted first if its time is up."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        raise NotFound(f"attempt {attempt_id}")
    _expire_if_due(attempt, now or utcnow())
    return attempt


def _expire_if_due(attempt: Attempt, now: datetime) -> bool:
    if attempt.status == "in_progress" and attempt.deadline_at is not None and now >= attempt.deadline_at:
        _finish(attempt, attempt.deadline_at, expired=True)
        return True
    return False


def seconds_left(attempt: Attempt, now: datetime | None = None) -> int | None:
    if attempt.deadline_at is None:
        return None
    return max(0, int((attempt.deadline_at - (now or utcnow())).total_seconds()))


def _open_for_answers(attempt: Attempt, now: datetime) -> None:
    _expire_if_due(attempt, now)
    if attempt.status != "in_progress":
        raise AttemptRefused("deadline_passed" if attempt.expired else "already_submitted")


# --- answering ---------------------------------------------------------------------------------


def answers_by_key(attempt: Attempt) -> dict[str, Answer]:
    return {a.item_key: a for a in db.session.scalars(select(Answer).where(Answer.attempt_id == attempt.id))}


def save_answers(
    user: User, attempt_id: int, fields, locale: str, keys: list[str], now: datetime | None = None
) -> dict[str, str]:
    """Store the answers to the given items from submitted fields; returns {item key: problem}.

    Valid answers are stored even when a neighbour on the same page has a problem, so nothing
    acknowledged is lost. An emptied answer is removed.
    """
    now = now or utcnow()
    attempt = own_attempt(user, attempt_id, now)
    _open_for_answers(attempt, now)
    planned = {p.key: p for p in planned_items(attempt)}
    existing = answers_by_key(attempt)
    problems = {}
    for key in keys:
        if key not in planned:
            raise NotFound(f"item {key} in attempt {attempt_id}")
        item = planned[key]
        if key in existing and existing[key].locked_at is not None:
            problems[key] = "answer_locked"
            continue
        value, problem = answer_rules.parse(item.body, fields, item.options, locale)
        if problem:
            problems[key] = problem
            continue
        if value is None:
            if key in existing:
                db.session.delete(existing[key])
            continue
        answer = existing.get(key) or Answer(attempt_id=attempt.id, item_key=key, item_version_id=item.version_id)
        answer.value = value
        answer.answered_at = now
        db.session.add(answer)
    db.session.commit()
    return problems


def gives_immediate_feedback(attempt: Attempt) -> bool:
    return effective_settings(attempt.exercise_version.body)["feedback"] == "immediately"


def lock_for_feedback(user: User, attempt_id: int, key: str, now: datetime | None = None) -> Answer | None:
    """Score and lock an answer so its feedback can be shown (exercises with immediate feedback).

    Machine-scored items only: a written answer waits for its grader.
    """
    now = now or utcnow()
    attempt = own_attempt(user, attempt_id, now)
    _open_for_answers(attempt, now)
    if not gives_immediate_feedback(attempt):
        return None
    planned = {p.key: p for p in planned_items(attempt)}
    answer = answers_by_key(attempt).get(key)
    if answer is None or planned[key].body["type"] == "open_response":
        return None
    if answer.locked_at is None:
        answer.score = score_item(planned[key].body, answer.value)
        answer.locked_at = now
        db.session.commit()
    return answer


# --- scenarios ---------------------------------------------------------------------------------


def current_step(attempt: Attempt) -> dict:
    scenario = attempt.exercise_version.body
    steps = {s["id"]: s for s in scenario["steps"]}
    at = scenario["start"]
    for decision in attempt.decisions:
        at = _choice(steps[decision.step_id], decision.choice_id)["next"]
    return steps[at]


def _choice(step: dict, choice_id: str) -> dict:
    return next(c for c in step["choices"] if c["id"] == choice_id)


def decide(user: User, attempt_id: int, step_id: str, choice_id: str, now: datetime | None = None) -> dict:
    """Take a choice at the current step; returns the choice. Reaching an ending submits."""
    now = now or utcnow()
    attempt = own_attempt(user, attempt_id, now)
    _open_for_answers(attempt, now)
    step = current_step(attempt)
    if step["id"] != step_id:
        raise AttemptRefused("decision_taken")  # an old page: decisions stick
    if not any(c["id"] == choice_id for c in step.get("choices", [])):
        raise AttemptRefused("invalid_choice")
    db.session.add(
        ScenarioDecision(
            attempt=attempt, position=len(attempt.decisions) + 1, step_id=step_id, choice_id=choice_id, decided_at=now
        )
    )
    db.session.flush()
    choice = _choice(step, choice_id)
    if current_step(attempt).get("end"):
        _finish(attempt, now)
    db.session.commit()
    return choice


# --- submitting and scoring --------------------------------------------------------------------


def submit(user: User, attempt_id: int, now: datetime | None = None) -> Attempt:
    now = now or utcnow()
    attempt = own_attempt(user, attempt_id, now)
    if attempt.status == "in_progress":
        _finish(attempt, now)
        db.session.commit()
    return attempt


def _finish(attempt: Attempt, when: datetime, expired: bool = False) -> None:
    """Submit once: the conditional UPDATE lets exactly one caller through; it then scores."""
    flipped = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(submitted_at=when, expired=expired)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(attempt)
    if flipped:
        _complete_assignments(attempt)
        _score(attempt, when)
    db.session.commit()


def _complete_assignments(attempt: Attempt) -> None:
    """A submitted attempt completes, for its author, each assignment of its exercise made before it was
    submitted (the rule of assignments.counts_for), so completion is a count over recipients."""
    answered = select(Assignment.id).where(
        Assignment.exercise_id == attempt.exercise_id, Assignment.created_at <= attempt.submitted_at
    )
    db.session.execute(
        update(AssignmentRecipient)
        .where(
            AssignmentRecipient.user_id == attempt.user_id,
            AssignmentRecipient.completed_at.is_(None),
            AssignmentRecipient.assignment_id.in_(answered),
        )
        .values(completed_at=attempt.submitted_at)
        .execution_options(synchronize_session=False)
    )


def _score(attempt: Attempt, when: datetime) -> None:
    body = attempt.exercise_version.body
    evidence: list[Evidence] = []
    waiting = False
    if body["kind"] == "scenario":
        evidence = scenario_evidence(body, [(d.step_id, d.choice_id) for d in attempt.decisions])
    elif body["kind"] == "quiz":
        given = answers_by_key(attempt)
        for item in planned_items(attempt):
            if item.body["type"] == "open_response":
                waiting = waiting or item.key in given
                continue
            answer = given.get(item.key)
            value = score_item(item.body, answer.value if answer else None)
            if answer is not None:
                answer.score = value
            evidence += item_evidence(item.body["competencies"], value)
    db.session.execute(delete(AttemptScore).where(AttemptScore.attempt_id == attempt.id))
    if waiting:
        attempt.status = "awaiting_grading"
        return
    scores = aggregate(evidence)
    for code, result in scores.items():
        db.session.add(AttemptScore(attempt_id=attempt.id, competency=code, score=result.score, weight=result.weight))
    attempt.status = "scored"
    attempt.scored_at = when
    db.session.flush()
    profiles.refresh(attempt.user_id)
    user = attempt.user
    given = {code: (result.score, result.weight) for code, result in scores.items()}
    cohort_activity.add(cohort_activity.cells(user.org_unit_id, user.career_level, attempt.submitted_at, given))
