"""Each manager's current profile, kept up to date as attempts are scored.

Reports read this small table (one row per manager and competency) instead of re-scoring
attempts on every page, so a heatmap of 10,000 managers is a paginated join.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.users import utcnow


class ProfileScore(db.Model):
    """A manager's current score per competency, with a copy of what the reports filter managers by.

    The reports name the lowest scores per competency first, walking an index in score order; the
    copy (kept by `cohort_levels.kept`, as the cohort counts are) lets the walk test each row as it
    meets it, without joining the manager, their roles and their unit for every row it passes.
    """

    __tablename__ = "profile_scores"
    __table_args__ = (
        Index("ix_profile_scores_competency_score", "competency", "score"),
        Index("ix_profile_scores_competency_career_score", "competency", "manager_career_level", "score"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    competency: Mapped[str] = mapped_column(String(32), primary_key=True)
    score: Mapped[float] = mapped_column(Float)  # 0–100
    evidence: Mapped[float] = mapped_column(Float)
    level: Mapped[int | None]  # None when the evidence is insufficient
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The manager as the reports see them: active with the manager role, career level, unit path,
    # month of latest assessment.
    manager_counted: Mapped[bool] = mapped_column(default=False)
    manager_career_level: Mapped[str | None] = mapped_column(String(16))
    manager_unit_path: Mapped[str | None] = mapped_column(String(255))
    manager_assessed_month: Mapped[int | None]


class SelfScore(db.Model):
    """A manager's self-rated score (0–100) per competency, from their latest Likert answers."""

    __tablename__ = "self_scores"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    competency: Mapped[str] = mapped_column(String(32), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
