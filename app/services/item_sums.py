"""The item-analysis sums (`app.domain.item_sums`), added as attempts are first scored.

An attempt's analysed items are those of its plan that are not written tasks (those are graded on
their rubric, not analysed as items); an unanswered item counts 0. Each attempt counts in its
manager's unit when it was first scored (`Attempt.counted_unit_path`), every unit above it and the
whole bank (unit 0), in the month it was submitted: a manager's move leaves their past where it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import delete, select, text

from app.domain.attempt_status import AttemptStatus
from app.domain.item_sums import TABLES, Tables, analysed, units_of
from app.extensions import db
from app.models import (
    Answer,
    Attempt,
    ContentVersion,
    ItemSetItemSum,
    ItemSetSum,
    ItemSum,
    OptionCount,
)
from app.services import sql
from app.services.monthly_scores import month_of

MODELS = {
    "item_sums": ItemSum,
    "item_set_sums": ItemSetSum,
    "item_set_item_sums": ItemSetItemSum,
    "option_counts": OptionCount,
}


def complete(exercise: dict) -> bool:
    """Whether every attempt is given every item (no random draw): only those feed alpha."""
    return not exercise.get("draw")


def record(attempt: Attempt, planned: Iterable[tuple[str, dict]], answers: Mapping[str, tuple]) -> None:
    """Add a newly scored attempt: (key, body) of the item versions it was given, key → (score, value)."""
    given = analysed(planned, answers)
    if not given:
        return
    tables = Tables()
    where = (attempt.exercise_id, units_of(attempt.counted_unit_path), month_of(attempt.submitted_at))
    tables.add_attempt(*where, given, complete(attempt.exercise_version.body))
    add(tables.rows())


def add(rows: dict[str, list[dict]]) -> None:
    """Add to the stored sums in atomic upserts (safe under concurrent scoring)."""
    for name, found in rows.items():
        key_columns, value_columns = TABLES[name]
        carried = ("keys",) if name == "item_set_sums" else ()
        sql.add_sums(MODELS[name], found, key_columns, value_columns, carried)


def insert_new(rows: dict[str, list[dict]]) -> None:
    """Store rows whose keys no stored row has (a bulk load's own new branches): plain bulk inserts."""
    for name, found in rows.items():
        sql.bulk_insert(MODELS[name].__table__, found)


def widen(above: Mapping[int, Iterable[int]]) -> None:
    """Count the stored rows of each unit in `above` again in every unit it maps to, in the database:
    a bulk load adds each attempt to its own new branch alone and widens the sums once at the end,
    in proportion to the rows rather than the attempts."""
    pairs = [{"unit": unit, "wider": wider} for unit, widers in above.items() for wider in widers]
    if not pairs:
        return
    db.session.execute(text("CREATE TEMPORARY TABLE widened_units (unit_id INTEGER, wider_id INTEGER)"))
    try:
        db.session.execute(text("INSERT INTO widened_units VALUES (:unit, :wider)"), pairs)
        for name, (key_columns, value_columns) in TABLES.items():
            carried = ("keys",) if name == "item_set_sums" else ()
            same = [column for column in key_columns if column != "unit_id"]
            chosen = [
                *("w.wider_id" if column == "unit_id" else f"s.{column}" for column in key_columns),
                *(f"SUM(s.{column})" for column in value_columns),
                *(f"MAX(s.{column})" for column in carried),  # an item set's keys are the same in every row
            ]
            sql.add_selected(
                MODELS[name].__table__,
                [*key_columns, *value_columns, *carried],
                f"SELECT {', '.join(chosen)} FROM {name} s JOIN widened_units w ON w.unit_id = s.unit_id "  # noqa: S608
                f"WHERE 1 = 1 GROUP BY w.wider_id, {', '.join(f's.{column}' for column in same)}",
                key_columns,
                value_columns,
            )
    finally:
        db.session.execute(text("DROP TABLE widened_units"))


def recount(chunk: int = 5000) -> Tables:
    """The sums recomputed from every scored attempt and its answers, a chunk of attempts at a time."""
    tables = Tables()
    bodies: dict[int, dict] = {}
    ids = list(
        db.session.scalars(select(Attempt.id).where(Attempt.status == AttemptStatus.SCORED).order_by(Attempt.id))
    )
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        attempts = db.session.execute(
            select(
                Attempt.id,
                Attempt.exercise_id,
                Attempt.exercise_version_id,
                Attempt.plan,
                Attempt.submitted_at,
                Attempt.counted_unit_path,
            ).where(Attempt.id.in_(part))
        ).all()
        answers: dict[int, dict] = {}
        for attempt_id, key, score, value in db.session.execute(
            select(Answer.attempt_id, Answer.item_key, Answer.score, Answer.value).where(Answer.attempt_id.in_(part))
        ):
            answers.setdefault(attempt_id, {})[key] = (score, value)
        wanted = {e["version_id"] for *_ids, plan, _s, _p in attempts for e in plan}
        wanted |= {version for _i, _x, version, *_rest in attempts}
        wanted -= set(bodies)
        if wanted:
            bodies.update(
                db.session.execute(
                    select(ContentVersion.id, ContentVersion.body).where(ContentVersion.id.in_(wanted))
                ).all()
            )
        for attempt_id, exercise_id, version_id, plan, submitted_at, path in attempts:
            given = analysed(((e["key"], bodies[e["version_id"]]) for e in plan), answers.get(attempt_id, {}))
            if given:
                where = (exercise_id, units_of(path), month_of(submitted_at))
                tables.add_attempt(*where, given, complete(bodies[version_id]))
    return tables


def rebuild() -> None:
    """Replace the stored sums with a recount (after a bulk load)."""
    for model in MODELS.values():
        db.session.execute(delete(model))
    for name, rows in recount().rows().items():
        sql.bulk_insert(MODELS[name].__table__, rows)
