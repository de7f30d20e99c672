"""HR's area."""

from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.access import roles
from app.domain import group_profiles
from app.domain.dates import parse_day, whole_months
from app.domain.framework import COMPETENCY_CODES, competency_names, competency_short_names
from app.domain.people import CAREER_LEVELS
from app.forms import ActionForm, beyond_last_page, int_arg, last_page_url
from app.labels import LEVEL_LABELS
from app.services import content_loader, exports, org, report_pdf, reports
from app.transactions import audited_read
from app.ui import proficiency_level_names

bp = Blueprint("hr", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/")
@roles("hr")
def index():
    """The dashboard: levels, targets met and mean gaps; trends by quarter; assignment completion."""
    filters = _filters()
    context = _report_context(filters)
    return render_template("hr/index.html", dashboard=reports.dashboard(current_user, filters), **context)


@bp.route("/training-needs")
@roles("hr")
def training_needs():
    filters = _filters()
    context = _report_context(filters)
    config = current_app.config
    needs = reports.training_needs(
        current_user, filters, config["TRAINING_NEEDS_LISTED"], config["TRAINING_NEEDS_ASSIGNABLE"]
    )
    share = config["GROUP_TRAINING_SHARE"]
    exercises = content_loader.current_bank().exercises
    units = [row for row in needs.units_below if row[0] is not None]  # most cases first
    direct = [row for row in needs.units_below if row[0] is None]
    return render_template(
        "hr/training_needs.html",
        summaries=needs.summaries,
        needs=group_profiles.by_need(needs.summaries),
        units_below=units[: config["TRAINING_NEEDS_UNITS_LISTED"]] + direct,
        units_not_listed=max(0, len(units) - config["TRAINING_NEEDS_UNITS_LISTED"]),
        practice={
            c: f"practice-{c.replace('_', '-')}"
            for c in COMPETENCY_CODES
            if f"practice-{c.replace('_', '-')}" in exercises
        },
        group=group_profiles.group_training(needs.summaries, share),
        share=share,
        listed=config["TRAINING_NEEDS_LISTED"],
        assignable=config["TRAINING_NEEDS_ASSIGNABLE"],
        managers=needs.managers,
        person_link=url_for("people.person", user_id=PLACEHOLDER_ID),  # one link built, the names' filled in
        placeholder_id=PLACEHOLDER_ID,
        **context,
    )


@bp.route("/calibration")
@roles("hr")
def calibration():
    """Self against measured across the cohort: blind spots and hidden strengths per competency."""
    filters = _filters()
    context = _report_context(filters)
    managers, summaries = reports.calibration(current_user, filters, current_app.config["CALIBRATION_LISTED"])
    return render_template(
        "hr/calibration.html",
        summaries=summaries,
        managers=managers,
        compared=any(s.compared for s in summaries.values()),
        **context,
    )


def _report_context(filters) -> dict:
    """What every report page shows around its figures. Built first: the unit choices read the
    viewer's scope, which the figures then use."""
    return {
        "filters": filters,
        "export_args": _args_in_effect(filters),
        "codes": COMPETENCY_CODES,
        "names": competency_names(content_loader.current_bank().framework, str(get_locale())),
        "short_names": competency_short_names(content_loader.current_bank().framework, str(get_locale())),
        "units": org.report_unit_choices(current_user, filters.org_unit_id),
        "levels": CAREER_LEVELS,
    }


def _filters() -> reports.ReportFilters:
    args = request.args
    problems = []
    since = _date_arg("since", _("Assessed from"), problems)
    until = _date_arg("until", _("Assessed until"), problems)
    if since and until and since > until:
        problems.append(_("The range ends before it starts: the dates were ignored."))
        since = until = None
    since, until = whole_months(since, until)  # the reports count managers by month of latest assessment
    unit_id = int_arg("unit")
    if unit_id is not None and not org.unit_exists(unit_id):  # an old bookmark: say so, never an empty "all"
        problems.append(
            _("%(field)s: that unit no longer exists; the whole of your scope is shown.", field=_("Org unit"))
        )
        unit_id = None
    level = args.get("level") or None
    if level is not None and level not in CAREER_LEVELS:  # never an empty "any level" without a word
        problems.append(
            _(
                "%(field)s: “%(value)s” is not a career level; every career level is shown.",
                field=_("Career level"),
                value=level[:40],
            )
        )
        level = None
    return reports.ReportFilters(
        org_unit_id=unit_id,
        career_level=level,
        sort=args.get("sort", "name") if args.get("sort") in ("name", *COMPETENCY_CODES) else "name",
        descending=args.get("dir") == "desc",
        since=since,
        until=until,
        problems=tuple(problems),
    )


def _args_in_effect(filters: reports.ReportFilters) -> dict[str, str]:
    """The filters as applied, as query arguments: an export carries these, never ignored garbage."""
    args = {
        "unit": filters.org_unit_id,
        "level": filters.career_level,
        "since": filters.since.isoformat() if filters.since else None,
        "until": filters.until.isoformat() if filters.until else None,
        "sort": filters.sort if filters.sort != "name" else None,
        "dir": "desc" if filters.descending else None,
    }
    return {name: value for name, value in args.items() if value}


def _date_arg(name: str, label: str, problems: list[str]) -> date | None:
    """A day typed day first (31/03/2026) or carried by a link (2026-03-31); anything else is
    reported and ignored."""
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        return parse_day(text)
    except ValueError:
        problems.append(
            _("%(field)s: “%(value)s” is not a date like 31/03/2026; it was ignored.", field=label, value=text[:40])
        )
        return None


@bp.route("/heatmap")
@roles("hr")
def heatmap():
    filters = _filters()
    context = _report_context(filters)
    page, cells = reports.heatmap_page(current_user, filters, int_arg("page", 1))
    if beyond_last_page(page):
        return redirect(last_page_url(page, _args_in_effect(filters)))
    rows = _heatmap_rows(page.items, cells, context["names"])
    sort_links = _sort_links(filters, context["export_args"])
    return render_template("hr/heatmap.html", page=page, rows=rows, sort_links=sort_links, **context)


def _sort_links(filters: reports.ReportFilters, export_args: dict) -> dict[str, str]:
    """Each column's sort link, back to page 1 (ascending; descending when already sorted so by
    it): one URL built and the column filled in, not fifteen."""
    patterns = {
        direction: url_for("hr.heatmap", **{**export_args, "sort": SORT_PLACEHOLDER, "dir": direction, "page": 1})
        for direction in ("asc", "desc")
    }
    return {
        column: patterns["desc" if column == filters.sort and not filters.descending else "asc"].replace(
            SORT_PLACEHOLDER, column
        )
        for column in ("name", *COMPETENCY_CODES)
    }


SORT_PLACEHOLDER = "column-to-sort-by"


def _heatmap_rows(people, cells, names: dict[str, str]) -> list[tuple]:
    """Each manager with their link, context and 14 cells as ready HTML: a page holds 700 cells, and
    their words and markup are escaped once per bank and language (`_cell_openings`), not once per
    cell in the template (the page's largest cost before)."""
    locale = str(get_locale())
    opening, empty = content_loader.current_bank().derived(("heatmap_cells", locale), lambda: _cell_openings(names))
    labels = {code: str(label) for code, label in LEVEL_LABELS.items()}
    person = url_for("people.person", user_id=PLACEHOLDER_ID)  # one link built, the others filled in
    rows = []
    for user in people:
        own = cells.get(user.id, {})
        shown = []
        for code in COMPETENCY_CODES:
            level, score = own.get(code, (None, None))
            shown.append(empty if score is None else f"{opening[(code, level or None)]}{round(score)}</td>")
        shown = Markup("".join(shown))  # noqa: S704  (escaped markup and integers only)
        link = person.replace(str(PLACEHOLDER_ID), str(user.id))
        rows.append((user, link, f"{user.unit or ''} · {labels.get(user.career_level, '')}", shown))
    return rows


PLACEHOLDER_ID = 987654321


def _cell_openings(names: dict[str, str]) -> tuple[dict, Markup]:
    """A heatmap cell's opening tag per (competency, level or None: tentative), and the empty cell,
    in the page's language."""
    levels = proficiency_level_names()
    insufficient = _("insufficient evidence")
    empty = Markup('<td class="cell empty"><span class="visually-hidden">%s</span></td>') % _("no evidence")
    opening = {}
    for code in COMPETENCY_CODES:
        opening[(code, None)] = Markup('<td class="cell tentative" title="%s: %s">') % (names[code], insufficient)
        for level, word in levels.items():
            opening[(code, level)] = Markup('<td class="cell level-%s" title="%s: %s">') % (level, names[code], word)
    return opening, empty


@bp.route("/exports/<any(heatmap, scores, attempts, 'training-needs'):name>.<any(csv, xlsx):file_format>")
@roles("hr")
@audited_read
def export(name: str, file_format: str):
    """A download of the filtered report, never cached: it holds personal data. A filter that cannot
    be applied refuses the download rather than export more people than were asked for."""
    filters = _filters()
    if filters.problems:
        message = " ".join(filters.problems)
        return render_template("errors/error.html", code=400, title=_("Bad request"), message=message), 400
    managers = exports.needs_job(current_user, filters)
    if managers is not None:
        # Too many for a request: a page offers to prepare it in the background (a GET never writes).
        return render_template("hr/export_job.html", name=name, file_format=file_format, managers=managers)
    body = exports.export(current_user, name, file_format, filters, str(get_locale()))
    mimetype = "text/csv" if file_format == "csv" else XLSX
    return Response(
        stream_with_context(body),
        mimetype=mimetype,
        headers={
            "Content-Disposition": f"attachment; filename=cartera-{name}.{file_format}",
            "Cache-Control": "no-store",
        },
    )


@bp.route(
    "/exports/<any(heatmap, scores, attempts, 'training-needs'):name>.<any(csv, xlsx):file_format>", methods=["POST"]
)
@roles("hr")
def export_job(name: str, file_format: str):
    """A large export is prepared by a job; its page shows the progress and, at the end, the file."""
    if not ActionForm().validate_on_submit():
        abort(400)
    filters = _filters()
    if filters.problems:
        abort(400)
    job = exports.start_job(current_user, name, file_format, filters, str(get_locale()))
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.route("/reports.zip", methods=["POST"])
@roles("hr")
def unit_reports():
    """Every filtered manager's individual report as a PDF, zipped, by a job."""
    if not ActionForm().validate_on_submit():
        abort(400)
    filters = _filters()
    if filters.problems:
        abort(400)
    job = report_pdf.start_unit_reports(current_user, filters, str(get_locale()))
    return redirect(url_for("jobs.show", job_id=job.id))
