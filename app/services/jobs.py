"""Background jobs: start one, show its progress, keep its file (app/worker.py runs them).

A job is a row (app/models/jobs.py). Starting one stores the row in the caller's transaction and,
once that commits, sends the queue a message naming it (app/queue.py). A worker (app/worker.py)
claims the row, runs the kind's handler and records the outcome. Handlers report progress at the
end of each batch; the worker's commit stores the batch's work and the count together, so a job
cut short resumes after the last batch it finished (`job.done`) and never does a row twice.

Guarantees (docs/jobs.md): asking twice for the same work finds the first job (`key`); a failed
attempt is retried after 5, 15, 45 s, then the job is shown as failed with its error; a job whose
worker died is claimed again once its lease runs out; only the claim's holder completes it.
"""

from __future__ import annotations

import importlib
import os
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from flask import current_app
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
LOST_AFTER = timedelta(minutes=1)  # a queued job whose message has not run by then is sent again


class Refused(Exception):
    """The job cannot succeed however often it is tried (its input is wrong): fail it at once."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:3]))
        self.errors = errors


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


class Progress(Protocol):
    """What a handler reports to the worker (app/worker.py). Each report closes a batch: the
    worker commits the batch's work with the count, so a job cut short resumes at `done`."""

    @property
    def done(self) -> int: ...

    def total(self, total: int) -> None: ...

    def advance(self, count: int = 1, errors: list[str] | None = None, **counts: int) -> None: ...

    def outside_transaction(self, done: int) -> None: ...


def handler(kind: str) -> Callable:
    module, name = HANDLERS[kind].split(":")
    return getattr(importlib.import_module(module), name)


def lease(job: Job) -> timedelta:
    return timedelta(seconds=job.lease_seconds or current_app.config["JOB_LEASE_SECONDS"])


def requeue_lost(now: datetime | None = None) -> int:
    """Queued jobs whose message was lost, and running ones whose worker stopped reporting, are sent
    again once the caller commits (the sweep runs every minute). Returns how many."""
    now = now or utcnow()
    queued = db.session.scalars(
        select(Job.id).where(Job.state == rules.QUEUED, Job.not_before < now - LOST_AFTER)
    ).all()
    running = db.session.scalars(select(Job).where(Job.state == rules.RUNNING)).all()
    lost = [*queued, *(job.id for job in running if rules.may_claim(job.state, job.heartbeat_at, now, lease(job)))]
    # Drafts nobody confirmed within a day are dropped (an import's preview holds the whole file).
    db.session.execute(
        update(Job)
        .where(Job.state == rules.DRAFT, Job.created_at < now - timedelta(days=1))
        .values(state=rules.FAILED, finished_at=now, params={}, last_error="not confirmed within a day")
    )
    db.session.execute(update(Job).where(Job.id.in_(lost)).values(not_before=now))
    for job_id in lost:
        _publish_after_commit(job_id)
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
    db.session.flush()
    return len(old)
