"""SQL that differs between the embedded SQLite default and PostgreSQL, in one place."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db


def upsert(model):
    """INSERT … ON CONFLICT for the session's database (both dialects spell it the same way)."""
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[db.session.get_bind().dialect.name]
    return dialect.insert(model)
