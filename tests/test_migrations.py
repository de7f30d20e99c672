"""Migrations go up and down on a database of their own, and match the models exactly.

On SQLite a temporary file is used; when TEST_DATABASE_URL is PostgreSQL, a scratch database
is created beside it and dropped afterwards.
"""

from __future__ import annotations

import os
import uuid

import pytest
from flask_migrate import check, downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from config import TestConfig

EXPECTED_TABLES = {"users", "user_roles", "user_scopes", "org_units", "audit_events", "alembic_version"}


@pytest.fixture
def scratch_url(tmp_path):
    base = os.environ.get("TEST_DATABASE_URL")
    if not base or make_url(base).get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    url = make_url(base).set(database=f"cartera_migrations_{uuid.uuid4().hex[:8]}")
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def migration_app(scratch_url):
    class ScratchConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = scratch_url

    app = create_app(ScratchConfig)
    with app.app_context():
        yield app
        db.engine.dispose()


def tables() -> set[str]:
    return set(inspect(db.engine).get_table_names())


def test_upgrade_downgrade_and_upgrade_again(migration_app):
    upgrade()
    assert EXPECTED_TABLES <= tables()
    check()  # exits non-zero when the models and the migrations disagree
    downgrade(revision="base")
    assert tables() <= {"alembic_version"}
    upgrade()
    assert EXPECTED_TABLES <= tables()


def test_check_notices_drift(migration_app):
    """The check above can fail: a model change without a migration is reported."""
    upgrade()
    with db.engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_audit_events_action"))
    with pytest.raises(SystemExit) as exit_:
        check()
    assert exit_.value.code == 1


def test_the_cohort_counts_migration_builds_them_for_an_existing_bank(migration_app):
    """Downgrade below the counts, upgrade again: the migration rebuilds what the application had kept."""
    from werkzeug.datastructures import MultiDict

    from app.models import User
    from app.services import attempts, cohort_levels, content_loader, org, users
    from tests.conftest import VALID_BANK

    upgrade()
    content_loader.sync(root=VALID_BANK)
    north = org.add_unit(None, "Norte", org.add_unit(None, "Banco", None))
    people = []
    for n, (answer, level) in enumerate((("a", "junior"), ("c", "mid"), ("b", None))):
        data = users.UserData(email=f"m{n}@example.com", name=f"M {n}", roles={"manager"}, career_level=level)
        data.org_unit_id = north.id if n else None
        user, _password = users.create_user(None, data, password="a long enough passphrase")
        quiz = attempts.start(user, "fixture-quiz")
        attempts.save_answers(quiz, MultiDict([("answer-fx-single", answer)]), "en", ["fx-single"])
        attempts.submit(quiz)
        people.append(user.id)
    db.session.commit()
    kept = cohort_levels.stored()
    region, bank = north.id, north.parent_id
    trends = _monthly_sums()
    assert {unit for unit, *_rest in trends} == {region, bank}  # the region, and the bank above it
    months = {u.id: u.last_assessed_month for u in db.session.scalars(db.select(User).where(User.id.in_(people)))}
    assert kept and all(months.values())
    db.session.remove()  # release SQLite's lock before the migration's own connection writes

    downgrade(revision="d0b4a623feac")
    assert "cohort_levels" not in tables()
    assert {unit for unit, *_rest in _monthly_sums()} == {region}  # each unit its own managers only
    upgrade()
    db.session.expire_all()
    assert cohort_levels.stored() == kept
    assert _monthly_sums() == trends
    assert {
        u.id: u.last_assessed_month for u in db.session.scalars(db.select(User).where(User.id.in_(people)))
    } == months


def _monthly_sums() -> dict:
    rows = db.session.execute(
        text("SELECT org_unit_id, career_level, month, competency, weighted, weight, attempts FROM cohort_months")
    )
    result = {tuple(r[:4]): (round(r[4], 6), round(r[5], 6), r[6]) for r in rows}
    db.session.remove()
    return result


def test_the_item_sums_migration_builds_them_for_an_existing_bank(migration_app):
    from werkzeug.datastructures import MultiDict

    from app.services import attempts, content_loader, org, users
    from tests.conftest import VALID_BANK

    upgrade()
    content_loader.sync(root=VALID_BANK)
    branch = org.add_unit(None, "Norte", org.add_unit(None, "Banco", None))
    for n, answer in enumerate("abca"):
        data = users.UserData(email=f"m{n}@example.com", name=f"M {n}", roles={"manager"}, career_level="junior")
        data.org_unit_id = branch.id
        user, _password = users.create_user(None, data, password="a long enough passphrase")
        quiz = attempts.start(user, "fixture-quiz")
        fields = MultiDict([("answer-fx-single", answer), ("answer-fx-multi", "a")])
        attempts.save_answers(quiz, fields, "en", ["fx-single", "fx-multi"])
        attempts.submit(quiz)
    db.session.commit()
    before = _item_sums()
    assert before["item_sums"] and before["option_counts"]

    downgrade(revision="b767a416829c")
    assert "item_sums" not in tables()
    upgrade()
    assert _item_sums() == before


def _item_sums() -> dict:
    found = {}
    for table in ("item_sums", "item_set_sums", "item_set_item_sums", "option_counts"):
        rows = db.session.execute(text(f"SELECT * FROM {table}")).mappings().all()  # noqa: S608  (our table names)
        found[table] = sorted(
            tuple(sorted((k, round(v, 9) if isinstance(v, float) else v) for k, v in r.items() if k != "id"))
            for r in rows
        )
    db.session.remove()
    return found


def test_the_copies_of_each_managers_standing_are_filled_for_an_existing_bank(migration_app):
    """Downgrade below the attempts' counted unit and the profile rows' standing, upgrade again:
    both are filled from the managers as they stand."""
    from werkzeug.datastructures import MultiDict

    from app.services import attempts, cohort_levels, content_loader, org, users
    from tests.conftest import VALID_BANK

    upgrade()
    content_loader.sync(root=VALID_BANK)
    branch = org.add_unit(None, "Norte", org.add_unit(None, "Banco", None))
    for n, level in enumerate(("junior", "mid", None)):
        data = users.UserData(email=f"m{n}@example.com", name=f"M {n}", roles={"manager"}, career_level=level)
        data.org_unit_id = branch.id if n else None
        user, _password = users.create_user(None, data, password="a long enough passphrase")
        quiz = attempts.start(user, "fixture-quiz")
        attempts.save_answers(quiz, MultiDict([("answer-fx-single", "abc"[n])]), "en", ["fx-single"])
        attempts.submit(quiz)
    db.session.commit()
    counted = _counted_under()
    copied, read = cohort_levels.standing_copies()
    assert copied == read and len({row[0] for row in copied}) == 3
    assert sorted(counted.values(), key=str) == sorted(
        [(None, "junior"), (branch.path, "mid"), (branch.path, None)], key=str
    )
    db.session.remove()

    downgrade(revision="b4b5c34654cd")
    upgrade()
    assert _counted_under() == counted
    assert cohort_levels.standing_copies() == (copied, read)


def _counted_under() -> dict:
    rows = db.session.execute(text("SELECT id, counted_unit_path, counted_career_level FROM attempts"))
    return {row[0]: (row[1], row[2]) for row in rows}


def test_each_profile_rows_self_view_and_target_levels_are_filled_for_an_existing_bank(migration_app, tmp_path):
    """Downgrade below the profile rows' self-view and target levels, upgrade again: both are
    filled from the stored self-scores, targets and thresholds, as the kept copies were; and each
    level count row's target too."""
    import shutil

    from werkzeug.datastructures import MultiDict

    from app.domain.framework import COMPETENCY_CODES
    from app.services import attempts, cohort_levels, content_loader, users
    from tests.conftest import VALID_BANK

    upgrade()
    root = tmp_path / "bank"
    shutil.copytree(VALID_BANK, root)

    def levels(level: int) -> str:
        return ", ".join(f"{code}: {level + (code == 'ethics')}" for code in COMPETENCY_CODES)

    (root / "rubrics" / "targets.yaml").write_text(
        f"kind: targets\ntargets:\n  junior: {{{levels(2)}}}\n  mid: {{{levels(3)}}}\n"
    )
    content_loader.sync(root=root)
    for n, (level, answer, rating) in enumerate((("junior", "a", "5"), ("mid", "b", "1"), (None, "c", "3"))):
        data = users.UserData(email=f"m{n}@example.com", name=f"M {n}", roles={"manager"}, career_level=level)
        user, _password = users.create_user(None, data, password="a long enough passphrase")
        quiz = attempts.start(user, "fixture-quiz")
        attempts.save_answers(quiz, MultiDict([("answer-fx-single", answer)]), "en", ["fx-single"])
        attempts.submit(quiz)
        survey = attempts.start(user, "fixture-self")
        answers = MultiDict([("answer-fx-likert-1", rating), ("answer-fx-likert-2", str(6 - int(rating)))])
        attempts.save_answers(survey, answers, "en", ["fx-likert-1", "fx-likert-2"])
        attempts.submit(survey)
    db.session.commit()
    copied, read = cohort_levels.standing_copies()
    assert copied == read
    kept = {(row[0], row[1]): row[-2:] for row in copied}  # (self level, target level)
    assert {targets for _self, targets in kept.values()} >= {2, 3, 4, None}
    assert {self_level for self_level, _target in kept.values()} == {4, 1, 2, None}
    counted = _level_count_targets()
    assert {row[-1] for row in counted} >= {2, 3, 4, None} and cohort_levels.wrong_targets() == 0
    db.session.remove()

    downgrade(revision="388e2f5ef25d")
    upgrade()
    assert cohort_levels.standing_copies() == (copied, read)
    assert _level_count_targets() == counted


def _level_count_targets() -> set:
    columns = "unit_id, career_level, month, competency, level, self_level, managers, target_level"
    return set(db.session.execute(text(f"SELECT {columns} FROM cohort_levels")))  # noqa: S608
