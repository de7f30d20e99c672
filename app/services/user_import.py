"""Bulk import of users from CSV: a preview checks every row and imports nothing while any is bad;
once the administrator confirms, a job imports the rows in committed batches (each user whole,
with their invitation) and resumes after the last batch if it is cut short."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.domain.jobs import batches
from app.domain.user_import import ImportRow, ParsedImport, RowError, parse_user_csv
from app.extensions import db
from app.models import Job, User
from app.services import audit, cohort_levels, invitations, jobs, org
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
    "own_admin_role": _l("This row is your own account without the admin role: you cannot remove it yourself."),
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


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid({"file": [message(RowError(1, "", "not_utf8"))]}) from None


def preview(text: str, actor: User | None = None) -> Preview:
    """Every row checked against the bank as it is now; with `actor`, also that the file does not
    take away the importer's own admin role (the import would stop half-way on that row)."""
    paths = org.units_by_path()
    parsed = parse_user_csv(text, set(paths))
    if actor is not None:
        own = [
            RowError(row.line, "roles", "own_admin_role")
            for row in parsed.rows
            if row.email == actor.email and "admin" not in row.roles
        ]
        if own:
            parsed = ParsedImport(parsed.rows, tuple(sorted(parsed.errors + tuple(own), key=lambda e: e.line)))
    emails = [row.email for row in parsed.rows]
    existing = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))} if emails else {}
    return Preview(parsed, tuple(PlannedRow(row, existing.get(row.email)) for row in parsed.rows))


def stage(actor: User, text: str, filename: str, rows: int) -> Job:
    """A previewed file waits on the server, as a draft job, for the administrator to confirm it."""
    params = {"text": text, "filename": filename, "title": filename or "CSV"}
    return jobs.start("users.import", actor, params, jobs.new_key("users.import", actor.id), total=rows, draft=True)


def run_import(job: Job, progress: jobs.Progress) -> dict:
    """The job: re-check the file (the bank may have changed since the preview), then import the
    rows after those already done, a batch per commit. New users are invited by e-mail."""
    actor, filename = job.owner, job.params.get("filename") or "CSV"
    plan = preview(job.params["text"], actor)
    if not plan.ok:
        raise jobs.Refused([f"{filename}:{e.line}: {e.field or '—'}: {message(e)}" for e in plan.parsed.errors])
    if job.total != len(plan.planned):
        progress.total(len(plan.planned))
    units = org.units_by_path()
    for batch in batches(plan.planned[progress.done :], current_app.config["IMPORT_BATCH"]):
        with cohort_levels.kept([item.existing for item in batch if item.existing is not None]):
            created = _import_batch(actor, batch, units)
        progress.advance(len(batch), created=created, updated=len(batch) - created)
    audit.record(
        actor, "users.imported", filename, created=job.result.get("created", 0), updated=job.result.get("updated", 0)
    )
    return {}


def _import_batch(actor: User, batch, units) -> int:
    """Creates and updates one batch's users; returns how many were created (and invited)."""
    created = 0
    for item in batch:
        data = UserData(
            email=item.row.email,
            name=item.row.name,
            career_level=item.row.career_level,
            org_unit_id=units[tuple(p.lower() for p in item.row.org_path)].id,
            roles=set(item.row.roles),
        )
        if item.existing is None:
            user, _none = create_user(actor, data, invited=True)
            invitations.invite(user)
            created += 1
        else:
            existing = item.existing
            data.locale = existing.locale
            data.active = existing.active
            data.scope_unit_ids = {s.org_unit_id for s in existing.scope_rows}
            update_user(actor, existing, data)
    return created
