"""Pages about the managers a trainer or HR user may see; both audiences share them."""

from flask import Response, current_app, redirect, render_template, request
from flask_babel import get_locale
from flask_login import current_user

from app.domain.framework import competency_names
from app.forms import beyond_last_page, int_arg, last_page_url
from app.models.users import utcnow
from app.services import content_loader, exercises, profiles, report_pdf, scope


def people_page(person_endpoint: str, heading: str):
    search = request.args.get("q", "").strip()
    people = scope.visible_managers(current_user, int_arg("page", 1), current_app.config["USERS_PER_PAGE"], search)
    if beyond_last_page(people):
        return redirect(last_page_url(people))
    return render_template(
        "shared/people.html", people=people, search=search, person_endpoint=person_endpoint, heading=heading
    )


def _person_or_404(user_id: int):
    return scope.visible_manager(current_user, user_id)  # out of scope: NotFound, a 404 like a missing one


def person_pdf(user_id: int):
    """The individual report as an A4 PDF download."""
    person = _person_or_404(user_id)
    locale = str(get_locale())
    body = report_pdf.individual_report(
        person,
        profiles.profile_for(person, locale),
        competency_names(content_loader.current_bank().framework, locale),
        exercises.overview(person).assigned,
        locale,
        utcnow(),
    )
    filename = f"cartera-report-{person.id}.pdf"
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"attachment; filename={filename}", "Cache-Control": "no-store"},
    )


def person_page(user_id: int):
    """The individual report: the manager's profile and assignment history (printable)."""
    person = _person_or_404(user_id)
    locale = str(get_locale())
    return render_template(
        "shared/person.html",
        person=person,
        profile=profiles.profile_for(person, locale),
        names=competency_names(content_loader.current_bank().framework, locale),
        assigned=exercises.overview(person).assigned,
        today=utcnow(),
    )
