"""Parsing and checking a CSV of users before anything is stored.

Columns: email, name, career_level, org_unit (a path such as 'Banco Demo/Norte/Bilbao'),
roles (several separated by ';', '|' or spaces). The delimiter may be ',' or ';' (as Spanish
spreadsheets write). Every problem is reported with its line number; the caller imports
nothing unless there are none.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from app.domain.people import CAREER_LEVELS, ROLES, looks_like_email, normalise_email, split_org_path

COLUMNS = ("email", "name", "career_level", "org_unit", "roles")
MAX_LENGTH = {"email": 254, "name": 200}  # the database's limits, as the forms enforce them
MAX_ROWS = 10_000
_ROLE_SPLIT = re.compile(r"[;|,\s]+")


@dataclass(frozen=True)
class ImportRow:
    line: int
    email: str
    name: str
    career_level: str | None
    org_path: tuple[str, ...]
    roles: frozenset[str]


@dataclass(frozen=True)
class RowError:
    """`code` names the problem; `value` is what was found, so the message can quote it."""

    line: int
    field: str
    code: str
    value: str = ""


@dataclass(frozen=True)
class ParsedImport:
    rows: tuple[ImportRow, ...]
    errors: tuple[RowError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def parse_user_csv(text: str, known_org_paths: set[tuple[str, ...]]) -> ParsedImport:
    """`known_org_paths` holds the lower-cased name paths of existing org units."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return ParsedImport((), (RowError(1, "", "empty_file"),))
    reader = csv.DictReader(io.StringIO(text), delimiter=_delimiter(lines[0]))
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error:  # a field beyond the csv module's limit (128 KiB), say
        return ParsedImport((), (RowError(1, "", "unreadable_line"),))
    reader.fieldnames = header
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return ParsedImport((), tuple(RowError(1, c, "missing_column") for c in missing))

    rows: list[ImportRow] = []
    errors: list[RowError] = []
    first_line_of: dict[str, int] = {}
    for record in _records(reader, errors):
        line = reader.line_num
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append(RowError(line, "", "too_many_rows", str(MAX_ROWS)))
            break
        values = {c: (record.get(c) or "").strip() for c in COLUMNS}
        if not any(values.values()):
            continue
        row_errors = _check(line, values, known_org_paths, first_line_of)
        errors.extend(row_errors)
        if not row_errors:
            rows.append(
                ImportRow(
                    line=line,
                    email=normalise_email(values["email"]),
                    name=values["name"],
                    career_level=values["career_level"].lower() or None,
                    org_path=split_org_path(values["org_unit"]),
                    roles=frozenset(_roles(values["roles"])),
                )
            )
    if not rows and not errors:
        errors.append(RowError(1, "", "no_rows"))
    return ParsedImport(tuple(rows), tuple(errors))


def _records(reader: csv.DictReader, errors: list[RowError]):
    """The reader's rows, until a line it cannot read: that line is reported and reading stops."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error:
            errors.append(RowError(reader.line_num + 1, "", "unreadable_line"))  # the line it failed on
            return


def _roles(value: str) -> list[str]:
    return [r.lower() for r in _ROLE_SPLIT.split(value) if r]


def _check(line: int, values: dict[str, str], known_org_paths: set, first_line_of: dict[str, int]) -> list[RowError]:
    errors = []
    for field_name, limit in MAX_LENGTH.items():
        if len(values[field_name]) > limit:
            errors.append(RowError(line, field_name, "too_long", str(limit)))
        if any(ord(ch) < 32 for ch in values[field_name]):
            errors.append(RowError(line, field_name, "control_characters"))
    if errors:
        return errors
    email = normalise_email(values["email"])
    if not email:
        errors.append(RowError(line, "email", "required"))
    elif not looks_like_email(email):
        errors.append(RowError(line, "email", "invalid_email", values["email"]))
    elif email in first_line_of:
        errors.append(RowError(line, "email", "duplicate_email", str(first_line_of[email])))
    else:
        first_line_of[email] = line
    if not values["name"]:
        errors.append(RowError(line, "name", "required"))
    level = values["career_level"].lower()
    if level and level not in CAREER_LEVELS:
        errors.append(RowError(line, "career_level", "unknown_career_level", values["career_level"]))
    path = tuple(p.lower() for p in split_org_path(values["org_unit"]))
    if not path:
        errors.append(RowError(line, "org_unit", "required"))
    elif path not in known_org_paths:
        errors.append(RowError(line, "org_unit", "unknown_org_unit", values["org_unit"]))
    roles = _roles(values["roles"])
    if not roles:
        errors.append(RowError(line, "roles", "required"))
    for role in roles:
        if role not in ROLES:
            errors.append(RowError(line, "roles", "unknown_role", role))
    if "manager" in roles and not level:
        errors.append(RowError(line, "career_level", "manager_needs_level"))
    return errors
