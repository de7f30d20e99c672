"""The trainer's area."""

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from app.access import roles
from app.people import people_page, person_page

bp = Blueprint("trainer", __name__)


@bp.route("/")
@roles("trainer")
def index():
    return render_template("trainer/index.html")


@bp.route("/people")
@roles("trainer")
def people():
    return people_page("trainer.person", _l("Managers in your scope"))


@bp.route("/people/<int:user_id>")
@roles("trainer")
def person(user_id: int):
    return person_page(user_id)
