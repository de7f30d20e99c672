"""E-mail notices: a new assignment, a reminder before its due date, each trainer's overdue
digest, and "your written answers were graded". Each is composed once per reader and subject
(app/services/outbox.py), so the hourly run and a retried task never send one twice."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Assignment, AssignmentRecipient, Attempt, ContentDocument, User
from app.models.users import utcnow
from app.services import outbox


def titles(body: dict) -> dict[str, str]:
    """An exercise's title in each language (its key where a language has none)."""
    title = body.get("title") or {}
    return {locale: title.get(locale) or body.get("id", "") for locale in current_app.config["LANGUAGES"]}


def after_commit_notify_assignment(assignment: Assignment) -> None:
    """Recipients are told once the assignment is committed, by a queued task: composing thousands
    of messages does not hold up the trainer's page."""
    db.session().info.setdefault("assignments_to_notify", []).append(assignment.id)


def assignment_created(assignment_id: int) -> int:
    """The assignment's notice to each active recipient. Returns how many were composed."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.cancelled_at is not None:
        return 0
    exercise = titles(assignment.exercise.current.body)
    recipients = db.session.scalars(
        select(User)
        .join(AssignmentRecipient, AssignmentRecipient.user_id == User.id)
        .where(AssignmentRecipient.assignment_id == assignment_id, User.active.is_(True))
        .order_by(User.id)
    )
    composed = 0
    for user in recipients:
        composed += (
            outbox.compose(
                "assignment",
                user,
                f"assignment:{assignment_id}",
                exercise=exercise,
                trainer=assignment.assigned_by.name,
                due=assignment.due_at,
                link=outbox.link("learner.index"),
            )
            is not None
        )
    return composed


def _open_recipients(due_from: datetime, due_until: datetime):
    """(assignment, recipient) pairs not yet completed, of live assignments due in the window."""
    return db.session.execute(
        select(Assignment, User)
        .join(AssignmentRecipient, AssignmentRecipient.assignment_id == Assignment.id)
        .join(User, User.id == AssignmentRecipient.user_id)
        .where(
            Assignment.cancelled_at.is_(None),
            Assignment.due_at >= due_from,
            Assignment.due_at < due_until,
            AssignmentRecipient.completed_at.is_(None),
            User.active.is_(True),
        )
        .options(joinedload(Assignment.exercise).joinedload(ContentDocument.current))
        .order_by(Assignment.id, User.id)
    ).all()


def send_reminders(now: datetime) -> int:
    """Recipients who have not finished an assignment due within REMINDER_DAYS get one reminder."""
    window = timedelta(days=current_app.config["REMINDER_DAYS"])
    composed = 0
    for assignment, user in _open_recipients(now, now + window):
        message = outbox.compose(
            "reminder",
            user,
            f"assignment:{assignment.id}",
            exercise=titles(assignment.exercise.current.body),
            due=assignment.due_at,
            link=outbox.link("learner.index"),
        )
        composed += message is not None
    return composed


def send_overdue_digests(now: datetime) -> int:
    """Each trainer whose assignments have recipients past the due date gets one digest a day."""
    overdue: dict[int, dict[int, list]] = defaultdict(dict)
    for assignment, _user in _open_recipients(datetime(1970, 1, 1), now):
        row = overdue[assignment.assigned_by_id].setdefault(assignment.id, [assignment, 0])
        row[1] += 1
    composed = 0
    day = now.date().isoformat()
    for trainer_id, rows in overdue.items():
        trainer = db.session.get(User, trainer_id)
        if trainer is None or not trainer.active:
            continue
        locale = outbox.locale_of(trainer)
        listed = [
            {
                "exercise": titles(assignment.exercise.current.body)[locale],
                "due": assignment.due_at,
                "overdue": count,
                "link": outbox.link("trainer.assignment", assignment_id=assignment.id),
            }
            for assignment, count in sorted(rows.values(), key=lambda row: row[0].due_at)
        ]
        message = outbox.compose(
            "overdue_digest", trainer, f"day:{day}", rows=listed, link=outbox.link("trainer.assignments_list")
        )
        composed += message is not None
    return composed


def send_due(now: datetime | None = None) -> tuple[int, int]:
    """The hourly run: reminders, then digests. Returns how many of each were composed."""
    now = now or utcnow()
    return send_reminders(now), send_overdue_digests(now)


def attempt_graded(attempt: Attempt) -> None:
    """The manager's notice that their written answers were graded (in the releasing transaction)."""
    outbox.compose(
        "graded",
        attempt.user,
        f"attempt:{attempt.id}",
        exercise=titles(attempt.exercise_version.body),
        link=outbox.link("learner.result", attempt_id=attempt.id),
    )
