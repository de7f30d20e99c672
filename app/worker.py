"""The worker's side of jobs and mail: where their transactions begin and end.

A request commits once, at its end (app/transactions.py); a queued task does the same here
(`task`). Two kinds of work commit more often, on purpose, and only here:
- a job: its claim is committed before the work starts (so others see it running), each batch
  with its progress report (so a job cut short resumes after its last batch), and its outcome;
- mail through SMTP: each message as it leaves (so a retry never sends it twice).
Services flush; they never commit.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select, update

from app.domain import jobs as rules
from app.extensions import db
from app.models import Job
from app.models.users import utcnow
from app.services import jobs, outbox

SQLITE_PAUSE = 0.1  # seconds between batches on SQLite: its busy handler retries every few ms to 100 ms


class Superseded(Exception):
    """Another worker holds the job now (this one outlived its lease): stop without a word."""


def task(work: Callable, *args) -> object:
    """A queued task's one transaction: committed if the work returns, rolled back if it raises."""
    try:
        result = work(*args)
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
    return result


def deliver_mail() -> int:
    """Send what the outbox holds: kept in the app (the embedded default), or through SMTP, each
    message committed as it leaves. Raises if any could not be sent (the task is retried with
    backoff). Returns how many were handled."""
    if current_app.config["MAIL_BACKEND"] == "outbox":
        return task(outbox.keep_in_app)
    messages = outbox.pending()
    failures = []
    with outbox.connection() as connection:
        for message in messages:
            if not outbox.send(message, connection):
                failures.append(message.id)
            db.session.commit()
    if failures:
        raise RuntimeError(f"{len(failures)} message(s) could not be sent: {failures[:10]}")
    return len(messages)


class Progress:
    """What a handler reports (services.jobs.Progress); each report commits the batch it closes."""

    def __init__(self, job: Job, claim: str):
        self.job = job
        self.claim = claim

    @property
    def done(self) -> int:
        return self.job.done

    def total(self, total: int) -> None:
        self.job.total = total
        self._commit()

    def advance(self, count: int = 1, errors: list[str] | None = None, **counts: int) -> None:
        """`count` more units done; `counts` add to the result shown (created=3, invited=3)."""
        self.job.done += count
        if errors:
            self.job.errors = rules.kept_errors(list(self.job.errors), errors)
            counts["errors"] = counts.get("errors", 0) + len(errors)
        if counts:
            result = dict(self.job.result)
            for name, value in counts.items():
                result[name] = result.get(name, 0) + value
            self.job.result = result
        self._commit()

    def outside_transaction(self, done: int) -> None:
        """Progress of work that holds one transaction to its end (nothing of it may be committed
        before): written through a connection of its own, where the database lets it (PostgreSQL;
        SQLite's single writer is the job itself, so there the page shows it running, no more)."""
        if db.engine.dialect.name == "sqlite":
            return
        with db.engine.begin() as connection:
            connection.execute(update(Job).where(Job.id == self.job.id).values(done=done, heartbeat_at=utcnow()))

    def _commit(self) -> None:
        self.job.heartbeat_at = utcnow()
        db.session.flush()
        db.session.commit()
        if db.session.get_bind().dialect.name == "sqlite":
            # On the embedded SQLite every transaction takes the write lock (app/sqlite.py), and the
            # next batch would take it back at once: the pages waiting for it (this job's progress
            # page too) get in first.
            time.sleep(SQLITE_PAUSE)
        if self.job.claim != self.claim:  # re-read after the commit: still ours?
            raise Superseded


def _claim(job_id: int, now: datetime) -> tuple[Job, str] | None:
    job = db.session.scalar(select(Job).where(Job.id == job_id).with_for_update())
    if job is None or not rules.may_claim(job.state, job.heartbeat_at, now, jobs.lease(job)):
        db.session.rollback()
        return None
    claim = secrets.token_hex(16)
    job.state = rules.RUNNING
    job.claim = claim
    job.attempts += 1
    job.started_at = job.started_at or now
    job.heartbeat_at = now
    db.session.commit()
    return job, claim


def run(job_id: int, now: datetime | None = None) -> float | None:
    """Run a job in this worker. Returns the seconds to wait before retrying, or None when there is
    nothing more to do (finished, failed for good, or someone else's)."""
    claimed = _claim(job_id, now or utcnow())
    if claimed is None:
        return None
    job, claim = claimed
    locale = (job.owner.locale if job.owner else None) or current_app.config["BABEL_DEFAULT_LOCALE"]
    try:
        with force_locale(locale):  # its messages and files in the language of whoever asked
            result = jobs.handler(job.kind)(job, Progress(job, claim))
    except Superseded:
        db.session.rollback()
        return None
    except jobs.Refused as refused:
        db.session.rollback()
        return _finish(job, claim, rules.FAILED, errors=refused.errors, error=str(refused))
    except Exception as error:  # noqa: BLE001  (any failure of the work is recorded and retried)
        db.session.rollback()
        current_app.logger.exception("job %s (%s) failed on attempt %s", job_id, job.kind, job.attempts)
        return _finish(job, claim, rules.FAILED, error=f"{type(error).__name__}: {error}", retry=True)
    return _finish(job, claim, rules.SUCCEEDED, result=result or {})


def _finish(job: Job, claim: str, state: str, *, result=None, errors=None, error=None, retry=False) -> float | None:
    job = db.session.scalar(select(Job).where(Job.id == job.id).with_for_update())
    if job is None or job.claim != claim:
        db.session.rollback()
        return None
    now = utcnow()
    delay = None
    job.claim = None
    job.heartbeat_at = now
    if retry and job.attempts < current_app.config["JOB_ATTEMPTS"]:
        delay = rules.retry_delay(job.attempts)
        job.state = rules.QUEUED
        job.not_before = now + timedelta(seconds=delay)
        job.last_error = error
    else:
        job.state = state
        job.finished_at = now
        job.last_error = error or job.last_error  # a success after a retry keeps what went wrong
        if result is not None:
            job.result = {**job.result, **result}
        if state == rules.SUCCEEDED:
            job.done = max(job.done, job.total)
        if errors:
            job.errors = rules.kept_errors(list(job.errors), errors)
    db.session.commit()
    return delay
