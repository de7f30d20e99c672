"""Two submits of one attempt at the same moment, on two real connections, score it once.

Runs in a scratch database of its own, so the two threads see each other's commits: on
PostgreSQL when TEST_DATABASE_URL names it (the production case), else in a SQLite file.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from app.models import Attempt, AttemptScore, User, UserRole
from app.services import attempts, content_loader
from config import TestConfig

BASE = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = BASE.startswith("postgresql")
VALID = Path(__file__).resolve().parent / "content" / "fixtures" / "valid"


@pytest.fixture
def race_app(tmp_path):
    if ON_POSTGRES:
        url = make_url(BASE).set(database=f"cartera_race_{uuid.uuid4().hex[:8]}")
        admin = create_engine(make_url(BASE).set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    else:
        url, admin = make_url(f"sqlite:///{tmp_path / 'race.db'}"), None

    class RaceConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = url.render_as_string(hide_password=False)

    app = create_app(RaceConfig)
    try:
        with app.app_context():
            upgrade()
            shutil.copytree(VALID, tmp_path / "bank")
            content_loader.sync(root=tmp_path / "bank")
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()
        if admin is not None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            admin.dispose()


def test_two_simultaneous_submits_score_once(race_app, monkeypatch):
    with race_app.app_context():
        user = User(email="racer@banco.es", name="Racer", password_hash="x", career_level="junior")
        user.role_rows = [UserRole(role="manager")]
        db.session.add(user)
        db.session.commit()
        attempt = attempts.start(user, "fixture-scenario")
        attempts.decide(user, attempt.id, "s1", "a")
        user_id, attempt_id = user.id, attempt.id

    scorings = []
    real_score = attempts._score
    monkeypatch.setattr(attempts, "_score", lambda a, when: (scorings.append(a.id), real_score(a, when)))
    barrier = threading.Barrier(2)
    errors = []

    def submit():
        with race_app.app_context():
            try:
                racer = db.session.get(User, user_id)
                db.session.commit()  # end the read, as a request does, before the race starts
                barrier.wait(timeout=10)
                attempts.submit(racer, attempt_id)
            except Exception as error:  # collected and asserted below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert scorings == [attempt_id]
    with race_app.app_context():
        assert db.session.get(Attempt, attempt_id).status == "scored"
        rows = db.session.scalar(
            select(func.count()).select_from(AttemptScore).where(AttemptScore.attempt_id == attempt_id)
        )
        assert rows == 3  # ethics, relationship, communication: once each
