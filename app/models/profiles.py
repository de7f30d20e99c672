"""Each manager's current profile, kept up to date as attempts are scored.

Reports read this small table (one row per manager and competency) instead of re-scoring
attempts on every page, so a heatmap of 10,000 managers is a paginated join.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.users import utcnow

# The partial indexes' conditions, spelled as the reports' queries spell them so that both
# databases see that an index covers the query.
BLIND_SPOT = "self_level > level"
BELOW_TARGET = "level < target_level"


def _where(condition: str) -> dict:
    return {"postgresql_where": text(condition), "sqlite_where": text(condition)}


class ProfileScore(db.Model):
    """A manager's current score per competency, with a copy of what the reports filter managers by.

    The reports name the lowest scores per competency first, walking an index in score order; the
    copy (kept by `cohort_levels.kept`, as the cohort counts are) lets the walk test each row as it
    meets it, without joining the manager, their roles and their unit for every row it passes.
    The row also keeps the level its manager rates themselves at and their career level's target,
    so that a partial index holds only the blind spots, and another only the rows below target:
    each named list then reads its few rows, not every low scorer of the bank (at 100,000
    managers, calibration passed 280-400 rows per competency and probed each one's self-score).
    """

    __tablename__ = "profile_scores"
    __table_args__ = (
        Index("ix_profile_scores_competency_score", "competency", "score"),
        Index("ix_profile_scores_competency_career_score", "competency", "manager_career_level", "score"),
        Index("ix_profile_scores_blind_spots", "competency", "score", **_where(BLIND_SPOT)),
        Index("ix_profile_scores_below_target", "competency", "score", **_where(BELOW_TARGET)),
        # With one career level, a list that names everyone below target (a region's juniors) reads
        # that level's rows alone: the index above passed 25,000 rows of other levels to find 120.
        Index(
            "ix_profile_scores_below_target_by_career",
            "competency",
            "manager_career_level",
            "score",
            **_where(BELOW_TARGET),
        ),
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
    # What the self-view and the target stand at: the level the manager's self-score falls in (None
    # without one), and their career level's target in this competency (None without one).
    self_level: Mapped[int | None]
    target_level: Mapped[int | None]

    @classmethod
    def blind_spot(cls):
        """Rows whose self-view stands above the measured level: the condition of their partial index."""
        return cls.self_level > cls.level

    @classmethod
    def below_target(cls):
        """Rows measured below their target: the condition of their partial index."""
        return cls.level < cls.target_level


class SelfScore(db.Model):
    """A manager's self-rated score (0–100) per competency, from their latest Likert answers."""

    __tablename__ = "self_scores"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    competency: Mapped[str] = mapped_column(String(32), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
