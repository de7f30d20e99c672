"""Written answers on their way to a released grade: the grading of each answer, the work it
waits for (claimed by one trainer at a time), every grade given, and the notices managers get."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.grading import GradingState, Purpose
from app.extensions import db
from app.models.attempts import Answer, Attempt
from app.models.content import ContentDocument, ContentVersion
from app.models.users import User, utcnow


def _one_of(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


class Grading(db.Model):
    """One submitted written answer, from the queue to the grade that counts and its release."""

    __tablename__ = "gradings"
    __table_args__ = (CheckConstraint(_one_of("state", GradingState), name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id"), unique=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("content_documents.id"), index=True)
    # The rubric as it stood when the answer was submitted: a later edit does not move the goalposts.
    rubric_version_id: Mapped[int] = mapped_column(ForeignKey("content_versions.id"))
    state: Mapped[str] = mapped_column(String(16), default=GradingState.WAITING, index=True)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # the queue's order
    released_at: Mapped[datetime | None]
    regraded_at: Mapped[datetime | None]  # the released grade changed since (the manager is told)

    answer: Mapped[Answer] = relationship()
    attempt: Mapped[Attempt] = relationship()
    exercise: Mapped[ContentDocument] = relationship()
    rubric_version: Mapped[ContentVersion] = relationship()
    grades: Mapped[list[Grade]] = relationship(back_populates="grading", order_by="Grade.id")
    tasks: Mapped[list[GradingTask]] = relationship(back_populates="grading", order_by="GradingTask.id")


class GradingTask(db.Model):
    """A grade a response waits for: the first, a moderator's second or a resolver's third.

    A trainer who opens it claims it until `claimed_until`; after that anyone may take it over.
    """

    __tablename__ = "grading_tasks"
    __table_args__ = (
        UniqueConstraint("grading_id", "purpose", name="uq_grading_tasks_grading_purpose"),
        CheckConstraint(_one_of("purpose", (Purpose.FIRST, Purpose.SECOND, Purpose.RESOLVE)), name="purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    grading_id: Mapped[int] = mapped_column(ForeignKey("gradings.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    claimed_until: Mapped[datetime | None]
    done_at: Mapped[datetime | None] = mapped_column(index=True)

    grading: Mapped[Grading] = relationship(back_populates="tasks")
    claimed_by: Mapped[User | None] = relationship()


class Grade(db.Model):
    """One grader's points and comments on one response; a draft until `submitted_at`.

    Never changed once submitted: a regrade is a new grade, so the audit keeps every one.
    `counts` marks the one grade per response that scores it (the first, a resolver's or the
    latest regrade).
    """

    __tablename__ = "grades"
    __table_args__ = (CheckConstraint(_one_of("purpose", Purpose), name="purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grading_id: Mapped[int] = mapped_column(ForeignKey("gradings.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("grading_tasks.id"), index=True)
    grader_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    points: Mapped[dict] = mapped_column(JSON, default=dict)  # criterion id → points
    comments: Mapped[dict] = mapped_column(JSON, default=dict)  # criterion id → comment
    overall_comment: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")  # why a regrade was made
    counts: Mapped[bool] = mapped_column(default=False)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]

    grading: Mapped[Grading] = relationship(back_populates="grades")
    grader: Mapped[User] = relationship()


class Notice(db.Model):
    """Something a user is told in the app (a grade released, a grade changed) until they dismiss it."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    attempt: Mapped[Attempt | None] = relationship()
