"""Assigning exercises to managers within the assigner's scope, and following them up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app.domain.attempt_status import AssignmentStatus, answering_attempt
from app.extensions import db
from app.models import Assignment, AssignmentRecipient, Attempt, ContentDocument, OrgUnit, User
from app.models.users import utcnow
from app.services import audit, cohort_levels, notices, scope
from app.services.attempts import exercise_document
from app.services.errors import Invalid, NotFound

TARGETS = ("users", "org_unit", "career_level")


def _managers_in_scope(viewer: User):
    return scope.restrict_to_scope(
        select(User).where(User.active.is_(True), User.role_rows.any(role="manager")), viewer
    )


@dataclass
class Audience:
    """Who an assignment would reach, checked but not yet stored: what the trainer confirms."""

    exercise: ContentDocument
    target: str
    unit: OrgUnit | None
    career_level: str | None
    due_at: datetime | None
    recipients: list[User]


def audience(
    actor: User,
    exercise_key: str,
    target: str,
    user_ids: set[int] = frozenset(),
    org_unit_id: int | None = None,
    career_level: str | None = None,
    due_at: datetime | None = None,
) -> Audience:
    """The managers an assignment to chosen users, an org unit (with its descendants) or a career
    level would reach, always limited to those the actor may see; Invalid says what is missing."""
    exercise = exercise_document(exercise_key)
    query = _managers_in_scope(actor).options(joinedload(User.org_unit)).order_by(User.name, User.id)
    unit = None
    if target == "users":
        if not user_ids:
            raise Invalid({"user_ids": [_l("Choose at least one manager.")]})
        query = query.where(User.id.in_(user_ids))
    elif target == "org_unit":
        unit = db.session.get(OrgUnit, org_unit_id) if org_unit_id else None
        if unit is None:
            raise Invalid({"org_unit_id": [_l("Choose an org unit.")]})
        query = query.where(User.org_unit.has(OrgUnit.path.startswith(unit.path, autoescape=True)))
    elif target == "career_level":
        if not career_level:
            raise Invalid({"career_level": [_l("Choose a career level.")]})
        query = query.where(User.career_level == career_level)
    else:
        raise Invalid({"target": [_l("Choose who the exercise is for.")]})
    recipients = list(db.session.scalars(query).unique().all())
    if target == "users" and len(recipients) != len(set(user_ids)):
        raise Invalid({"user_ids": [_l("Some of the chosen people are not managers in your scope.")]})
    if not recipients:
        raise Invalid({"": [_l("Nobody in your scope matches: nothing was assigned.")]})
    if due_at is not None and due_at <= utcnow():
        raise Invalid({"due_on": [_l("The due date must be in the future.")]})
    return Audience(exercise, target, unit, career_level if target == "career_level" else None, due_at, recipients)


def assign(actor: User, exercise_key: str, target: str, *choice, **named) -> Assignment:
    """Assign at once, with `audience`'s arguments (the demo seed, tests); in the browser a trainer
    confirms the audience first."""
    return create(actor, audience(actor, exercise_key, target, *choice, **named))


def create(actor: User, chosen: Audience) -> Assignment:
    assignment = Assignment(
        exercise=chosen.exercise,
        assigned_by=actor,
        target=chosen.target,
        org_unit=chosen.unit,
        career_level=chosen.career_level,
        due_at=chosen.due_at,
        recipients=[AssignmentRecipient(user=user) for user in chosen.recipients],
    )
    db.session.add(assignment)
    db.session.flush()
    cohort_levels.add_recipients(assignment.id, [user.id for user in chosen.recipients])
    notices.after_commit_notify_assignment(assignment)
    audit.record(
        actor,
        "assignment.created",
        f"assignment:{assignment.id}",
        exercise=chosen.exercise.key,
        audience=chosen.target,
        recipients=len(chosen.recipients),
    )
    return assignment


def cancel(actor: User, assignment: Assignment, rows: list[RecipientStatus]) -> tuple[int, int]:
    """Cancel an assignment: recipients who have not started lose it; those who started keep it
    and their attempts. `rows` is the follow-up of every recipient. Returns (removed, kept)."""
    if assignment.cancelled_at is not None:
        raise Invalid({"": [_l("This assignment was already cancelled.")]})
    if len(rows) != len(assignment.recipients):
        raise Invalid({"": [_l("Only someone who sees every recipient may cancel this assignment.")]})
    not_started = {r.user.id for r in rows if r.status == AssignmentStatus.NOT_STARTED}
    assignment.recipients = [r for r in assignment.recipients if r.user_id not in not_started]
    cohort_levels.add_recipients(assignment.id, sorted(not_started), sign=-1)
    assignment.cancelled_at = utcnow()
    assignment.cancelled_by = actor
    db.session.flush()
    kept = len(assignment.recipients)
    audit.record(actor, "assignment.cancelled", f"assignment:{assignment.id}", removed=len(not_started), kept=kept)
    return len(not_started), kept


def counts_for(assignment: Assignment):
    """An attempt answers an assignment if it was still open when the assignment came, or later."""
    return or_(Attempt.submitted_at.is_(None), Attempt.submitted_at >= assignment.created_at)


@dataclass
class RecipientStatus:
    user: User
    status: str  # not_started | in_progress | completed
    overdue: bool
    attempt: Attempt | None


def visible_assignment(viewer: User, assignment_id: int) -> Assignment:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or not follow_up(viewer, assignment):
        raise NotFound(f"assignment {assignment_id}")
    return assignment


def follow_up(viewer: User, assignment: Assignment, now: datetime | None = None) -> list[RecipientStatus]:
    """Each recipient the viewer may see, with where they are (two queries, whatever the size)."""
    now = now or utcnow()
    visible = _managers_in_scope(viewer).join(AssignmentRecipient, AssignmentRecipient.user_id == User.id)
    users = (
        db.session.scalars(
            visible.where(AssignmentRecipient.assignment_id == assignment.id)
            .options(joinedload(User.org_unit))
            .order_by(User.name)
        )
        .unique()
        .all()
    )
    attempts = db.session.scalars(
        select(Attempt)
        .where(
            Attempt.exercise_id == assignment.exercise_id,
            Attempt.user_id.in_([u.id for u in users] or [-1]),
            counts_for(assignment),
        )
        .order_by(Attempt.started_at)
    ).all()
    by_user: dict[int, list[Attempt]] = {}
    for attempt in attempts:
        by_user.setdefault(attempt.user_id, []).append(attempt)
    rows = []
    for user in users:
        attempt = answering_attempt(by_user.get(user.id, []))
        status = AssignmentStatus.of(attempt.status if attempt else None)
        overdue = status != AssignmentStatus.COMPLETED and assignment.due_at is not None and assignment.due_at < now
        rows.append(RecipientStatus(user, status, overdue, attempt))
    return rows


def assignments_in_scope(viewer: User) -> list[tuple[Assignment, int]]:
    """Assignments with at least one recipient the viewer may see, and how many they see."""
    visible_ids = _managers_in_scope(viewer).with_only_columns(User.id).subquery()
    rows = (
        db.session.execute(
            select(Assignment, func.count(AssignmentRecipient.user_id))
            .join(AssignmentRecipient)
            .where(AssignmentRecipient.user_id.in_(select(visible_ids.c.id)))
            .group_by(Assignment.id)
            .options(
                joinedload(Assignment.exercise).joinedload(ContentDocument.current), joinedload(Assignment.assigned_by)
            )
            .order_by(Assignment.created_at.desc())
        )
        .unique()
        .all()
    )
    return [(assignment, count) for assignment, count in rows]


def progress_of_mine(viewer: User, limit: int = 5) -> list[tuple[Assignment, int, int]]:
    """The viewer's latest open assignments: (assignment, recipients, completed), one query."""
    rows = db.session.execute(
        select(
            Assignment,
            func.count(AssignmentRecipient.user_id),
            func.count(AssignmentRecipient.completed_at),
        )
        .join(AssignmentRecipient)
        .where(Assignment.assigned_by_id == viewer.id, Assignment.cancelled_at.is_(None))
        .group_by(Assignment.id)
        .options(joinedload(Assignment.exercise).joinedload(ContentDocument.current))
        .order_by(Assignment.created_at.desc(), Assignment.id.desc())
        .limit(limit)
    ).unique()
    return [(assignment, recipients, completed) for assignment, recipients, completed in rows]
