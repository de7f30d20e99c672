"""Background jobs and the mail outbox: the durable state the queue's messages point at.

The queue (app/queue.py) only carries "run job 12"; what a job is, how far it got, what went wrong
and what it produced live here, in the application's database, so a lost message or a restarted
worker loses nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.jobs import JOB_STATES
from app.extensions import db
from app.models.users import User, _in, utcnow


class Job(db.Model):
    __tablename__ = "jobs"
    __table_args__ = (CheckConstraint(_in("state", JOB_STATES), name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    # Asking twice for the same work (a double-click, a retried POST) finds the first job.
    key: Mapped[str] = mapped_column(String(120), unique=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list] = mapped_column(JSON, default=list)
    result: Mapped[dict] = mapped_column(JSON, default=dict)
    file_name: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(default=0)
    # A job that works in one long transaction (generating synthetic data) reports no heartbeat
    # until it ends: it is given a longer lease than JOB_LEASE_SECONDS.
    lease_seconds: Mapped[int | None]
    # Who holds a running job: only the holder's completion counts.
    claim: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A queued job should have run by then (a retry waits until then): the sweep resends it after.
    not_before: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    owner: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.state}>"


class OutboxMessage(db.Model):
    """Every e-mail Cartera composes, in its reader's language, written in the same transaction as
    the event it tells of. Delivery (a job) sends what is pending; the embedded default keeps them
    here for administrators to read."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        # One notice of a kind per user and subject: a retried job or a second run never sends twice.
        UniqueConstraint("kind", "user_id", "ref", name="uq_outbox_messages_kind_user_ref"),
        Index("ix_outbox_messages_pending", "sent_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    ref: Mapped[str] = mapped_column(String(80))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    to: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]
    # "outbox" (kept in the app) or "smtp": how it left.
    sent_by: Mapped[str | None] = mapped_column(String(16))
    tries: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User | None] = relationship()
