"""Taking exercises: start, save every answer, decide in scenarios, submit once, score.

Every answer is stored when it is given. The draw, the orders and the content versions are
fixed at the start. Deadlines are the server's: an answer after the deadline is refused, and
an expired attempt is submitted with what was saved by its next write (reading never writes).
Submitting flips the attempt with one conditional UPDATE, so two submits (two tabs, a double
click, two workers) score it exactly once.

Services take the loaded attempt, add and flush; the request commits (app/transactions.py).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.domain import attempt_scoring as scoring
from app.domain import cohort_cells, items
from app.domain.attempt_plan import draw_items, plan_entry, statement_order
from app.domain.attempt_status import AttemptStatus
from app.domain.content_schema import effective_settings
from app.domain.grading import Purpose
from app.extensions import db
from app.models import (
    Answer,
    Assignment,
    AssignmentRecipient,
    Attempt,
    AttemptScore,
    ContentDocument,
    ContentVersion,
    Grading,
    GradingTask,
    ScenarioDecision,
    User,
)
from app.models.users import utcnow
from app.services import cohort_levels, content_loader, item_sums, monthly_scores, profiles
from app.services.errors import NotFound
from app.services.sql import among, upsert


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
            Attempt.user_id == user.id,
            Attempt.exercise_id == exercise.id,
            Attempt.status == AttemptStatus.IN_PROGRESS,
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
    db.session.flush()
    return attempt


def _plan(exercise: dict, seed: int, settings: dict) -> list[dict]:
    if exercise["kind"] == "scenario":
        return []
    keys = draw_items(exercise, seed, settings["shuffle_items"])
    if exercise["kind"] == "self_assessment":
        keys = statement_order(exercise, seed)  # the page shows each family's statements in this order
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
    """The attempt's items with the content versions it started with, read once per loaded attempt
    (a plan never changes, so the list is kept on the object beside its mapped state)."""
    cached = attempt.__dict__.get("_planned_items")
    if cached is None:
        bodies = version_bodies([entry["version_id"] for entry in attempt.plan])
        cached = [PlannedItem(e["key"], e["version_id"], bodies[e["version_id"]], e["options"]) for e in attempt.plan]
        attempt.__dict__["_planned_items"] = cached
    return cached


_bodies: dict[str, dict] = {}  # a content digest → the body it fingerprints (treat as read-only)
_BODIES_KEPT = 20_000


def version_bodies(ids: list[int]) -> dict[int, dict]:
    """Content versions' bodies by id. Every answer saved needs its attempt's items; reading their
    digests and keeping the bodies by digest in the process sends a few bytes per item instead of
    its body. A digest names its body (sha-256 of it), so a kept body is never stale, whatever
    database or version it came from."""
    if not ids:
        return {}
    digests = dict(
        db.session.execute(select(ContentVersion.id, ContentVersion.digest).where(among(ContentVersion.id, ids))).all()
    )
    bodies = {version: _bodies.get(digest) for version, digest in digests.items()}
    missing = [version for version, body in bodies.items() if body is None]
    if missing:
        if len(_bodies) > _BODIES_KEPT:
            _bodies.clear()
        found = select(ContentVersion.id, ContentVersion.digest, ContentVersion.body)
        for version, digest, body in db.session.execute(found.where(among(ContentVersion.id, missing))):
            bodies[version] = _bodies[digest] = body
    return bodies


# --- reading and expiring ---------------------------------------------------------------------


def own_attempt(user: User, attempt_id: int) -> Attempt:
    """The user's own attempt (anyone else's answers 404). Reading never writes: an attempt whose
    time is up is submitted by its next write (an answer, a decision, a submit)."""
    attempt = db.session.scalar(
        select(Attempt).where(Attempt.id == attempt_id).options(joinedload(Attempt.exercise_version))
    )
    if attempt is None or attempt.user_id != user.id:
        raise NotFound(f"attempt {attempt_id}")
    return attempt


def time_is_up(attempt: Attempt, now: datetime | None = None) -> bool:
    """In progress, but past its deadline: nothing more can be saved, only submitted."""
    return (
        attempt.status == AttemptStatus.IN_PROGRESS
        and attempt.deadline_at is not None
        and (now or utcnow()) >= attempt.deadline_at
    )


def _expire_if_due(attempt: Attempt, now: datetime) -> bool:
    if time_is_up(attempt, now):
        _finish(attempt, attempt.deadline_at, expired=True)
        return True
    return False


def seconds_left(attempt: Attempt, now: datetime | None = None) -> int | None:
    if attempt.deadline_at is None:
        return None
    return max(0, int((attempt.deadline_at - (now or utcnow())).total_seconds()))


def _open_for_answers(attempt: Attempt, now: datetime) -> None:
    _expire_if_due(attempt, now)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise AttemptRefused("deadline_passed" if attempt.expired else "already_submitted")


# --- answering ---------------------------------------------------------------------------------


def answers_by_key(attempt: Attempt) -> dict[str, Answer]:
    """The attempt's answers, loaded once per session through the relationship."""
    return {a.item_key: a for a in attempt.answers}


def save_answers(attempt: Attempt, fields, locale: str, keys: list[str], now: datetime | None = None) -> dict[str, str]:
    """Store the answers to the given items from submitted fields; returns {item key: problem}.

    Valid answers are stored even when a neighbour on the same page has a problem, so nothing
    acknowledged is lost. An emptied answer is removed. Each answer is one upsert, so two
    first saves of the same item at once (two tabs, an autosave and a post) both succeed.
    """
    now = now or utcnow()
    _open_for_answers(attempt, now)
    planned = {p.key: p for p in planned_items(attempt)}
    existing = answers_by_key(attempt)
    problems = {}
    for key in keys:
        if key not in planned:
            raise NotFound(f"item {key} in attempt {attempt.id}")
        item = planned[key]
        if key in existing and existing[key].locked_at is not None:
            problems[key] = "answer_locked"
            continue
        value, problem = items.parse(item.body, fields, item.options, locale)
        if problem:
            problems[key] = problem
        elif value is None:
            if key in existing:
                attempt.answers.remove(existing[key])  # delete-orphan: the row goes at the flush
        else:
            _upsert_answer(attempt, item, value, now, existing.get(key))
    db.session.flush()
    return problems


def _upsert_answer(attempt: Attempt, item: PlannedItem, value, now: datetime, known: Answer | None) -> None:
    statement = upsert(Answer).values(
        attempt_id=attempt.id, item_key=item.key, item_version_id=item.version_id, value=value, answered_at=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=[Answer.attempt_id, Answer.item_key],
        set_={"value": statement.excluded.value, "answered_at": statement.excluded.answered_at},
        where=Answer.locked_at.is_(None),
    ).returning(Answer)
    stored = db.session.scalars(statement, execution_options={"populate_existing": True}).first()
    if stored is not None and known is None and stored not in attempt.answers:
        set_committed_value(attempt, "answers", [*attempt.answers, stored])


def gives_immediate_feedback(attempt: Attempt) -> bool:
    return effective_settings(attempt.exercise_version.body)["feedback"] == "immediately"


def lock_for_feedback(attempt: Attempt, key: str, now: datetime | None = None) -> Answer | None:
    """Score and lock an answer so its feedback can be shown (exercises with immediate feedback).

    Rule-scored items only: a written answer waits for its grader.
    """
    now = now or utcnow()
    _open_for_answers(attempt, now)
    if not gives_immediate_feedback(attempt):
        return None
    planned = {p.key: p for p in planned_items(attempt)}
    answer = answers_by_key(attempt).get(key)
    if answer is None or not items.is_scored(planned[key].body):
        return None
    if answer.locked_at is None:
        answer.score = items.score(planned[key].body, answer.value)
        answer.locked_at = now
        db.session.flush()
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


def decide(attempt: Attempt, step_id: str, choice_id: str, now: datetime | None = None) -> dict:
    """Take a choice at the current step; returns the choice. Reaching an ending submits."""
    now = now or utcnow()
    _open_for_answers(attempt, now)
    step = current_step(attempt)
    if step["id"] != step_id:
        raise AttemptRefused("decision_taken")  # an old page: decisions stick
    if not any(c["id"] == choice_id for c in step.get("choices", [])):
        raise AttemptRefused("invalid_choice")
    attempt.decisions.append(
        ScenarioDecision(position=len(attempt.decisions) + 1, step_id=step_id, choice_id=choice_id, decided_at=now)
    )
    db.session.flush()
    choice = _choice(step, choice_id)
    if current_step(attempt).get("end"):
        _finish(attempt, now)
    return choice


# --- submitting and scoring --------------------------------------------------------------------


def submit(attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Submit what was saved; past the deadline, as of the deadline. Submitting twice is harmless."""
    now = now or utcnow()
    if not _expire_if_due(attempt, now) and attempt.status == AttemptStatus.IN_PROGRESS:
        _finish(attempt, now)
    return attempt


def _finish(attempt: Attempt, when: datetime, expired: bool = False) -> None:
    """Submit once: the conditional UPDATE lets exactly one caller through; it then scores."""
    flipped = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(submitted_at=when, expired=expired)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(attempt, ["submitted_at", "expired", "status", "scored_at"])
    if flipped:
        _complete_assignments(attempt)
        _score(attempt, when)
    db.session.flush()


def _complete_assignments(attempt: Attempt) -> None:
    """A submitted attempt completes, for its author, each assignment of its exercise made before it was
    submitted (the rule of assignments.counts_for), so completion is a count over recipients."""
    answered = select(Assignment.id).where(
        Assignment.exercise_id == attempt.exercise_id, Assignment.created_at <= attempt.submitted_at
    )
    completing = list(
        db.session.scalars(
            select(AssignmentRecipient.assignment_id).where(
                AssignmentRecipient.user_id == attempt.user_id,
                AssignmentRecipient.completed_at.is_(None),
                AssignmentRecipient.assignment_id.in_(answered),
            )
        )
    )
    if not completing:
        return  # most submissions answer no assignment: one query, not the counts' before and after
    with cohort_levels.kept([attempt.user]):  # the dashboard's completion counts move with it
        _mark_completed(attempt, completing)


def _mark_completed(attempt: Attempt, assignment_ids: list[int]) -> None:
    db.session.execute(
        update(AssignmentRecipient)
        .where(
            AssignmentRecipient.user_id == attempt.user_id,
            AssignmentRecipient.completed_at.is_(None),
            AssignmentRecipient.assignment_id.in_(assignment_ids),
        )
        .values(completed_at=attempt.submitted_at)
        .execution_options(synchronize_session=False)
    )


def _score(attempt: Attempt, when: datetime) -> None:
    """Score a just-submitted attempt; its answered written items go to the graders."""
    result = _outcome(attempt, content_loader.current_bank().rubrics, {})
    for key, value in result.item_scores.items():
        answers_by_key(attempt)[key].score = value
    db.session.execute(delete(AttemptScore).where(AttemptScore.attempt_id == attempt.id))
    if result.awaiting_grading:
        attempt.status = AttemptStatus.AWAITING_GRADING
        _open_gradings(attempt, when)
        return
    _store_scores(attempt, result.scores, when)


def score_graded(attempt: Attempt, rubrics: dict[str, dict], grades: dict[str, dict], when: datetime) -> None:
    """Score (or re-score, after a regrade) an attempt whose written answers have their grades:
    `rubrics` by key as the answers were graded on them, `grades` item key → criterion → points.
    The profile and the monthly sums follow in the same transaction; a re-score first takes the
    attempt's earlier contribution back out of the monthly sums."""
    result = _outcome(attempt, {**content_loader.current_bank().rubrics, **rubrics}, grades)
    if result.awaiting_grading:
        raise ValueError(f"attempt {attempt.id} still has written answers without a grade")
    for key, value in result.item_scores.items():
        answers_by_key(attempt)[key].score = value
    earlier = {s.competency: (s.score, s.weight) for s in attempt.scores}
    if attempt.status == AttemptStatus.SCORED and earlier:
        monthly_scores.add(monthly_scores.retraction(_cells(attempt, earlier)))
    db.session.execute(delete(AttemptScore).where(AttemptScore.attempt_id == attempt.id))
    db.session.expire(attempt, ["scores"])
    _store_scores(attempt, result.scores, when)


def _outcome(attempt: Attempt, rubrics, grades) -> scoring.AttemptOutcome:
    return scoring.score_attempt(
        attempt.exercise_version.body,
        [(item.key, item.body) for item in planned_items(attempt)],
        {key: answer.value for key, answer in answers_by_key(attempt).items()},
        [(d.step_id, d.choice_id) for d in attempt.decisions],
        rubrics,
        grades,
    )


def _store_scores(attempt: Attempt, scores: dict, when: datetime) -> None:
    first = attempt.status != AttemptStatus.SCORED  # a re-score after a regrade changes no item's score
    if first:  # where it counts from now on, wherever the manager goes
        unit = attempt.user.org_unit
        attempt.counted_unit_path = unit.path if unit else None
        attempt.counted_career_level = attempt.user.career_level
    for code, value in scores.items():
        db.session.add(AttemptScore(attempt_id=attempt.id, competency=code, score=value.score, weight=value.weight))
    attempt.status = AttemptStatus.SCORED
    attempt.scored_at = when
    db.session.flush()
    profiles.refresh(attempt.user)
    if first:
        answers = {key: (a.score, a.value) for key, a in answers_by_key(attempt).items()}
        item_sums.record(attempt, [(p.key, p.body) for p in planned_items(attempt)], answers)
    given = {code: (value.score, value.weight) for code, value in scores.items()}
    monthly_scores.add(_cells(attempt, given))


def _cells(attempt: Attempt, scores: dict[str, tuple[float, float]]) -> list[dict]:
    """The attempt's place in the monthly sums: the unit and level it is counted under (the
    manager's when first scored), its submission month."""
    units = cohort_cells.ancestors(attempt.counted_unit_path) if attempt.counted_unit_path else ()
    return monthly_scores.cells(units, attempt.counted_career_level, attempt.submitted_at, scores)


def _open_gradings(attempt: Attempt, when: datetime) -> None:
    """Each answered written item waits for a first grade, on the rubric as it stands now."""
    keys = {item.body["rubric"] for item in planned_items(attempt) if item.body["type"] in items.GRADED}
    rubric_versions = dict(
        db.session.execute(
            select(ContentDocument.key, ContentVersion.id)
            .join(ContentVersion, ContentVersion.document_id == ContentDocument.id)
            .where(
                ContentDocument.kind == "rubric",
                ContentDocument.key.in_(keys),
                ContentVersion.number == ContentDocument.current_number,
            )
        ).all()
    )
    answered = answers_by_key(attempt)
    for item in planned_items(attempt):
        if item.body["type"] in items.GRADED and item.key in answered:
            grading = Grading(
                answer=answered[item.key],
                attempt_id=attempt.id,
                exercise_id=attempt.exercise_id,
                rubric_version_id=rubric_versions[item.body["rubric"]],
                submitted_at=when,
            )
            db.session.add(grading)
            db.session.add(GradingTask(grading=grading, purpose=Purpose.FIRST, created_at=when))
