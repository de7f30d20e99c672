"""Recording audit events. The caller's transaction carries them: no event without its change."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import AuditEvent, User


def record(actor: User | None, action: str, target: str = "", **details) -> AuditEvent:
    event = AuditEvent(actor=actor, action=action, target=target, details=details)
    db.session.add(event)
    return event


def page_of_events(page: int, per_page: int, action: str | None = None):
    query = (
        select(AuditEvent)
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    if action:
        query = query.where(AuditEvent.action == action)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def known_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
