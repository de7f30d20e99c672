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
    __tablename__ = "profile_scores"
    # The reports name the lowest scores per competency first: an index walk, not a sort of the bank.
    __table_args__ = (Index("ix_profile_scores_competency_score", "competency", "score"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    competency: Mapped[str] = mapped_column(String(32), primary_key=True)
    score: Mapped[float] = mapped_column(Float)  # 0–100
    evidence: Mapped[float] = mapped_column(Float)
    level: Mapped[int | None]  # None when the evidence is insufficient
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SelfScore(db.Model):
    """A manager's self-rated score (0–100) per competency, from their latest Likert answers."""

    __tablename__ = "self_scores"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    competency: Mapped[str] = mapped_column(String(32), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
