"""Exercises assigned to managers, with an optional due date."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.content import ContentDocument
from app.models.users import OrgUnit, User, utcnow


class Assignment(db.Model):
    """Who was asked to take an exercise. The recipients are fixed when it is made, so the
    list a trainer follows up does not change under them as people move."""

    __tablename__ = "assignments"
    __table_args__ = (CheckConstraint("target IN ('users', 'org_unit', 'career_level')", name="target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("content_documents.id"), index=True)
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    target: Mapped[str] = mapped_column(String(16))
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    career_level: Mapped[str | None] = mapped_column(String(16))
    due_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A cancelled assignment keeps only the recipients who had started it (their attempts stay).
    cancelled_at: Mapped[datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    exercise: Mapped[ContentDocument] = relationship()
    assigned_by: Mapped[User] = relationship(foreign_keys=[assigned_by_id])
    cancelled_by: Mapped[User | None] = relationship(foreign_keys=[cancelled_by_id])
    org_unit: Mapped[OrgUnit | None] = relationship()
    recipients: Mapped[list[AssignmentRecipient]] = relationship(
        cascade="all, delete-orphan", back_populates="assignment"
    )


class AssignmentRecipient(db.Model):
    __tablename__ = "assignment_recipients"

    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    # When the recipient first submitted an attempt that answers the assignment (see
    # assignments.counts_for); kept as attempts are submitted so completion is a count, not a join.
    completed_at: Mapped[datetime | None]

    assignment: Mapped[Assignment] = relationship(back_populates="recipients")
    user: Mapped[User] = relationship()
