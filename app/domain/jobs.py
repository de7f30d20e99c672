"""The rules of a background job's life, without the database: states, retries, leases, progress."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

DRAFT, QUEUED, RUNNING, SUCCEEDED, FAILED = "draft", "queued", "running", "succeeded", "failed"
JOB_STATES = (DRAFT, QUEUED, RUNNING, SUCCEEDED, FAILED)
FINISHED = frozenset({SUCCEEDED, FAILED})
ERRORS_KEPT = 50  # a job's page lists this many problems; the count says how many there were


def retry_delay(attempt: int, first: float = 5.0, factor: float = 3.0, ceiling: float = 600.0) -> float:
    """Seconds before the retry that follows failed attempt `attempt` (1, 2, ...): 5, 15, 45 ... s."""
    if attempt < 1:
        raise ValueError("attempts are counted from 1")
    return min(first * factor ** (attempt - 1), ceiling)


def may_claim(state: str, heartbeat_at: datetime | None, now: datetime, lease: timedelta) -> bool:
    """A worker may take a queued job, or a running one whose holder has not reported within the
    lease (its worker died): the job then runs again from its last committed step."""
    if state == QUEUED:
        return True
    return state == RUNNING and (heartbeat_at is None or heartbeat_at < now - lease)


def percent(done: int, total: int) -> int | None:
    """Whole percent done, never 100 before the last unit; None while the size is unknown."""
    if total <= 0:
        return None
    share = int(100 * min(done, total) / total)
    return 99 if share == 100 and done < total else share


def batches(rows: Sequence, size: int) -> Iterator[Sequence]:
    if size < 1:
        raise ValueError("a batch holds at least one row")
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def kept_errors(errors: list, new: list) -> list:
    """The first ERRORS_KEPT problems: a 7,000-row file with a bad column does not fill the page."""
    return (errors + new)[:ERRORS_KEPT]
