"""HR's area."""

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from app.access import roles
from app.people import people_page, person_page

bp = Blueprint("hr", __name__)


@bp.route("/")
@roles("hr")
def index():
    return render_template("hr/index.html")


@bp.route("/people")
@roles("hr")
def people():
    return people_page("hr.person", _l("People in your scope"))


@bp.route("/people/<int:user_id>")
@roles("hr")
def person(user_id: int):
    return person_page(user_id)
