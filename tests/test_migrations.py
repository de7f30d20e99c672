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
