"""The job queue: Huey carries short messages ("run job 12", "deliver the mail"); the application's
database holds what each job is and how far it got (app/models/jobs.py, app/services/jobs.py).

Storage comes from JOBS_URL: Huey's SQLite storage in a file beside the embedded database
(`make run` starts a worker next to the server), Redis in production, memory in tests, where the
test drains the queue itself (`drain`). Why Huey, and what survives what: docs/jobs.md.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey, crontab
from huey.exceptions import RetryTask
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage


class _AppHuey(Huey):
    """Each application has its own storage, made on first use: the worker's thread (no
    application context) uses the application that started it."""

    @property
    def storage(self):
        app = current_app._get_current_object() if has_app_context() else _app
        if app is None:
            raise RuntimeError("the queue has no application: call app.queue.init_app(app)")
        if "cartera.queue" not in app.extensions:
            app.extensions["cartera.queue"] = storage_for(app.config["JOBS_URL"], app.instance_path)
        return app.extensions["cartera.queue"]

    @storage.setter
    def storage(self, _value) -> None:
        pass  # Huey's constructor sets one; ours comes from the application


# Retries are counted and spaced by the job's own row (app/domain/jobs.retry_delay); Huey only
# keeps the delayed message. Results live in the database, so Huey stores none.
huey = _AppHuey("cartera", results=False, storage_class=MemoryStorage)
_app: Flask | None = None  # the application of a worker process


def storage_for(url: str, instance_path: str):
    if url == "memory://":
        return MemoryStorage("cartera")
    if url.startswith("redis://"):
        return RedisStorage("cartera", url=url)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path = path if path.is_absolute() else Path(instance_path) / path
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteStorage("cartera", filename=str(path))
    raise ValueError(f"JOBS_URL must be sqlite:///FILE, redis://HOST:PORT/DB or memory://, not {url!r}")


def init_app(app: Flask) -> None:
    """The last application made in a process is the one its worker threads use."""
    global _app
    _app = app


def _in_app(work, *args):
    """Each task runs in an application context of its own (its own database session)."""
    app = current_app._get_current_object() if has_app_context() else _app
    if app is None:
        raise RuntimeError("the queue has no application: call app.queue.init_app(app)")
    with app.app_context():
        return work(*args)


def _in_transaction(work, *args):
    """A task's work in its own application context and one transaction (app/worker.task)."""
    from app import worker

    return _in_app(worker.task, work, *args)


@huey.task(name="run_job")
def run_job(job_id: int) -> None:
    from app import worker

    delay = _in_app(worker.run, job_id)  # the job commits its claim, batches and outcome itself
    if delay is not None:  # a failed attempt with attempts left: run again later
        raise RetryTask(delay=delay)


@huey.task(name="deliver_mail", retries=5, retry_delay=10, retry_backoff=3)
def deliver_mail() -> None:
    from app import worker

    _in_app(worker.deliver_mail)


@huey.task(name="notify_assignment", retries=5, retry_delay=10, retry_backoff=3)
def notify_assignment(assignment_id: int) -> None:
    from app.services import notices

    _in_transaction(notices.assignment_created, assignment_id)


def recover() -> None:
    """Jobs whose message was lost or whose worker died are queued again, and pending mail sent."""
    from app import worker
    from app.services import jobs

    _in_transaction(jobs.requeue_lost)
    _in_app(worker.deliver_mail)


@huey.periodic_task(crontab(minute="*"), name="sweep")
def sweep() -> None:
    """Every minute: a restart loses nothing but a minute."""
    recover()


@huey.periodic_task(crontab(minute="7"), name="reminders")
def reminders() -> None:
    """Every hour: reminders two days before a due date, each trainer's overdue digest, and job
    files past their keeping time deleted."""
    from app.services import jobs, notices

    _in_transaction(notices.send_due)
    _in_transaction(jobs.expire_files)


def publish(job_id: int, delay: float | None = None) -> None:
    if delay:
        run_job.schedule((job_id,), delay=delay)
    else:
        run_job(job_id)


def publish_delivery() -> None:
    deliver_mail()


def drain(limit: int = 1000) -> int:
    """Run every message waiting, delayed ones included, in this thread (tests and `flask jobs
    run`): a retry due in ten seconds runs now. Returns how many ran."""
    ran = 0
    while ran < limit:
        task = huey.dequeue()
        if task is None:
            delayed = huey.read_schedule(datetime(9999, 1, 1))
            if not delayed:
                return ran
            for waiting in delayed:
                waiting.eta = None
                huey.enqueue(waiting)
            continue
        huey.execute(task)
        ran += 1
    raise RuntimeError(f"the queue still had messages after {limit}: a job keeps queueing itself")


def work(workers: int = 2) -> None:
    """The consumer: worker threads, the scheduler of delayed retries and the periodic tasks. A
    worker that starts first takes back what a stopped one left (jobs past their lease, mail)."""
    recover()
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True, check_worker_health=True)
    consumer.run()
