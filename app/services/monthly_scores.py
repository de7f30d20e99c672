"""Monthly score sums per org unit, career level and competency behind the dashboard's trends, kept as attempts are scored."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from app.models import CohortMonth
from app.models.reporting import ALL_COMPETENCIES
from app.services import sql

CELL = ("org_unit_id", "career_level", "month", "competency")


def month_of(when: datetime) -> int:
    return when.year * 100 + when.month


def cells(
    units: Sequence[int], career_level: str | None, when: datetime, scores: Mapping[str, tuple[float, float]]
) -> list[dict]:
    """One scored attempt's contribution: Σ W·A and Σ W per competency, and one attempt counted, in
    the manager's unit and in each unit above it (`units`, from `cohort_cells.ancestors`), so that a
    trend over any unit reads that unit's rows alone. A manager outside the org tree adds nothing:
    they are outside every HR scope."""
    rows = []
    for unit in units:
        key = {"org_unit_id": unit, "career_level": career_level or "", "month": month_of(when)}
        rows += [
            {**key, "competency": code, "weighted": score * weight, "weight": weight, "attempts": 1}
            for code, (score, weight) in scores.items()
        ]
        rows.append({**key, "competency": ALL_COMPETENCIES, "weighted": 0.0, "weight": 0.0, "attempts": 1})
    return rows


def retraction(rows: Iterable[dict]) -> list[dict]:
    """Take an attempt's earlier contribution back out (before its re-scored one is added)."""
    return [
        {**row, "weighted": -row["weighted"], "weight": -row["weight"], "attempts": -row["attempts"]} for row in rows
    ]


def add(rows: Iterable[dict]) -> None:
    """Add to the cells, creating them as needed, in one atomic upsert (safe under concurrent scoring)."""
    sql.add_sums(CohortMonth, list(rows), CELL, ("weighted", "weight", "attempts"))
