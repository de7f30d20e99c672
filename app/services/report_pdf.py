"""The individual report as a PDF (fpdf2: pure Python, no system package needed).

It embeds DejaVu Sans (app/static/fonts, free licence beside it), so €, «», — and every Spanish
character print as themselves; the built-in PDF fonts cover Latin-1 only.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from datetime import datetime
from pathlib import Path

from flask_babel import force_locale, ngettext, pgettext
from flask_babel import gettext as _
from fpdf import FPDF
from sqlalchemy import select

from app.domain.framework import competency_names, level_names
from app.domain.jobs import batches
from app.extensions import db
from app.formats import dateformat
from app.labels import ASSIGNMENT_STATUS_LABELS, LEVEL_LABELS
from app.models import Job, User
from app.models.users import utcnow
from app.services import audit, content_loader, exercises, exports, jobs, profiles
from app.services.exercises import AssignedRow
from app.services.profiles import Profile
from app.services.reports import ReportFilters, managers_query

FONTS = Path(__file__).resolve().parents[1] / "static" / "fonts"
FONT = "DejaVu"
REPORTS_PER_BATCH = 25  # a progress report (and commit) every this many PDFs


def _new_pdf() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
    return pdf


def individual_report(
    person: User, profile: Profile, names: dict[str, str], assigned: list[AssignedRow], locale: str, today: datetime
) -> bytes:
    levels = level_names(content_loader.current_bank().framework, locale)
    pdf = _new_pdf()
    pdf.set_title(f"{_('Individual report')}: {person.name}")
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 10, f"{_('Individual report')}: {person.name}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    details = [
        (_("Email"), person.email),
        (_("Career level"), LEVEL_LABELS.get(person.career_level, "-")),
        (_("Org unit"), person.org_unit.name if person.org_unit else "-"),
        (_("Report date"), dateformat(today, "long")),
    ]
    for label, value in details:
        pdf.cell(0, 6, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 8, _("Score, level, target and the manager's own view, per competency"), new_x="LMARGIN", new_y="NEXT")
    widths = (62, 18, 30, 26, 14, 30)
    headers = (
        _("Competency"),
        _("Score"),
        _("Level"),
        pgettext("competency level", "Target"),
        _("Gap"),
        _("Self-view"),
    )
    pdf.set_font(FONT, "B", 9)
    for width, header in zip(widths, headers, strict=True):
        pdf.cell(width, 7, header, border=1)
    pdf.ln()
    pdf.set_font(FONT, "", 9)
    for c in profile.competencies:
        level = _("insufficient evidence") if c.insufficient else (levels[c.level] if c.level else "-")
        flag = f" ({_('blind spot')})" if c.blind_spot else (f" ({_('hidden strength')})" if c.hidden_strength else "")
        row = (
            names[c.code],
            f"{round(c.score)}" if c.score is not None else "-",
            level,
            levels[c.target] if c.target else "-",
            (f"+{c.gap}" if c.gap > 0 else str(c.gap)) if c.gap is not None else "-",
            (levels[c.self_level] + flag) if c.self_level else "-",
        )
        for width, value in zip(widths, row, strict=True):
            pdf.cell(width, 6, value[:40], border=1)
        pdf.ln()
    pdf.ln(2)
    pdf.set_font(FONT, "", 9)
    for family, (mean, count) in profile.families.items():
        label = _("Duties") if family == "duty" else _("Qualities")
        summary = ngettext(
            "%(num)d competency with enough evidence", "%(num)d competencies with enough evidence", count
        )
        pdf.cell(
            0,
            5,
            f"{label}: {round(mean) if mean is not None else '-'} ({summary})",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    if profile.suggestions:
        _heading(pdf, _("Practise next"))
        for code, _key, title in profile.suggestions:
            pdf.cell(0, 5, f"- {title} ({names[code]})", new_x="LMARGIN", new_y="NEXT")
    if profile.history:
        _history(pdf, profile, names)
    _heading(pdf, _("Assignment history"))
    for row in assigned:
        due = dateformat(row.assignment.due_at, "medium") if row.assignment.due_at else "-"
        line = (
            f"{row.exercise.current.body['title'][locale]} - {_('Due')}: {due} - {ASSIGNMENT_STATUS_LABELS[row.status]}"
        )
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    if not assigned:
        pdf.cell(0, 6, _("Nothing has been assigned to this manager."), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)


def _history(pdf: FPDF, profile: Profile, names: dict[str, str]) -> None:
    """The monthly history as a table: a column per month end, as on the profile page."""
    _heading(pdf, _("Month by month"))
    first = 46
    width = (pdf.epw - first) / len(profile.history)
    pdf.set_font(FONT, "B", 7)
    pdf.cell(first, 5, _("Competency"), border=1)
    for end, _scores in profile.history:
        pdf.cell(width, 5, dateformat(end, "MMM yy"), border=1, align="R")
    pdf.ln()
    pdf.set_font(FONT, "", 7)
    for c in profile.competencies:
        pdf.cell(first, 5, names[c.code][:30], border=1)
        for _end, scores in profile.history:
            pdf.cell(width, 5, str(round(scores[c.code])) if c.code in scores else "", border=1, align="R")
        pdf.ln()


def start_unit_reports(viewer: User, filters: ReportFilters, locale: str) -> Job:
    """The individual reports of every manager the filters keep, one PDF each, in a zip (a job)."""
    params = {"filters": exports.filters_params(filters), "locale": locale}
    return jobs.start("reports.pdf", viewer, params, jobs.new_key("reports.pdf", viewer.id))


def run_unit_reports(job: Job, progress: jobs.Progress) -> dict:
    with force_locale(job.params["locale"]):
        return _write_unit_reports(job, progress)


def _write_unit_reports(job: Job, progress: jobs.Progress) -> dict:
    viewer, locale = job.owner, job.params["locale"]
    filters = exports.filters_from(job.params["filters"])
    ids = list(db.session.scalars(managers_query(viewer, filters).with_only_columns(User.id)))
    progress.total(len(ids))
    audit.record(viewer, "export.reports_pdf", "reports", managers=len(ids), job=job.id)
    names = competency_names(content_loader.current_bank().framework, locale)
    today = utcnow()
    path = jobs.writing_file(job, f"cartera-reports-{today:%Y%m%d}.zip")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for batch in batches(ids, REPORTS_PER_BATCH):
            for person in db.session.scalars(select(User).where(User.id.in_(batch)).order_by(User.name, User.id)):
                body = individual_report(
                    person,
                    profiles.profile_for(person, locale),
                    names,
                    exercises.overview(person).assigned,
                    locale,
                    today,
                )
                archive.writestr(f"{_file_name(person.name)}-{person.id}.pdf", body)
            progress.advance(len(batch))
    jobs.kept_file(job, path)
    return {"managers": len(ids)}


def _file_name(name: str) -> str:
    """A person's name as a file name any system opens: letters, digits and hyphens."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-")[:60] or "report"
