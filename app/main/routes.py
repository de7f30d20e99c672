"""The home page that sends each role to its area, the language switch and the health check."""

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from app.access import public
from app.domain.people import home_role
from app.domain.redirects import is_local_path
from app.extensions import db
from app.services.users import set_locale

bp = Blueprint("main", __name__)

AREAS = {"admin": "admin.users_list", "hr": "hr.index", "trainer": "trainer.index", "manager": "learner.index"}


@bp.route("/")
@public
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    role = home_role(current_user.roles)
    if role is None:
        return render_template("main/no_role.html")
    return redirect(url_for(AREAS[role]))


@bp.route("/language", methods=["POST"])
@public
def set_language():
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            set_locale(current_user, locale)
    target = request.form.get("next", "")
    return redirect(target if is_local_path(target) else url_for("main.home"))


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # any failure to reach the database is what this endpoint reports
        db.session.rollback()
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return jsonify(status="ok" if status == 200 else "degraded", database=database), status
