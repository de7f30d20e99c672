"""The domain's level rules spelled in SQL, for statements that level or compare many rows at once.

Tests hold each expression to the same answers as its Python twin in `app.domain`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Integer, case, literal


def level_expression(score, thresholds: Sequence[float], *first: tuple):
    """`level_for_score` spelled in SQL (after any `first` cases)."""
    bands = [*first, *((score < bound, level) for level, bound in enumerate(thresholds, start=1))]
    return case(*bands, else_=len(thresholds) + 1)


def target_expression(career_column, competency_column, targets: Mapping[str, Mapping[str, int]], career_level=None):
    """The target level of each row, from its career level and competency (of one career level
    when given). A row without a target gets NULL, so no level compares below it. Simple CASEs,
    career level then competency: at 100,000 managers a searched CASE of forty-two (career level
    AND competency) tests cost a region's training needs 18 ms more."""
    bands = {career: codes for career, codes in targets.items() if codes and career_level in (None, career)}
    if not bands:
        return literal(None, Integer)
    by_competency = {career: case(codes, value=competency_column, else_=None) for career, codes in bands.items()}
    return case(by_competency, value=career_column, else_=None)
