"""The content bank in the database: every document keeps its id, every change is a version.

A document is an item, an exercise, a rubric, the framework or the targets. Versions are
immutable: attempts point at the version they used, so editing or retiring a document never
changes a result already earned.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.users import User, utcnow

DOCUMENT_KINDS = ("framework", "targets", "rubric", "exercise", "pool", "item")


class ContentDocument(db.Model):
    __tablename__ = "content_documents"
    __table_args__ = (
        UniqueConstraint("kind", "key", name="uq_content_documents_kind_key"),
        CheckConstraint("kind IN ('framework', 'targets', 'rubric', 'exercise', 'pool', 'item')", name="kind"),
        CheckConstraint("owner IN ('files', 'web')", name="owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(120))
    current_number: Mapped[int] = mapped_column(default=1)
    # Who maintains it: "files" (questions/ and rubrics/, loaded by `flask content sync`) or "web"
    # (published from the browser). Sync never touches web documents (docs/authoring.md).
    owner: Mapped[str] = mapped_column(String(8), default="files", server_default="files")
    retired_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[ContentVersion]] = relationship(
        back_populates="document", order_by="ContentVersion.number", cascade="all, delete-orphan"
    )
    current: Mapped[ContentVersion] = relationship(
        primaryjoin=lambda: and_(
            ContentVersion.document_id == ContentDocument.id, ContentVersion.number == ContentDocument.current_number
        ),
        viewonly=True,
        uselist=False,
    )

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


class ContentVersion(db.Model):
    __tablename__ = "content_versions"
    __table_args__ = (UniqueConstraint("document_id", "number", name="uq_content_versions_document_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("content_documents.id"), index=True)
    number: Mapped[int]
    body: Mapped[dict] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16), default="files")  # files | web
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[ContentDocument] = relationship(back_populates="versions")
    author: Mapped[User | None] = relationship()


class ContentDraft(db.Model):
    """An exercise being written in the browser: the body of its file (items inline), unpublished.

    One draft per exercise id. Nothing reads a draft but the editor and its preview; publishing
    turns it into versions through the same path as `flask content sync` and deletes it.
    """

    __tablename__ = "content_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    body: Mapped[dict] = mapped_column(JSON)
    # The version the draft started from (None for a new exercise): publishing refuses when the
    # exercise has moved on since, so nobody's work is silently overwritten.
    base_version_id: Mapped[int | None] = mapped_column(ForeignKey("content_versions.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship()
    base_version: Mapped[ContentVersion | None] = relationship()
