"""Jobs through the real queue (Huey, in memory): retries with backoff, leases, idempotent keys,
messages sent only after the commit, and who sees what."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import queue, worker
from app.extensions import db
from app.models import Job
from app.models.users import utcnow
from app.services import jobs
from app.services.errors import NotFound

RUNS: list[int] = []


def counting(job, progress):
    """A job of ten units, two per batch, that fails while its params say so."""
    RUNS.append(job.id)
    progress.total(10)
    while progress.done < 10:
        if job.params.get("fail_at") == progress.done and job.attempts <= job.params.get("fail_times", 0):
            raise ConnectionError(f"lost the database at {progress.done}")
        progress.advance(2, errors=["row 3: odd"] if progress.done == 2 else None, seen=2)
    return {"finished": True}


@pytest.fixture(autouse=True)
def _test_kinds(monkeypatch):
    RUNS.clear()
    monkeypatch.setitem(jobs.HANDLERS, "test.counting", f"{__name__}:counting")


def start(owner, key="k1", **params) -> Job:
    return jobs.start("test.counting", owner, params, key)


def test_a_job_runs_once_its_request_commits_and_reports_its_progress(make_user, run_queued):
    owner = make_user("hr")
    job = start(owner)
    assert len(queue.huey) == 0  # nothing is sent before the commit: the worker would not find the row
    run_queued()
    db.session.refresh(job)
    assert (job.state, job.done, job.total, job.attempts) == ("succeeded", 10, 10, 1)
    assert job.result == {"seen": 10, "errors": 1, "finished": True} and job.errors == ["row 3: odd"]
    assert jobs.status(job)["percent"] == 100 and jobs.status(job)["finished"]


def test_asking_twice_for_the_same_work_finds_the_first_job(make_user, run_queued):
    owner = make_user("hr")
    assert start(owner).id == start(owner).id
    run_queued()
    assert RUNS == [RUNS[0]]  # ran once
    assert start(owner).state == "succeeded"  # and is not started again


def test_a_failed_attempt_is_retried_later_and_resumes_after_its_last_batch(make_user, run_queued):
    owner = make_user("hr")
    job = start(owner, fail_at=6, fail_times=2)
    run_queued()  # the test's drain runs delayed retries at once
    db.session.refresh(job)
    assert (job.state, job.attempts, job.done) == ("succeeded", 3, 10)
    assert job.result["seen"] == 10  # batches done before the failures were not done again
    assert job.last_error == "ConnectionError: lost the database at 6"


def test_a_job_that_keeps_failing_is_shown_as_failed_with_its_error(app, make_user, run_queued):
    owner = make_user("hr")
    job = start(owner, fail_at=0, fail_times=99)
    run_queued()
    db.session.refresh(job)
    assert (job.state, job.attempts) == ("failed", app.config["JOB_ATTEMPTS"])
    assert job.last_error == "ConnectionError: lost the database at 0" and job.finished_at is not None
    assert len(RUNS) == app.config["JOB_ATTEMPTS"]


def test_retries_are_scheduled_with_growing_delays(make_user, run_queued):
    owner = make_user("hr")
    job = start(owner, fail_at=0, fail_times=2)
    db.session.commit()
    first = queue.huey.dequeue()
    queue.huey.execute(first)  # attempt 1 fails
    [retry] = queue.huey.scheduled()
    waited = (retry.eta - utcnow()).total_seconds()
    assert 3 < waited <= 5  # the first retry waits 5 s (the second 15 s, app/domain/jobs.retry_delay)
    db.session.refresh(job)
    assert (job.state, job.attempts) == ("queued", 1) and job.not_before > utcnow()
    run_queued()
    db.session.refresh(job)
    assert job.state == "succeeded"


def test_a_running_job_whose_worker_died_is_taken_over_after_its_lease(app, make_user, run_queued):
    owner = make_user("hr")
    job = start(owner)
    db.session.flush()
    job.state, job.claim, job.attempts = "running", "a-dead-worker", 1
    job.heartbeat_at = utcnow() - timedelta(seconds=app.config["JOB_LEASE_SECONDS"] - 30)
    db.session.commit()
    queue.huey.flush()
    assert jobs.requeue_lost() == 0  # still within its lease: maybe only slow
    job.heartbeat_at = utcnow() - timedelta(seconds=app.config["JOB_LEASE_SECONDS"] + 30)
    db.session.commit()
    assert jobs.requeue_lost() == 1
    db.session.commit()  # the sweep's task commits; the message leaves after that
    queue.drain()
    db.session.refresh(job)
    assert (job.state, job.attempts, job.claim) == ("succeeded", 2, None)


def test_a_lost_message_is_sent_again_by_the_sweep(make_user, run_queued):
    owner = make_user("hr")
    job = start(owner)
    db.session.commit()
    queue.huey.flush()  # the message is lost (a Redis without persistence restarted, say)
    assert jobs.requeue_lost() == 0  # too soon to call it lost
    job.not_before = utcnow() - timedelta(minutes=2)
    db.session.commit()
    assert jobs.requeue_lost() == 1
    db.session.commit()  # the sweep's task commits; the message leaves after that
    queue.drain()
    db.session.refresh(job)
    assert job.state == "succeeded"


def test_a_worker_that_outlived_its_lease_does_not_finish_someone_elses_job(make_user, run_queued):
    owner = make_user("hr")
    job = start(owner)
    db.session.commit()
    claimed, claim = worker._claim(job.id, utcnow())
    claimed.claim = "a-second-worker"  # the lease ran out and another worker took the job
    db.session.commit()
    progress = worker.Progress(claimed, claim)
    with pytest.raises(worker.Superseded):
        progress.advance(1)


def test_people_see_their_own_jobs_and_admins_everyones(make_user):
    hr, other, admin = make_user("hr"), make_user("hr"), make_user("admin")
    job = start(hr)
    assert jobs.visible(hr, job.id) is job and jobs.visible(admin, job.id) is job
    with pytest.raises(NotFound):
        jobs.visible(other, job.id)
    assert jobs.listed(other) == [] and jobs.listed(admin) == [job]


def test_drafts_wait_for_confirmation_and_are_dropped_after_a_day(make_user, run_queued):
    owner = make_user("admin")
    draft = jobs.start("test.counting", owner, {}, "draft-1", draft=True)
    assert run_queued() == 0 and draft.state == "draft"
    draft.created_at = utcnow() - timedelta(days=2)
    db.session.commit()
    jobs.requeue_lost()
    db.session.commit()
    db.session.refresh(draft)
    assert draft.state == "failed" and draft.params == {}
    assert db.session.scalar(select(Job.state).where(Job.id == draft.id)) == "failed"


def test_the_minutely_sweep_commits_its_own_transaction_and_then_sends(make_user):
    """The periodic task as the consumer runs it: the lost job is queued again only once the
    sweep's transaction has committed."""
    job = start(make_user("hr"))
    db.session.commit()
    queue.huey.flush()
    job.not_before = utcnow() - timedelta(minutes=2)
    db.session.commit()
    queue.sweep.call_local()
    assert len(queue.huey) == 1
    queue.drain()
    db.session.refresh(job)
    assert job.state == "succeeded"
