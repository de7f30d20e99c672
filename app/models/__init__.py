"""Typed SQLAlchemy models, one module per area. Importing this package registers them all."""

from app.models.audit import AuditEvent
from app.models.content import ContentDocument, ContentVersion
from app.models.users import OrgUnit, User, UserRole, UserScope

__all__ = ["AuditEvent", "ContentDocument", "ContentVersion", "OrgUnit", "User", "UserRole", "UserScope"]
