"""Pages about the managers a trainer or HR user may see; both audiences share them."""

from flask import abort, current_app, redirect, render_template, request
from flask_login import current_user

from app.forms import beyond_last_page, int_arg, last_page_url
from app.services import scope
from app.services.errors import NotFound


def people_page(person_endpoint: str, heading: str):
    search = request.args.get("q", "").strip()
    people = scope.visible_managers(current_user, int_arg("page", 1), current_app.config["USERS_PER_PAGE"], search)
    if beyond_last_page(people):
        return redirect(last_page_url(people))
    return render_template(
        "shared/people.html", people=people, search=search, person_endpoint=person_endpoint, heading=heading
    )


def person_page(user_id: int):
    try:
        person = scope.visible_manager(current_user, user_id)
    except NotFound:
        abort(404)
    return render_template("shared/person.html", person=person)
