"""Aggregates kept for reports, so that a page over 10,000 managers reads hundreds of rows, not millions."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

ALL_COMPETENCIES = "*"  # the row that counts scored attempts, whatever they measured


class CohortMonth(db.Model):
    """Per branch, career level, month and competency: Σ W·A, Σ W and how many scored attempts.

    Written as each attempt is scored, with the manager's unit and career level at that time,
    so a trend keeps the past as it was when people move. `month` is year × 100 + month (UTC).
    """

    __tablename__ = "cohort_months"
    __table_args__ = (
        UniqueConstraint("org_unit_id", "career_level", "month", "competency", name="uq_cohort_months_cell"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    career_level: Mapped[str] = mapped_column(String(16))  # "" when the manager had none
    month: Mapped[int] = mapped_column(index=True)
    competency: Mapped[str] = mapped_column(String(32))
    weighted: Mapped[float] = mapped_column(Float, default=0.0)
    weight: Mapped[float] = mapped_column(Float, default=0.0)
    attempts: Mapped[int] = mapped_column(default=0)
