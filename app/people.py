"""Pages about the managers a trainer or HR user may see; both audiences share them."""

from flask import abort, current_app, render_template, request
from flask_login import current_user

from app.services import scope
from app.services.errors import NotFound


def people_page(person_endpoint: str, heading: str):
    search = request.args.get("q", "").strip()
    page = request.args.get("page", 1, type=int)
    people = scope.visible_managers(current_user, page, current_app.config["USERS_PER_PAGE"], search)
    return render_template(
        "shared/people.html", people=people, search=search, person_endpoint=person_endpoint, heading=heading
    )


def person_page(user_id: int):
    try:
        person = scope.visible_user(current_user, user_id)
    except NotFound:
        abort(404)
    return render_template("shared/person.html", person=person)
