"""Aggregates kept for reports, so that a page over 10,000 managers reads hundreds of rows, not millions."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint, text
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


class CohortLevel(db.Model):
    """How many managers sit at each measured and self-rated level, per unit, career level, month of
    latest assessment and competency (see `app.domain.cohort_cells`: a manager counts in their unit,
    every unit above it and the whole bank, unit 0). Kept in the transaction that changes a profile
    or moves a manager, so a report over any scope sums a few hundred rows."""

    __tablename__ = "cohort_levels"
    __table_args__ = (
        UniqueConstraint(
            "unit_id", "career_level", "month", "competency", "level", "self_level", name="uq_cohort_levels_cell"
        ),
        # Every report reads its headcount: the unique index would walk all of a unit's rows (6,862 for
        # the whole bank at 100,000 managers) for its 36 headcount rows; this one holds those alone.
        Index(
            "ix_cohort_levels_headcount",
            "unit_id",
            "career_level",
            "month",
            "managers",
            postgresql_where=text("competency = '*'"),
            sqlite_where=text("competency = '*'"),
        ),
        # A region's training needs count its branches' managers below target: 12 % of their rows.
        Index(
            "ix_cohort_levels_below_target",
            "unit_id",
            "career_level",
            "competency",
            "month",
            "managers",
            postgresql_where=text("level > 0 AND level < target_level"),
            sqlite_where=text("level > 0 AND level < target_level"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int]  # an org unit's id, or 0 for the whole bank (no foreign key for that reason)
    career_level: Mapped[str] = mapped_column(String(16))  # "" when the manager has none
    month: Mapped[int]  # yyyymm of the latest scored attempt, 0 when never assessed
    competency: Mapped[str] = mapped_column(String(32))  # or "*" for the headcount
    level: Mapped[int]  # 1–4, or 0 when the evidence is insufficient
    self_level: Mapped[int]  # 1–4, or 0 without a self-rating
    managers: Mapped[int] = mapped_column(default=0)
    # The career level's target in the competency, kept beside the level as on the profile rows
    # (None: no target); copied again when the targets change.
    target_level: Mapped[int | None]

    @classmethod
    def below_target(cls):
        """Rows of managers measured below their target: the condition of their partial index
        (level 0, insufficient evidence, has no level to be below target with)."""
        return (cls.level > 0) & (cls.level < cls.target_level)


class AssignmentCount(db.Model):
    """How many managers received an assignment and how many completed it, per unit (as
    `CohortLevel`: each unit above too, 0 the whole bank) and career level: the dashboard's
    completion for any scope is a sum over a few units' rows. Kept with the cohort counts."""

    __tablename__ = "assignment_counts"
    __table_args__ = (
        UniqueConstraint("assignment_id", "unit_id", "career_level", "completed", name="uq_assignment_counts_cell"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"))
    unit_id: Mapped[int]
    career_level: Mapped[str] = mapped_column(String(16))
    completed: Mapped[bool]
    managers: Mapped[int] = mapped_column(default=0)


class ItemSum(db.Model):
    """Sufficient statistics of one item in one exercise, per unit (as `CohortLevel`: each unit above
    the manager's too, 0 the whole bank) and month of submission (`app.domain.item_sums`). Added
    once, when an attempt is first scored."""

    __tablename__ = "item_sums"
    __table_args__ = (UniqueConstraint("exercise_id", "unit_id", "month", "item_key", name="uq_item_sums_cell"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("content_documents.id"))
    unit_id: Mapped[int]
    month: Mapped[int]
    item_key: Mapped[str] = mapped_column(String(120))
    answered: Mapped[int] = mapped_column(default=0)  # attempts that gave an answer (the rest count 0)
    n: Mapped[int] = mapped_column(default=0)
    sx: Mapped[float] = mapped_column(Float, default=0.0)
    sxx: Mapped[float] = mapped_column(Float, default=0.0)
    sr: Mapped[float] = mapped_column(Float, default=0.0)
    srr: Mapped[float] = mapped_column(Float, default=0.0)
    sxr: Mapped[float] = mapped_column(Float, default=0.0)


class ItemSetSum(db.Model):
    """For the attempts given every item of an exercise without a random draw, per set of items
    (a version's), unit and month: how many, Σ and Σ² of their totals (Cronbach's alpha)."""

    __tablename__ = "item_set_sums"
    __table_args__ = (UniqueConstraint("exercise_id", "unit_id", "month", "item_set", name="uq_item_set_sums_cell"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("content_documents.id"))
    unit_id: Mapped[int]
    month: Mapped[int]
    item_set: Mapped[str] = mapped_column(String(40))  # item_sums.item_set's signature
    keys: Mapped[str] = mapped_column(Text)  # the set's item keys, sorted, one per line
    n: Mapped[int] = mapped_column(default=0)
    st: Mapped[float] = mapped_column(Float, default=0.0)
    stt: Mapped[float] = mapped_column(Float, default=0.0)


class ItemSetItemSum(db.Model):
    """Each item's n, Σx and Σx² within the attempts of an `ItemSetSum` (its variance for alpha)."""

    __tablename__ = "item_set_item_sums"
    __table_args__ = (
        UniqueConstraint("exercise_id", "unit_id", "month", "item_set", "item_key", name="uq_item_set_item_sums_cell"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("content_documents.id"))
    unit_id: Mapped[int]
    month: Mapped[int]
    item_set: Mapped[str] = mapped_column(String(40))
    item_key: Mapped[str] = mapped_column(String(120))
    n: Mapped[int] = mapped_column(default=0)
    sx: Mapped[float] = mapped_column(Float, default=0.0)
    sxx: Mapped[float] = mapped_column(Float, default=0.0)


class OptionCount(db.Model):
    """What the answers to an item did with one option (a mark such as chosen, best, a rating), per
    exercise, unit and month: how many, and the sum of the numbers given (positions, ratings)."""

    __tablename__ = "option_counts"
    __table_args__ = (
        UniqueConstraint("exercise_id", "unit_id", "month", "item_key", "option", "mark", name="uq_option_counts_cell"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("content_documents.id"))
    unit_id: Mapped[int]
    month: Mapped[int]
    item_key: Mapped[str] = mapped_column(String(120))
    option: Mapped[str] = mapped_column(String(64))
    mark: Mapped[str] = mapped_column(String(16))
    answers: Mapped[int] = mapped_column(default=0)
    number_total: Mapped[float] = mapped_column(Float, default=0.0)
    numbers: Mapped[int] = mapped_column(default=0)
