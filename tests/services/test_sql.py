"""Bulk writes below the ORM (`app.services.sql`) store what the ORM would, on both databases."""

from datetime import datetime

import pytest
from sqlalchemy import select, text

from app.domain.attempt_status import AttemptStatus
from app.extensions import db
from app.models import Answer, Attempt, CohortMonth, ContentDocument, ContentVersion
from app.services import sql
from app.services.monthly_scores import CELL

SUMS = ("weighted", "weight", "attempts")


def cells(units, months) -> list[dict]:
    return [
        {"org_unit_id": unit.id, "career_level": level, "month": month, "competency": "risk"}
        | {"weighted": 0.5 * month % 7, "weight": 1.0, "attempts": 1}
        for unit in units
        for level in ("junior", "mid")
        for month in months
    ]


def stored() -> dict[tuple, tuple]:
    rows = db.session.execute(select(*(getattr(CohortMonth, c) for c in (*CELL, *SUMS))))
    return {tuple(row[:4]): tuple(row[4:]) for row in rows}


def test_many_sums_are_staged_and_add_up_like_a_few(make_unit):
    units = [make_unit(f"Oficina {n}") for n in range(3)]
    months = range(202001, 202001 + 300)
    rows = cells(units, months)
    assert len(rows) >= sql.BULK  # the staged path

    sql.add_sums(CohortMonth, rows, CELL, SUMS)
    sql.add_sums(CohortMonth, rows, CELL, SUMS)  # every key now exists: all added, none inserted
    few = cells(units[:1], [202001, 209912])  # one existing key and one new, through the small path
    assert len(few) < sql.BULK
    sql.add_sums(CohortMonth, few, CELL, SUMS)

    expected: dict[tuple, list] = {}
    for row in rows + rows + few:
        sums = expected.setdefault(tuple(row[c] for c in CELL), [0.0, 0.0, 0])
        for n, name in enumerate(SUMS):
            sums[n] += row[name]
    assert stored() == {key: pytest.approx(tuple(sums)) for key, sums in expected.items()}


def test_bulk_insert_stores_what_the_orm_reads_back(make_user, content_bank):
    exercise = db.session.scalar(select(ContentDocument).where(ContentDocument.key == "fixture-quiz"))
    version = db.session.scalar(select(ContentVersion.id).where(ContentVersion.document_id == exercise.id))
    manager = make_user("manager")
    attempt = Attempt(user=manager, exercise_id=exercise.id, exercise_version_id=version, seed=1)
    db.session.add(attempt)
    db.session.flush()
    plan = [{"key": "fx-single", "version_id": 1, "options": ["b", "a"]}]
    when = datetime(2026, 3, 4, 5, 6, 7, 89)
    sql.bulk_insert(
        Attempt.__table__,
        [
            {
                "id": attempt.id + 1,
                "user_id": manager.id,
                "exercise_id": attempt.exercise_id,
                "exercise_version_id": attempt.exercise_version_id,
                "assignment_id": None,
                "seed": 7,
                "plan": plan,
                "status": AttemptStatus.SCORED,
                "started_at": when,
                "deadline_at": None,
                "submitted_at": when,
                "expired": False,
                "scored_at": when,
            }
        ],
    )
    values = [{"a": 1}, ["x", "y"], "texto ñ", 1.5, None]
    sql.bulk_insert(
        Answer.__table__,
        [
            {
                "id": 1000 + n,
                "attempt_id": attempt.id + 1,
                "item_key": f"k{n}",
                "item_version_id": version,
                "value": value,
                "score": None,
                "answered_at": when,
                "locked_at": None,
            }
            for n, value in enumerate(values)
        ],
    )
    db.session.expire_all()
    loaded = db.session.get(Attempt, attempt.id + 1)
    assert (loaded.plan, loaded.status, loaded.started_at, loaded.expired) == (plan, "scored", when, False)
    # The stored form is the ORM's: a query comparing datetimes finds the row.
    assert db.session.scalar(select(Attempt.id).where(Attempt.submitted_at >= when)) == attempt.id + 1
    answers = db.session.scalars(select(Answer).where(Answer.attempt_id == attempt.id + 1).order_by(Answer.id))
    assert [a.value for a in answers] == values


def test_a_left_out_column_with_a_python_default_is_refused(make_user):
    manager = make_user("manager")
    with pytest.raises(ValueError, match="plan"):
        sql.bulk_insert(
            Attempt.__table__,
            [{"id": 99, "user_id": manager.id, "exercise_id": 1, "exercise_version_id": 1, "seed": 1}],
        )


def test_rows_given_as_tuples_with_their_json_as_text_store_the_same_values(make_user, content_bank):
    """What the generator's simulating processes make: values in column order, JSON encoded there."""
    exercise = db.session.scalar(select(ContentDocument).where(ContentDocument.key == "fixture-quiz"))
    version = db.session.scalar(select(ContentVersion.id).where(ContentVersion.document_id == exercise.id))
    attempt = Attempt(user=make_user("manager"), exercise_id=exercise.id, exercise_version_id=version, seed=1)
    db.session.add(attempt)
    db.session.flush()
    when = datetime(2026, 3, 4, 5, 6, 7)
    values = [{"a": [1, 2]}, ["x", "y"], "texto ñ \\ \t tab", 3, None]
    names = ("id", "attempt_id", "item_key", "item_version_id", "value", "score", "answered_at", "locked_at")
    value_column = Answer.__table__.c.value
    sql.insert_rows(
        Answer.__table__,
        names,
        [
            (2000 + n, attempt.id, f"k{n}", version, sql.json_text(value_column, value), 0.5, when, None)
            for n, value in enumerate(values)
        ],
        json_as_text=True,
    )
    db.session.expire_all()
    answers = db.session.scalars(select(Answer).where(Answer.attempt_id == attempt.id).order_by(Answer.id)).all()
    assert [a.value for a in answers] == values
    assert {(a.score, a.answered_at) for a in answers} == {(0.5, when)}


@pytest.mark.parametrize("wanted", ["none", "one", "all", "all twice"])
def test_among_selects_the_rows_of_a_list_of_ids_of_any_length(content_bank, wanted):
    every = db.session.scalars(select(ContentVersion.id).order_by(ContentVersion.id)).all()
    ids = {"none": [], "one": every[:1], "all": every, "all twice": every + every}[wanted]
    found = db.session.scalars(select(ContentVersion.id).where(sql.among(ContentVersion.id, ids))).all()
    assert sorted(found) == sorted(set(ids)) and len(every) > 10


def test_a_bulk_load_whose_rows_refer_to_nothing_is_refused_at_its_end(make_user, content_bank):
    """The per-row checks may be set aside (PostgreSQL, superuser); the check at the end never is,
    and it names the key that leads nowhere."""
    exercise = db.session.scalar(select(ContentDocument).where(ContentDocument.key == "fixture-quiz"))
    version = db.session.scalar(select(ContentVersion.id).where(ContentVersion.document_id == exercise.id))
    manager = make_user("manager")
    row = {"user_id": manager.id, "exercise_id": exercise.id, "exercise_version_id": version, "seed": 1}
    row |= {"plan": [], "status": AttemptStatus.IN_PROGRESS, "started_at": datetime(2026, 1, 2), "expired": False}
    with sql.foreign_keys_checked_after():
        sql.bulk_insert(Attempt.__table__, [{"id": 5000, **row}])  # a sound row passes
    if db.engine.dialect.name == "postgresql":  # the per-row checks are back for what follows
        assert db.session.scalar(text("SELECT current_setting('session_replication_role')")) == "origin"
    with pytest.raises(ValueError, match=r"attempts\.user_id \(1 rows\)"):
        with sql.foreign_keys_checked_after():
            sql.bulk_insert(Attempt.__table__, [{"id": 5001, **row, "user_id": 987654}])
