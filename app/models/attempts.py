"""Attempts at exercises, every answer given, scenario decisions and per-competency scores."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.attempt_status import AttemptStatus
from app.extensions import db
from app.models.assignments import Assignment
from app.models.content import ContentDocument, ContentVersion
from app.models.users import User, utcnow

ATTEMPT_STATUSES = tuple(AttemptStatus)
_STATUS_CHECK = "status IN ({})".format(", ".join(f"'{status}'" for status in AttemptStatus))


class Attempt(db.Model):
    """One sitting of an exercise. The items drawn, their order and the content versions are
    fixed when it starts, so a resumed attempt shows exactly the same thing."""

    __tablename__ = "attempts"
    __table_args__ = (CheckConstraint(_STATUS_CHECK, name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("content_documents.id"), index=True)
    exercise_version_id: Mapped[int] = mapped_column(ForeignKey("content_versions.id"))
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"), index=True)
    seed: Mapped[int]
    # [{"key": item id, "version_id": ..., "options": [option ids in the order shown]}]
    plan: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default=AttemptStatus.IN_PROGRESS)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    expired: Mapped[bool] = mapped_column(default=False)
    scored_at: Mapped[datetime | None]
    # Where the attempt counts in the kept sums (trends, item analysis): the manager's unit path and
    # career level when it was first scored. A regrade after a move takes back what was added where
    # it was added, and a rebuild puts the past where scoring put it.
    counted_unit_path: Mapped[str | None] = mapped_column(String(255))
    counted_career_level: Mapped[str | None] = mapped_column(String(16))

    user: Mapped[User] = relationship()
    exercise: Mapped[ContentDocument] = relationship()
    exercise_version: Mapped[ContentVersion] = relationship()
    assignment: Mapped[Assignment | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(back_populates="attempt", cascade="all, delete-orphan")
    decisions: Mapped[list[ScenarioDecision]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="ScenarioDecision.position"
    )
    scores: Mapped[list[AttemptScore]] = relationship(cascade="all, delete-orphan")

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("attempt_id", "item_key", name="uq_answers_attempt_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Looked up through uq_answers_attempt_item, which leads with it: an index of its own would only
    # cost every write (21.7 million answers at 100,000 managers).
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"))
    item_key: Mapped[str] = mapped_column(String(120))
    item_version_id: Mapped[int] = mapped_column(ForeignKey("content_versions.id"))
    value: Mapped[object] = mapped_column(JSON)
    score: Mapped[float | None] = mapped_column(Float)
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the exercise gives feedback immediately and the manager has seen it: from then
    # on the answer cannot change, or the feedback would be an answer key.
    locked_at: Mapped[datetime | None]

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
    item_version: Mapped[ContentVersion] = relationship()


class ScenarioDecision(db.Model):
    """A choice taken in a branching scenario. Decisions stick: one per step, in order."""

    __tablename__ = "scenario_decisions"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position", name="uq_scenario_decisions_attempt_position"),
        UniqueConstraint("attempt_id", "step_id", name="uq_scenario_decisions_attempt_step"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    position: Mapped[int]
    step_id: Mapped[str] = mapped_column(String(120))
    choice_id: Mapped[str] = mapped_column(String(120))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="decisions")


class AttemptScore(db.Model):
    """A scored attempt's result for one competency: A_c in [0, 1] and its evidence weight W_c."""

    __tablename__ = "attempt_scores"

    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), primary_key=True)
    competency: Mapped[str] = mapped_column(String(32), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float)
