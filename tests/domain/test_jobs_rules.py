"""The rules of a job's life, without a database."""

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import jobs

NOW = datetime(2026, 12, 1, 10, 0)
LEASE = timedelta(minutes=5)


def test_retries_wait_longer_each_time_up_to_a_ceiling():
    assert [jobs.retry_delay(n) for n in (1, 2, 3, 4)] == [5, 15, 45, 135]
    assert jobs.retry_delay(20) == 600
    with pytest.raises(ValueError):
        jobs.retry_delay(0)


@given(st.integers(min_value=1, max_value=60))
def test_a_later_retry_never_waits_less(attempt):
    assert jobs.retry_delay(attempt + 1) >= jobs.retry_delay(attempt) > 0


def test_a_running_job_is_taken_over_only_once_its_lease_has_run_out():
    assert jobs.may_claim("queued", None, NOW, LEASE)
    assert not jobs.may_claim("running", NOW - timedelta(minutes=4), NOW, LEASE)
    assert jobs.may_claim("running", NOW - timedelta(minutes=6), NOW, LEASE)
    assert not jobs.may_claim("succeeded", None, NOW, LEASE)
    assert not jobs.may_claim("failed", None, NOW, LEASE)
    assert not jobs.may_claim("draft", None, NOW, LEASE)  # a draft waits for its confirmation


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_percent_reaches_100_only_when_everything_is_done(done, total):
    shown = jobs.percent(done, total)
    assert 0 <= shown <= 100
    assert (shown == 100) == (done >= total)


def test_percent_is_unknown_before_the_size_is():
    assert jobs.percent(0, 0) is None


@given(st.lists(st.integers(), max_size=60), st.integers(min_value=1, max_value=9))
def test_batches_cover_every_row_once_in_order(rows, size):
    chunks = list(jobs.batches(rows, size))
    assert [row for chunk in chunks for row in chunk] == rows
    assert all(1 <= len(chunk) <= size for chunk in chunks)


def test_only_the_first_problems_are_kept():
    kept = jobs.kept_errors([f"e{n}" for n in range(40)], [f"f{n}" for n in range(40)])
    assert len(kept) == jobs.ERRORS_KEPT and kept[0] == "e0" and kept[-1] == "f9"
