"""JSON API, version 1."""

from flask import Blueprint, jsonify
from flask_login import current_user

from app.access import signed_in

bp = Blueprint("api", __name__)


@bp.route("/me")
@signed_in
def me():
    user = current_user
    return jsonify(
        id=user.id,
        email=user.email,
        name=user.name,
        roles=sorted(user.roles),
        career_level=user.career_level,
        org_unit=user.org_unit.name if user.org_unit else None,
        locale=user.locale,
    )
