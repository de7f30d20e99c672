"""The manager's area."""

from flask import Blueprint, render_template
from flask_login import current_user

from app.access import roles

bp = Blueprint("learner", __name__)


@bp.route("/")
@roles("manager")
def index():
    return render_template("learner/index.html", user=current_user)
