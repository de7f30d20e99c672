"""Bulk import of users from CSV: preview, then all rows or none."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.domain.user_import import ImportRow, ParsedImport, RowError, parse_user_csv
from app.extensions import db
from app.models import User
from app.services import audit, org
from app.services.errors import Invalid
from app.services.users import UserData, create_user, update_user

ERROR_MESSAGES = {
    "empty_file": _l("The file is empty."),
    "no_rows": _l("The file has a header but no users."),
    "missing_column": _l("The header has no column '%(field)s'."),
    "too_many_rows": _l("Too many rows: at most %(value)s per file."),
    "unreadable_line": _l("This line cannot be read as CSV: a field is far too long, or a quote is not closed."),
    "required": _l("This field is required."),
    "invalid_email": _l("'%(value)s' is not an email address."),
    "duplicate_email": _l("This email already appears on line %(value)s."),
    "unknown_career_level": _l("Unknown career level '%(value)s' (use junior, mid or senior)."),
    "unknown_org_unit": _l("No org unit has the path '%(value)s'."),
    "unknown_role": _l("Unknown role '%(value)s' (use manager, trainer, hr or admin)."),
    "manager_needs_level": _l("A manager needs a career level."),
    "too_long": _l("Longer than %(value)s characters."),
    "control_characters": _l("Contains control characters (a tab, a line break or worse)."),
    "not_utf8": _l("The file is not UTF-8 text. Save it as 'CSV UTF-8' and try again."),
}


def message(error: RowError) -> str:
    return str(ERROR_MESSAGES[error.code]) % {"field": error.field, "value": error.value}


@dataclass(frozen=True)
class PlannedRow:
    row: ImportRow
    existing: User | None


@dataclass(frozen=True)
class Preview:
    parsed: ParsedImport
    planned: tuple[PlannedRow, ...]

    @property
    def ok(self) -> bool:
        return self.parsed.ok

    @property
    def to_create(self) -> int:
        return sum(1 for p in self.planned if p.existing is None)

    @property
    def to_update(self) -> int:
        return sum(1 for p in self.planned if p.existing is not None)


@dataclass(frozen=True)
class ImportResult:
    created: tuple[tuple[User, str], ...]  # each new user with the temporary password generated
    updated: int


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid({"file": [message(RowError(1, "", "not_utf8"))]}) from None


def preview(text: str) -> Preview:
    paths = org.units_by_path()
    parsed = parse_user_csv(text, set(paths))
    emails = [row.email for row in parsed.rows]
    existing = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))} if emails else {}
    return Preview(parsed, tuple(PlannedRow(row, existing.get(row.email)) for row in parsed.rows))


def apply(actor: User, text: str, filename: str = "") -> ImportResult:
    """Re-check the file and import every row in one transaction, or raise Invalid and store nothing."""
    plan = preview(text)
    if not plan.ok:
        raise Invalid({"file": [f"{filename or 'CSV'}:{e.line}: {e.field}: {message(e)}" for e in plan.parsed.errors]})
    units = org.units_by_path()
    created, updated = [], 0
    for item in plan.planned:
        row = item.row
        data = UserData(
            email=row.email,
            name=row.name,
            career_level=row.career_level,
            org_unit_id=units[tuple(p.lower() for p in row.org_path)].id,
            roles=set(row.roles),
        )
        if item.existing is None:
            user, password = create_user(actor, data)
            created.append((user, password))
        else:
            existing = item.existing
            data.locale = existing.locale
            data.active = existing.active
            data.scope_unit_ids = {s.org_unit_id for s in existing.scope_rows}
            update_user(actor, existing, data)
            updated += 1
    audit.record(actor, "users.imported", filename, created=len(created), updated=updated)
    return ImportResult(tuple(created), updated)
