"""Typed SQLAlchemy models, one module per area. Importing this package registers them all."""

from app.models.audit import AuditEvent
from app.models.users import OrgUnit, User, UserRole, UserScope

__all__ = ["AuditEvent", "OrgUnit", "User", "UserRole", "UserScope"]
