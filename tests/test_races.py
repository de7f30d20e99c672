"""Two requests about the same attempt at the same moment, on two real connections.

Each test runs in a scratch database of its own, so the two threads see each other's commits:
on PostgreSQL when TEST_DATABASE_URL names it (the production case), else in a SQLite file.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from werkzeug.security import generate_password_hash

from app import create_app, sqlite
from app.extensions import db, limiter
from app.models import Answer, Attempt, AttemptScore, User, UserRole
from app.services import attempts, content_loader
from config import TestConfig
from tests.conftest import login

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
            db.session.commit()
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()
        if admin is not None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            admin.dispose()


def started_attempt(exercise: str) -> tuple[User, Attempt]:
    """A manager of the scratch database and their attempt at `exercise` (the caller commits)."""
    user = User(email="racer@banco.es", name="Racer", password_hash="x", career_level="junior")
    user.role_rows = [UserRole(role="manager")]
    db.session.add(user)
    db.session.flush()
    return user, attempts.start(user, exercise)


def test_two_simultaneous_submits_score_once(race_app, monkeypatch):
    with race_app.app_context():
        user, attempt = started_attempt("fixture-scenario")
        attempts.decide(attempt, "s1", "a")
        db.session.commit()  # the services flush; the request (here, the test) commits
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
                attempts.submit(attempts.own_attempt(racer, attempt_id))
                db.session.commit()
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


def test_two_simultaneous_first_saves_of_one_item_store_one_answer(race_app):
    """Two tabs (or an autosave and a post) save the first answer of an item at once: both
    requests succeed and one answer is stored, one of the two values (an upsert, not a 500)."""
    with race_app.app_context():
        user, attempt = started_attempt("fixture-quiz")
        db.session.commit()
        user_id, attempt_id = user.id, attempt.id
    key = "fx-single"

    race_app.test_client_class = FlaskClient
    barrier = threading.Barrier(2)
    statuses, errors = [], []

    def save(value: str):
        client = race_app.test_client()
        with race_app.app_context():
            login(client, db.session.get(User, user_id))
        try:
            barrier.wait(timeout=10)
            response = client.post(
                f"/learn/attempts/{attempt_id}/answers/{key}",
                data={f"answer-{key}": value},
                headers={"Accept": "application/json"},
            )
            statuses.append(response.status_code)
        except Exception as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=save, args=(option,)) for option in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == [] and sorted(statuses) == [200, 200]
    with race_app.app_context():
        stored = db.session.scalars(select(Answer).where(Answer.attempt_id == attempt_id)).all()
        assert len(stored) == 1 and stored[0].item_key == key and stored[0].value in ("a", "b")


def test_many_sign_ins_at_once_on_the_embedded_database(race_app, monkeypatch):
    """Sign-ins check the (slow, real scrypt) password outside any transaction, so on SQLite, where
    every transaction takes the write lock, they do not queue behind each other's hashes. The
    busy timeout is cut to 2 s so that holding the lock through a hash would show as errors."""
    monkeypatch.setitem(race_app.config, "PASSWORD_HASH_METHOD", None)
    monkeypatch.setitem(race_app.config, "LOGIN_LIMIT_PER_IP", "1000 per minute")  # one address for all
    monkeypatch.setattr(sqlite, "BUSY_TIMEOUT_MS", 2000)
    people = 40
    with race_app.app_context():
        db.engine.dispose()  # new connections, with the short timeout
        password_hash = generate_password_hash("correct-horse-battery")
        for n in range(people):
            user = User(email=f"signin{n}@banco.es", name=f"Gestor {n}", password_hash=password_hash)
            user.role_rows = [UserRole(role="manager")]
            db.session.add(user)
        db.session.commit()
    limiter.reset()
    race_app.test_client_class = FlaskClient
    barrier = threading.Barrier(people)
    statuses, errors = [], []

    def sign_in(n: int):
        client = race_app.test_client()
        try:
            barrier.wait(timeout=20)
            response = client.post(
                "/auth/login", data={"email": f"signin{n}@banco.es", "password": "correct-horse-battery"}
            )
            statuses.append(response.status_code)
        except Exception as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=sign_in, args=(n,)) for n in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and statuses == [302] * people


def test_two_trainers_opening_one_response_at_once_claim_it_once(race_app):
    """Two trainers open the same written answer at the same moment: one gets it, the other is told."""
    from werkzeug.datastructures import MultiDict

    from app.models import GradingTask
    from app.services import grading

    with race_app.app_context():
        user, attempt = started_attempt("fixture-quiz")
        attempts.save_answers(attempt, MultiDict({"answer-fx-open": "Mi plan"}), "es", ["fx-open"])
        attempts.submit(attempt)
        trainers = []
        for name in ("uno", "dos"):
            trainer = User(email=f"{name}@banco.es", name=name, password_hash="x")
            trainer.role_rows = [UserRole(role="admin")]  # the whole bank in scope
            db.session.add(trainer)
            trainers.append(trainer)
        db.session.commit()
        trainer_ids = [t.id for t in trainers]
        task_id = db.session.scalar(select(GradingTask.id))

    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def open_response(trainer_id: int):
        with race_app.app_context():
            try:
                trainer = db.session.get(User, trainer_id)
                task = grading.visible_task(trainer, task_id)
                db.session.commit()
                barrier.wait(timeout=10)
                try:
                    grading.claim(trainer, task)
                    outcomes.append(("won", trainer_id))
                except grading.GradingRefused as refused:
                    outcomes.append((refused.code, trainer_id))
                db.session.commit()
            except Exception as error:  # collected and asserted below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=open_response, args=(i,)) for i in trainer_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(code for code, _ in outcomes) == ["claimed", "won"]  # the loser is told it is claimed
    (winner,) = [who for code, who in outcomes if code == "won"]
    with race_app.app_context():
        assert db.session.get(GradingTask, task_id).claimed_by_id == winner
