"""HR's exports: the heatmap, scores per manager × competency, and attempts, as CSV or XLSX.

Each export honours the viewer's scope and the report filters, makes formula-like text inert
and writes an audit event. Rows are plain tuples from a handful of queries (the managers come
as a subquery, never as a list of ids), so 10,000 managers export in about a second.

The rows are built with codes, then presented in the reader's language: headers, competency,
level, career level, status and exercise names, times in the bank's time zone. A Spanish CSV
opens in a Spanish Excel: semicolons between fields and the decimal comma (an English one keeps
commas and points); XLSX cells keep their numbers, which Excel shows in its own format.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.numbers import get_decimal_symbol
from flask import current_app
from flask_babel import force_locale, get_timezone, lazy_pgettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from app import postgres
from app.domain import csv_text, xlsx
from app.domain.framework import COMPETENCY_CODES, competency_names, level_names
from app.extensions import db
from app.formats import format_locale
from app.labels import ATTEMPT_STATUS_LABELS, LEVEL_LABELS
from app.models import Attempt, ContentDocument, Job, OrgUnit, ProfileScore, User
from app.models.users import utcnow
from app.services import audit, jobs
from app.services.content_loader import current_bank
from app.services.reports import ReportFilters, cohort_ids, headcount, managers_query, within

FORMULA_STARTS = ("=", "+", "-", "@")
FORMATS = ("csv", "xlsx")
HEADERS = {
    "name": _l("Name"),
    "email": _l("Email"),
    "org_unit": _l("Unit"),
    "career_level": _l("Career level"),
    "competency": _l("Competency"),
    "score": _l("Score"),
    "evidence": _l("Evidence weight"),
    "level": _l("Level"),
    "target": lazy_pgettext("competency level", "Target"),
    "levels_below": _l("Levels below target"),
    "exercise": _l("Exercise"),
    "started_at": _l("Started"),
    "submitted_at": _l("Submitted"),
    "status": _l("Status"),
    "expired": _l("Time ran out"),
}
YES_NO = {"yes": _l("Yes"), "no": _l("No")}
DECIMAL_COLUMNS = {"score", "evidence", *COMPETENCY_CODES}  # floats: 12,5 in a CSV where the locale writes so


@dataclasses.dataclass(frozen=True)
class IdSpan:
    """A job's batch of managers by the span of their ids: the rows functions read every row in
    it and keep those of the managers they are given. A range scan, where 5,000 listed ids were
    5,000 index probes: the scores job's reads took 4.0-4.6 s against 9.2-9.7 s at 100,000
    managers (PostgreSQL, measured while the machine was busy)."""

    first: int
    last: int


Cohort = Select | list[int] | IdSpan  # the managers: a subquery (a request), a batch of ids or their span (a job)
STREAMED = 2000  # rows read at a time: the export never holds them all


def _streamed(query: Select):
    """Rows STREAMED at a time, as plain rows: the ORM's per-row processing cost about a second per
    million rows of the scores export. PostgreSQL streams them as it reads them (`postgres.streamed`);
    elsewhere a server-side cursor, or SQLite's own, hands them on."""
    connection = db.session.connection()
    if postgres.can_stream(connection):
        return postgres.streamed(connection, query, STREAMED)
    return connection.execute(query.execution_options(yield_per=STREAMED))


def _of(column, cohort: Cohort):
    if isinstance(cohort, IdSpan):
        return column.between(cohort.first, cohort.last)
    return column.in_(cohort)


def neutralise(value) -> object:
    """A text cell a spreadsheet would run as a formula is made inert (prefixed with ')."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _people(viewer: User, filters: ReportFilters) -> dict[int, tuple]:
    """The filtered managers in report order: id → (name, email, unit, career level), made formula-safe."""
    unit = aliased(OrgUnit)
    query = (
        managers_query(viewer, filters)
        .with_only_columns(User.id, User.name, User.email, unit.name, User.career_level)
        .outerjoin(unit, unit.id == User.org_unit_id)
    )
    return {
        user_id: (neutralise(name), neutralise(email), neutralise(unit_name or ""), level or "")
        for user_id, name, email, unit_name, level in _streamed(query)
    }


def heatmap_rows(cohort: Cohort, filters: ReportFilters, people: dict[int, tuple]) -> Iterator[tuple]:
    """One row per manager: name, email, unit, level, 14 scores (blank: no evidence)."""
    yield ("name", "email", "org_unit", "career_level", *COMPETENCY_CODES)
    scores: dict[int, dict[str, float]] = {}
    for user_id, code, score in _streamed(
        select(ProfileScore.user_id, ProfileScore.competency, ProfileScore.score).where(
            _of(ProfileScore.user_id, cohort)
        )
    ):
        scores.setdefault(user_id, {})[code] = round(score, 1)
    for user_id, person in people.items():
        own = scores.get(user_id, {})
        yield (*person, *[own.get(code, "") for code in COMPETENCY_CODES])


def scores_rows(cohort: Cohort, filters: ReportFilters, people: dict[int, tuple]) -> Iterator[tuple]:
    """One row per manager and measured competency: score, evidence and level (blank: insufficient)."""
    yield ("email", "name", "org_unit", "career_level", "competency", "score", "evidence", "level")
    query = (
        select(
            ProfileScore.user_id, ProfileScore.competency, ProfileScore.score, ProfileScore.evidence, ProfileScore.level
        )
        .where(_of(ProfileScore.user_id, cohort))
        .order_by(ProfileScore.user_id, ProfileScore.competency)
    )
    current, person = None, None
    for user_id, code, score, evidence, level in _streamed(query):
        if user_id != current:  # fourteen rows a manager, in order: their columns are looked up once
            found = people.get(user_id)  # None: not one of them (a span's other users)
            current, person = user_id, found and (found[1], found[0], found[2], found[3])
        if person:
            yield (*person, code, round(score, 1), round(evidence, 2), level or "")


def attempts_rows(cohort: Cohort, filters: ReportFilters, people: dict[int, tuple]) -> Iterator[tuple]:
    """One row per attempt (in the date range, if one is set): exercise, times in the bank's time zone
    with their UTC offset (2026-11-30T14:05:00+01:00), status."""
    yield ("email", "name", "exercise", "started_at", "submitted_at", "status", "expired")
    query = (
        select(
            Attempt.user_id,
            ContentDocument.key,
            Attempt.started_at,
            Attempt.submitted_at,
            Attempt.status,
            Attempt.expired,
        )
        .join(ContentDocument, ContentDocument.id == Attempt.exercise_id)
        .where(
            _of(Attempt.user_id, cohort),
            *within(func.coalesce(Attempt.submitted_at, Attempt.started_at), filters),
        )
        .order_by(Attempt.user_id, Attempt.started_at)
    )
    zone = ZoneInfo(str(get_timezone()))  # once: looked up per value, the zone cost most of the export

    def local(when: datetime) -> str:
        return when.replace(tzinfo=UTC).astimezone(zone).isoformat(timespec="seconds")

    for user_id, key, started, submitted, status, expired in _streamed(query):
        if user_id not in people:
            continue
        name, email, _unit, _level = people[user_id]
        yield (
            email,
            name,
            key,
            local(started),
            local(submitted) if submitted else "",
            status,
            "yes" if expired else "no",
        )


def training_needs_rows(cohort: Cohort, filters: ReportFilters, people: dict[int, tuple]) -> Iterator[tuple]:
    """One row per manager and competency below the career level's target: how far below."""
    yield ("email", "name", "org_unit", "career_level", "competency", "level", "target", "levels_below")
    query = (
        select(ProfileScore.user_id, ProfileScore.competency, ProfileScore.level, ProfileScore.target_level)
        .where(_of(ProfileScore.user_id, cohort), ProfileScore.below_target())  # the target each row keeps
        .order_by(ProfileScore.competency, ProfileScore.level, ProfileScore.user_id)
    )
    for user_id, code, level, target in _streamed(query):
        if user_id in people:
            name, email, unit, career_level = people[user_id]
            yield (email, name, unit, career_level, code, level, target, target - level)


EXPORTS: dict[str, Callable[[Cohort, ReportFilters, dict[int, tuple]], Iterator[tuple]]] = {
    "training-needs": training_needs_rows,
    "heatmap": heatmap_rows,
    "scores": scores_rows,
    "attempts": attempts_rows,
}


def export(viewer: User, name: str, file_format: str, filters: ReportFilters, locale: str) -> Iterable[bytes]:
    """The file, as chunks of bytes: CSV streamed a thousand rows at a time (UTF-8 with a byte-order
    mark, so spreadsheets read accents right); XLSX in one piece (`domain.xlsx`).

    The managers are read and the export audited (with how many managers it holds) before the
    first byte, in the request's transaction; the rows follow as they are read."""
    people = _people(viewer, filters)
    audit.record(
        viewer,
        f"export.{name}_{file_format}",
        name,
        managers=len(people),
        org_unit=filters.org_unit_id,
        career_level=filters.career_level,
        since=filters.since.isoformat() if filters.since else None,
        until=filters.until.isoformat() if filters.until else None,
    )
    # Everything that reads the viewer is settled here: the rows are read after the request's own
    # context has ended (its objects detached), while the response streams.
    rows = EXPORTS[name](cohort_ids(viewer, filters), filters, people)
    if file_format == "xlsx":
        return [_xlsx(presented(rows, locale), name)]
    return _csv(csv_lines(rows, locale, decimal_comma=get_decimal_symbol(format_locale()) == ","))


def needs_job(viewer: User, filters: ReportFilters) -> int | None:
    """How many managers the export would hold, when that is more than a request should write
    (EXPORT_JOB_MANAGERS); None when it can stream at once."""
    managers = headcount(viewer, filters)
    return managers if managers > current_app.config["EXPORT_JOB_MANAGERS"] else None


def start_job(viewer: User, name: str, file_format: str, filters: ReportFilters, locale: str) -> Job:
    """A large export, prepared by a job. The same export asked for again within the minute (a
    double-click) is the same job."""
    params = {
        "name": name,
        "format": file_format,
        "locale": locale,
        "filters": filters_params(filters),
        "title": f"cartera-{name}.{file_format}",
    }
    minute = utcnow().strftime("%Y%m%d%H%M")
    digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:16]
    return jobs.start("export", viewer, params, f"export:{viewer.id}:{digest}:{minute}")


def filters_params(filters: ReportFilters) -> dict:
    values = dataclasses.asdict(filters)
    values.pop("problems")
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def filters_from(params: dict) -> ReportFilters:
    dates = {k: date.fromisoformat(params[k]) if params.get(k) else None for k in ("since", "until")}
    return ReportFilters(**{**params, **dates})


def run_export(job: Job, progress: jobs.Progress) -> dict:
    """The job: the same rows as the streamed export, read a thousand managers at a time (each batch
    a short transaction, so the progress page can follow), written to a file: CSV, or XLSX
    (`domain.xlsx`). Never the whole file in memory."""
    with force_locale(job.params["locale"]):  # the language the export was asked for in
        return _write_export(job, progress)


def _write_export(job: Job, progress: jobs.Progress) -> dict:
    params, viewer = job.params, job.owner
    name, file_format, locale = params["name"], params["format"], params["locale"]
    filters = filters_from(params["filters"])
    people = _people(viewer, filters)
    progress.total(len(people))
    audit.record(viewer, f"export.{name}_{file_format}", name, managers=len(people), job=job.id)
    path = jobs.writing_file(job, params["title"])
    # The heatmap's rows follow the report's sort, so its batches list their managers; the other
    # exports' rows follow the managers' ids, and their batches are spans of them. Either way not a
    # subquery of the managers per batch: that cost 0.5 s each at 100,000.
    in_report_order = name == "heatmap"
    ids = list(people) if in_report_order else sorted(people)
    batch = current_app.config["EXPORT_BATCH"]

    def batches() -> Iterator[tuple]:
        for start in range(0, max(len(ids), 1), batch):
            chunk = ids[start : start + batch]
            cohort = IdSpan(chunk[0], chunk[-1]) if chunk and not in_report_order else chunk
            rows = EXPORTS[name](cohort, filters, {i: people[i] for i in chunk})
            header = next(rows)
            if start == 0:
                yield header
            yield from rows
            progress.advance(len(chunk))

    if file_format == "xlsx":
        _write_xlsx(presented(batches(), locale), name, path)
    else:
        comma = get_decimal_symbol(format_locale()) == ","
        with open(path, "wb") as out:
            for chunk in _csv(csv_lines(batches(), locale, decimal_comma=comma)):
                out.write(chunk)
    jobs.kept_file(job, path)
    return {"managers": len(people)}


def presented(rows: Iterable[tuple], locale: str) -> Iterator[list]:
    """Codes to words in the locale: the header, then each column by what its header says it holds
    (numbers stay numbers, for a spreadsheet's cells).

    The words are looked up now, in the request; the rows are worded as they stream."""
    vocabulary = _vocabulary(locale)
    return _cells(iter(rows), vocabulary)


def csv_lines(rows: Iterable[tuple], locale: str, decimal_comma: bool = False) -> Iterator[str]:
    """The same as CSV lines: with semicolons and decimal commas where the locale writes 1,5 (a
    Spanish Excel reads them so), commas and points otherwise."""
    vocabulary = _vocabulary(locale)
    return _lines(iter(rows), vocabulary, ";" if decimal_comma else ",", decimal_comma)


def _vocabulary(locale: str) -> tuple[dict, dict]:
    """(the words of each worded column, each header's name) in the locale."""
    bank = current_bank()
    competencies = competency_names(bank.framework, locale)
    levels = level_names(bank.framework, locale)
    titles = {key: neutralise(body["title"].get(locale, key)) for key, body in bank.exercises.items()}
    words = {
        "competency": competencies,
        "career_level": {code: str(label) for code, label in LEVEL_LABELS.items()},
        "level": levels,
        "target": levels,
        "status": {code: str(label) for code, label in ATTEMPT_STATUS_LABELS.items()},
        "expired": {code: str(label) for code, label in YES_NO.items()},
        "exercise": titles,
    }
    headers = {**{c: str(label) for c, label in HEADERS.items()}, **competencies}
    return words, headers


def _cells(rows: Iterator[tuple], vocabulary: tuple[dict, dict]) -> Iterator[list]:
    names, columns = _columns(next(rows), vocabulary)
    yield names
    for row in rows:
        yield [column[value] for column, value in zip(columns, row, strict=True)]


def _lines(rows: Iterator[tuple], vocabulary: tuple[dict, dict], delimiter: str, decimal_comma: bool):
    names, columns = _columns(next(rows), vocabulary, delimiter, decimal_comma)
    yield csv_text.line([csv_text.quoted(name, delimiter) for name in names], delimiter)
    for row in rows:  # a million rows at 100,000 managers: one lookup a cell, one join a row
        yield csv_text.line([column[value] for column, value in zip(columns, row, strict=True)], delimiter)


def _columns(header: tuple, vocabulary: tuple[dict, dict], delimiter: str | None = None, decimal_comma=False):
    """The header's names, and a `_Column` per column presenting its values: worded, and for a CSV
    (a `delimiter`) as quoted text."""
    words, headers = vocabulary
    columns = [_Column(words.get(column), delimiter, decimal_comma and column in DECIMAL_COLUMNS) for column in header]
    return [headers.get(column, column) for column in header], columns


class _Column(dict):
    """One column's distinct values, each presented once: the 1.38 million rows of the scores
    export hold fourteen competencies, four levels and a thousand scores. A column holds one kind
    of number, as the database column it comes from does (12 and 12.0 are one key)."""

    KEPT = 10_000  # names, emails and times are mostly distinct: a few thousand are kept, not a million

    def __init__(self, words: dict | None, delimiter: str | None, decimal_comma: bool):
        super().__init__()
        self.words, self.delimiter, self.decimal_comma = words, delimiter, decimal_comma

    def __missing__(self, value):
        if len(self) >= self.KEPT:
            self.clear()
        shown = self[value] = self.present(value)
        return shown

    def present(self, value):
        if self.words is not None:
            value = self.words.get(value, value) or value  # a blank stays blank
        if self.delimiter is None:
            return value
        text = "" if value is None else str(value)
        if self.decimal_comma and type(value) is float:
            text = text.replace(".", ",")
        return csv_text.quoted(text, self.delimiter)


def _csv(lines: Iterable[str], chunk: int = 1000) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark (so spreadsheets read accents right), a thousand lines a chunk."""
    lines, start = iter(lines), "\ufeff"
    while batch := list(itertools.islice(lines, chunk)):
        yield (start + "".join(batch)).encode("utf-8")
        start = ""


def _xlsx(rows: Iterable[tuple], sheet_name: str) -> bytes:
    buffer = io.BytesIO()
    _write_xlsx(rows, sheet_name, buffer)
    return buffer.getvalue()


def _write_xlsx(rows: Iterable[tuple], sheet_name: str, target) -> None:
    """Rows go to the file as they come (a path, or a buffer): `domain.xlsx`."""
    xlsx.write(rows, sheet_name, target)
