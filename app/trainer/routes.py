"""The trainer's area."""

from flask import Blueprint, render_template
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.access import roles
from app.domain import content_stats
from app.domain.framework import competency_names
from app.people import people_page, person_page
from app.services import content_loader

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


@bp.route("/content")
@roles("trainer", "hr")
def content():
    bank, exercises = content_loader.catalogue()
    return render_template(
        "trainer/content.html",
        coverage=content_stats.coverage(bank),
        exercises=exercises,
        names=competency_names(bank.framework, str(get_locale())),
        types=content_stats.MEASURED_TYPES,
    )
