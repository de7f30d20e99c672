"""Background jobs: start one, run it in a worker, show its progress, keep its file.

A job is a row (app/models/jobs.py). Starting one stores the row in the caller's transaction and,
once that commits, sends the queue a message naming it (app/queue.py). A worker claims the row,
runs the kind's handler and records the outcome. Handlers report progress at the end of each
batch; that commit stores the batch's work and the count together, so a job cut short resumes
after the last batch it finished (`job.done`) and never does a row twice.

Guarantees (docs/jobs.md): asking twice for the same work finds the first job (`key`); a failed
attempt is retried after 5, 15, 45 s, then the job is shown as failed with its error; a job whose
worker died is claimed again once its lease runs out; only the claim's holder completes it.
"""

from __future__ import annotations

import importlib
import os
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session, joinedload

from app.domain import jobs as rules
from app.extensions import db
from app.models import Job, User
from app.models.users import utcnow
from app.services.errors import NotFound

# kind → "module:function" taking (job, progress) and returning the result to show. Imported when
# a job of that kind runs, so this module stays below the services that hold the work.
HANDLERS = {
    "users.import": "app.services.user_import:run_import",
    "export": "app.services.exports:run_export",
    "reports.pdf": "app.services.report_pdf:run_unit_reports",
    "demo.generate": "app.services.synthetic_bank:run_generate",
}
KIND_LABELS = {
    "users.import": _l("Import of users"),
    "export": _l("Export"),
    "reports.pdf": _l("Individual reports (PDF)"),
    "demo.generate": _l("Synthetic managers"),
}
STATE_LABELS = {
    rules.DRAFT: _l("Waiting for confirmation"),
    rules.QUEUED: _l("Waiting to start"),
    rules.RUNNING: _l("Running"),
    rules.SUCCEEDED: _l("Finished"),
    rules.FAILED: _l("Failed"),
}
LOST_AFTER = timedelta(minutes=1)
SQLITE_PAUSE = 0.1  # seconds between batches on SQLite: its busy handler retries every few ms to 100 ms  # a queued job whose message has not run by then is sent again


class Refused(Exception):
    """The job cannot succeed however often it is tried (its input is wrong): fail it at once."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:3]))
        self.errors = errors


class Superseded(Exception):
    """Another worker holds the job now (this one outlived its lease): stop without a word."""


def start(
    kind: str,
    owner: User | None,
    params: dict,
    key: str,
    total: int = 0,
    draft: bool = False,
    lease_seconds: int | None = None,
) -> Job:
    """The job for `key`, created and queued (after the commit) if there was none. A draft waits
    for `confirm` (an import waits for its preview to be accepted)."""
    if kind not in HANDLERS:
        raise ValueError(f"no handler for jobs of kind {kind!r}")
    existing = db.session.scalar(select(Job).where(Job.key == key))
    if existing is not None:
        return existing
    job = Job(
        kind=kind,
        key=key,
        owner=owner,
        params=params,
        total=total,
        state=rules.DRAFT if draft else rules.QUEUED,
        not_before=utcnow(),
        lease_seconds=lease_seconds,
    )
    db.session.add(job)
    db.session.flush()
    if not draft:
        _publish_after_commit(job.id)
    return job


def confirm(job: Job) -> Job:
    """A draft starts; confirming twice (a double-click) changes nothing."""
    if job.state == rules.DRAFT:
        job.state = rules.QUEUED
        job.not_before = utcnow()
        db.session.flush()
        _publish_after_commit(job.id)
    return job


def new_key(*parts: object) -> str:
    """A key for work that is new each time it is asked for (a random part), as opposed to a key
    that names the work itself."""
    return ":".join(str(p) for p in (*parts, secrets.token_hex(8)))


def _publish_after_commit(job_id: int) -> None:
    db.session().info.setdefault("jobs_to_publish", []).append(job_id)


def _after_commit(session: Session) -> None:
    from app import queue

    for job_id in session.info.pop("jobs_to_publish", []):
        queue.publish(job_id)
    for assignment_id in session.info.pop("assignments_to_notify", []):
        queue.notify_assignment(assignment_id)
    if session.info.pop("mail_to_deliver", False):
        queue.publish_delivery()


def _after_rollback(session: Session) -> None:
    for name in ("jobs_to_publish", "assignments_to_notify", "mail_to_deliver"):
        session.info.pop(name, None)


def configure() -> None:
    """Messages leave only after the rows they name are committed: a worker never looks for a
    job that is not there yet, and a rolled-back request sends nothing."""
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", lambda session, _previous: _after_rollback(session))


class Progress:
    """What a handler reports; each report commits the batch it closes."""

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


def _handler(kind: str) -> Callable:
    module, name = HANDLERS[kind].split(":")
    return getattr(importlib.import_module(module), name)


def _lease(job: Job) -> timedelta:
    return timedelta(seconds=job.lease_seconds or current_app.config["JOB_LEASE_SECONDS"])


def _claim(job_id: int, now: datetime) -> tuple[Job, str] | None:
    job = db.session.scalar(select(Job).where(Job.id == job_id).with_for_update())
    if job is None or not rules.may_claim(job.state, job.heartbeat_at, now, _lease(job)):
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
            result = _handler(job.kind)(job, Progress(job, claim))
    except Superseded:
        db.session.rollback()
        return None
    except Refused as refused:
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


def requeue_lost(now: datetime | None = None) -> int:
    """Queued jobs whose message was lost, and running ones whose worker stopped reporting, are sent
    again (the sweep runs every minute). Returns how many."""
    from app import queue

    now = now or utcnow()
    queued = db.session.scalars(
        select(Job.id).where(Job.state == rules.QUEUED, Job.not_before < now - LOST_AFTER)
    ).all()
    running = db.session.scalars(select(Job).where(Job.state == rules.RUNNING)).all()
    lost = [*queued, *(job.id for job in running if rules.may_claim(job.state, job.heartbeat_at, now, _lease(job)))]
    # Drafts nobody confirmed within a day are dropped (an import's preview holds the whole file).
    db.session.execute(
        update(Job)
        .where(Job.state == rules.DRAFT, Job.created_at < now - timedelta(days=1))
        .values(state=rules.FAILED, finished_at=now, params={}, last_error="not confirmed within a day")
    )
    db.session.execute(update(Job).where(Job.id.in_(lost)).values(not_before=now))
    db.session.commit()
    for job_id in lost:
        queue.publish(job_id)
    return len(lost)


def visible(viewer: User, job_id: int) -> Job:
    """The viewer's own job; an administrator sees everyone's. Others' are not found."""
    job = db.session.get(Job, job_id)
    if job is None or not (job.owner_id == viewer.id or viewer.has_role("admin")):
        raise NotFound("job")
    return job


def listed(viewer: User, limit: int = 50) -> list[Job]:
    query = (
        select(Job)
        .where(Job.state != rules.DRAFT)
        .options(joinedload(Job.owner))
        .order_by(Job.created_at.desc(), Job.id.desc())
        .limit(limit)
    )
    if not viewer.has_role("admin"):
        query = query.where(Job.owner_id == viewer.id)
    return list(db.session.scalars(query))


def status(job: Job) -> dict:
    """What the job page's script reads (and the page itself shows)."""
    return {
        "id": job.id,
        "kind": job.kind,
        "state": job.state,
        "finished": job.state in rules.FINISHED,
        "done": job.done,
        "total": job.total,
        "percent": rules.percent(job.done, job.total),
        "errors": list(job.errors),
        "result": dict(job.result),
        "attempts": job.attempts,
        "last_error": job.last_error,
        "has_file": bool(job.file_name) and job.state == rules.SUCCEEDED,
    }


def files_dir() -> Path:
    path = Path(current_app.config["JOB_FILES_DIR"] or os.path.join(current_app.instance_path, "job-files"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_path(job: Job) -> Path:
    """Where the job's file is kept: the job's id and a random part the database alone knows."""
    return files_dir() / f"job-{job.id}-{job.params['file_token']}"


def writing_file(job: Job, name: str) -> Path:
    """A temporary path to write the file to; `kept_file` puts it in place when it is complete."""
    if "file_token" not in job.params:
        job.params = {**job.params, "file_token": secrets.token_hex(12)}
    job.file_name = name
    return file_path(job).with_suffix(".part")


def kept_file(job: Job, written: Path) -> None:
    os.replace(written, file_path(job))


def finished_file_of(viewer: User, job_id: int) -> Job:
    """A finished job's file, only for whoever asked for it: not found for anyone else, or while
    there is none."""
    job = db.session.get(Job, job_id)
    if job is None or job.owner_id != viewer.id or job.state != rules.SUCCEEDED or not job.file_name:
        raise NotFound("job file")
    if not file_path(job).exists():
        raise NotFound("job file")
    return job


def expire_files(now: datetime | None = None) -> int:
    """Files older than JOB_FILE_DAYS are deleted (they hold personal data); their job pages say so.
    Returns how many."""
    now = now or utcnow()
    cutoff = now - timedelta(days=current_app.config["JOB_FILE_DAYS"])
    old = db.session.scalars(
        select(Job).where(Job.state == rules.SUCCEEDED, Job.file_name.is_not(None), Job.finished_at < cutoff)
    ).all()
    for job in old:
        file_path(job).unlink(missing_ok=True)
        job.file_name = None
        job.result = {**job.result, "file_expired": True}
    db.session.commit()
    return len(old)
