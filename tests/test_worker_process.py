"""The job worker as it runs in production: a separate `flask jobs worker` process, queue storage
in a file (the embedded default) or in Redis (production), the application's database shared
(SQLite, or PostgreSQL when the suite runs on it).

A job queued while no worker runs is done once one starts; a worker killed in the middle of an
import leaves whole batches behind, and the next worker takes the job over when its lease runs
out and finishes it, without creating anyone twice.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from app.models import Job, OutboxMessage, User
from app.services import jobs, org, user_import
from app.services.users import UserData, create_user
from config import TestConfig

ROOT = Path(__file__).resolve().parent.parent
FLASK = str(Path(sys.executable).with_name("flask"))
HEADER = "email,name,career_level,org_unit,roles\n"


def rows(count: int) -> str:
    return HEADER + "".join(f"w{n:05d}@banco.es,Gestor {n},junior,Banco W/Norte,manager\n" for n in range(count))


@pytest.fixture
def database_url(tmp_path):
    """A database the test and a worker process share, committed for real: a SQLite file, or, when
    the suite runs on PostgreSQL, a database of its own on that server, dropped afterwards."""
    suite = os.environ.get("TEST_DATABASE_URL", "")
    if not suite.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'cartera.db'}"
        return
    name = f"cartera_worker_{os.getpid()}_{tmp_path.name[-12:]}".lower().replace("-", "_")
    server = make_url(suite)
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def shared(tmp_path, request, database_url):
    """An app on a database that a worker process can open too, and that worker's environment."""
    jobs_url = request.param if hasattr(request, "param") else f"sqlite:///{tmp_path / 'jobs.db'}"

    class SharedConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        JOBS_URL = jobs_url

    app = create_app(SharedConfig)
    with app.app_context():
        upgrade()
        from app import queue

        queue.huey.storage.flush_all()  # a Redis database left from an earlier run
        org.ensure_path(("Banco W", "Norte"))
        admin, _password = create_user(None, UserData(email="admin@banco.es", name="Admin", roles={"admin"}), "x" * 16)
        db.session.commit()
    env = {
        **os.environ,
        "CARTERA_CONFIG": "development",
        "DATABASE_URL": SharedConfig.SQLALCHEMY_DATABASE_URI,
        "JOBS_URL": jobs_url,
        "JOB_LEASE_SECONDS": "2",
        "FLASK_APP": "app",
        "FLASK_DEBUG": "0",
    }
    env.pop("TEST_DATABASE_URL", None)
    workers = []

    def start_worker() -> subprocess.Popen:
        worker = subprocess.Popen(  # noqa: S603  (our own flask command, no outside input)
            [FLASK, "jobs", "worker", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(tmp_path / f"worker{len(workers)}.log", "w"),  # noqa: SIM115  (closed with the process)
        )
        workers.append(worker)
        return worker

    try:
        yield app, start_worker
    finally:
        with app.app_context():
            db.engine.dispose()  # the database may be dropped next
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGINT)
                try:
                    worker.wait(10)
                except subprocess.TimeoutExpired:
                    worker.kill()


def queue_import(app, text: str) -> int:
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "admin@banco.es"))
        job = user_import.stage(admin, text, "people.csv", rows=text.count("\n") - 1)
        jobs.confirm(job)
        db.session.commit()
        return job.id


def job_state(app, job_id: int) -> tuple[str, int, int]:
    with app.app_context():
        job = db.session.get(Job, job_id)
        state = (job.state, job.done, job.attempts)
        db.session.rollback()
        return state


def wait_for(app, job_id: int, until, timeout: float = 120) -> tuple[str, int, int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = job_state(app, job_id)
        if until(state):
            return state
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {job_state(app, job_id)} after {timeout} s")


def counted(app, model, *where) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(model).where(*where))
        db.session.rollback()
        return count


def test_a_job_queued_with_no_worker_runs_when_one_starts(shared):
    app, start_worker = shared
    job_id = queue_import(app, rows(30))
    time.sleep(0.5)
    assert job_state(app, job_id) == ("queued", 0, 0)
    start_worker()
    assert wait_for(app, job_id, lambda s: s[0] == "succeeded")[1] == 30
    assert counted(app, User, User.email.like("w%@banco.es")) == 30
    # The worker also delivered the invitations (the embedded outbox keeps them).
    deadline = time.monotonic() + 30
    while counted(app, OutboxMessage, OutboxMessage.sent_at.is_not(None)) < 30 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert counted(app, OutboxMessage, OutboxMessage.sent_by == "outbox") == 30


def test_a_killed_worker_leaves_whole_batches_and_the_next_one_finishes_the_job(shared):
    app, start_worker = shared
    job_id = queue_import(app, rows(1000))
    first = start_worker()
    wait_for(app, job_id, lambda s: s[1] >= 100)
    first.kill()  # SIGKILL: no goodbye, the job stays "running" with its claim
    first.wait(10)
    state, done, attempts = job_state(app, job_id)
    assert state == "running" and 0 < done < 1000 and done % 50 == 0 and attempts == 1
    assert counted(app, User, User.email.like("w%@banco.es")) == done  # committed batches only, whole
    start_worker()  # on start it takes back jobs whose lease ran out
    state, done, attempts = wait_for(app, job_id, lambda s: s[0] == "succeeded")
    assert (done, attempts) == (1000, 2)
    assert counted(app, User, User.email.like("w%@banco.es")) == 1000
    assert counted(app, OutboxMessage, OutboxMessage.kind == "invitation") == 1000  # one each


# A Redis database of its own per test process (the SQLite and PostgreSQL suites may run at once).
@pytest.mark.parametrize("shared", [f"redis://127.0.0.1:6379/{8 + os.getpid() % 8}"], indirect=True)
def test_the_production_queue_in_redis_carries_jobs_to_the_worker(shared):
    app, start_worker = shared
    job_id = queue_import(app, rows(20))
    start_worker()
    assert wait_for(app, job_id, lambda s: s[0] == "succeeded")[1] == 20
