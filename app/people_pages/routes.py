"""The people of the viewer's scope and the individual report: one page each, for trainers and HR.

Scope is checked where the people are loaded (`services.scope`): a manager outside it answers
404, like a missing one.
"""

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.access import roles
from app.domain.framework import competency_names
from app.forms import beyond_last_page, int_arg, last_page_url, link_args
from app.models.users import utcnow
from app.services import content_loader, exercises, profiles, report_pdf, scope

bp = Blueprint("people", __name__)


@bp.route("/")
@roles("trainer", "hr")
def index():
    search = request.args.get("q", "").strip()
    people = scope.visible_managers(current_user, int_arg("page", 1), current_app.config["USERS_PER_PAGE"], search)
    if beyond_last_page(people):
        return redirect(last_page_url(people, link_args(q=search)))
    heading = _l("People in your scope") if current_user.has_role("hr") else _l("Managers in your scope")
    return render_template(
        "people/index.html", people=people, search=search, heading=heading, link_args=link_args(q=search)
    )


@bp.route("/<int:user_id>")
@roles("trainer", "hr")
def person(user_id: int):
    """The individual report: the manager's profile and assignment history (printable)."""
    found = scope.visible_manager(current_user, user_id)
    locale = str(get_locale())
    return render_template(
        "people/person.html",
        person=found,
        profile=profiles.profile_for(found, locale),
        names=competency_names(content_loader.current_bank().framework, locale),
        assigned=exercises.overview(found).assigned,
        today=utcnow(),
    )


@bp.route("/<int:user_id>.pdf")
@roles("trainer", "hr")
def person_pdf(user_id: int):
    """The individual report as an A4 PDF download."""
    found = scope.visible_manager(current_user, user_id)
    locale = str(get_locale())
    body = report_pdf.individual_report(
        found,
        profiles.profile_for(found, locale),
        competency_names(content_loader.current_bank().framework, locale),
        exercises.overview(found).assigned,
        locale,
        utcnow(),
    )
    return Response(
        body,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f"attachment; filename=cartera-report-{found.id}.pdf",
            "Cache-Control": "no-store",
        },
    )


# Until these pages had one home they lived at /hr/people and /train/people: saved links move on.
moved = Blueprint("people_moved", __name__)


@moved.route("/hr/people")
@moved.route("/train/people")
@roles("trainer", "hr")
def old_index():
    return redirect(url_for("people.index", **link_args(q=request.args.get("q"), page=int_arg("page"))), 301)


@moved.route("/hr/people/<int:user_id>")
@moved.route("/train/people/<int:user_id>")
@roles("trainer", "hr")
def old_person(user_id: int):
    return redirect(url_for("people.person", user_id=user_id), 301)


@moved.route("/hr/people/<int:user_id>.pdf")
@moved.route("/train/people/<int:user_id>.pdf")
@roles("trainer", "hr")
def old_person_pdf(user_id: int):
    return redirect(url_for("people.person_pdf", user_id=user_id), 301)
