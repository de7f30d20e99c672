"""Typed SQLAlchemy models, one module per area. Importing this package registers them all."""

from app.models.assignments import Assignment, AssignmentRecipient
from app.models.attempts import Answer, Attempt, AttemptScore, ScenarioDecision
from app.models.audit import AuditEvent
from app.models.content import ContentDocument, ContentDraft, ContentVersion
from app.models.grading import Grade, Grading, GradingTask, Notice
from app.models.jobs import Job, OutboxMessage
from app.models.profiles import ProfileScore, SelfScore
from app.models.reporting import (
    AssignmentCount,
    CohortLevel,
    CohortMonth,
    ItemSetItemSum,
    ItemSetSum,
    ItemSum,
    OptionCount,
)
from app.models.users import OrgUnit, User, UserRole, UserScope

__all__ = [
    "Answer",
    "Assignment",
    "AssignmentRecipient",
    "Attempt",
    "AttemptScore",
    "AuditEvent",
    "AssignmentCount",
    "CohortLevel",
    "CohortMonth",
    "ItemSetItemSum",
    "ItemSetSum",
    "ItemSum",
    "OptionCount",
    "ContentDocument",
    "ContentDraft",
    "ContentVersion",
    "Grade",
    "Grading",
    "GradingTask",
    "Job",
    "Notice",
    "OrgUnit",
    "OutboxMessage",
    "ProfileScore",
    "ScenarioDecision",
    "SelfScore",
    "User",
    "UserRole",
    "UserScope",
]
