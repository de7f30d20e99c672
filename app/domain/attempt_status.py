"""The status of an attempt, and of an assignment for one of its recipients, which follows from it.

Both are `StrEnum`s: a member is equal to its stored string (`AttemptStatus.SCORED == "scored"`),
so it compares with database values, JSON and template strings without conversion.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TypeVar

T = TypeVar("T")


class AttemptStatus(StrEnum):
    """Where one sitting of an exercise is: answers are being given, it waits for a trainer to
    grade its written answers, or every score is in."""

    IN_PROGRESS = "in_progress"
    AWAITING_GRADING = "awaiting_grading"
    SCORED = "scored"


class AssignmentStatus(StrEnum):
    """Where one recipient of an assignment is: no attempt yet, an attempt under way, or a
    submitted attempt (scored or waiting for grading). Never stored: derived from the attempt."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"

    @classmethod
    def of(cls, attempt_status: str | None) -> AssignmentStatus:
        """The recipient's status given their latest attempt's status (None: no attempt)."""
        if attempt_status is None:
            return cls.NOT_STARTED
        return cls.IN_PROGRESS if attempt_status == AttemptStatus.IN_PROGRESS else cls.COMPLETED


def answering_attempt(candidates: Sequence[T]) -> T | None:
    """Which of a recipient's attempts answers an assignment (candidates: attempts made or still
    open since it was assigned, oldest first): a submitted one completes it for good, even if a
    retake is under way; otherwise the latest under way."""
    submitted = [a for a in candidates if a.submitted_at is not None]
    return (submitted or list(candidates) or [None])[-1]
