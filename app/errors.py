"""Error pages: HTML for people, JSON for the API. A 500 rolls back the session."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound

from app.access import wants_json
from app.extensions import db
from app.services.errors import NotFound as ServiceNotFound

MESSAGES = {
    400: _l("The request could not be understood. Check what you sent and try again."),
    403: _l("You do not have permission to open this page."),
    404: _l("This page does not exist, or you cannot see it."),
    405: _l("This action is not allowed here."),
    413: _l("The file is too large."),
    429: _l("Too many attempts. Wait a minute and try again."),
    500: _l("Something went wrong on our side. Nothing you sent was half-saved; please try again."),
}
TITLES = {
    400: _l("Bad request"),
    403: _l("Forbidden"),
    404: _l("Not found"),
    405: _l("Not allowed"),
    413: _l("Too large"),
    429: _l("Too many requests"),
    500: _l("Server error"),
}


def render_error(error: HTTPException):
    code = error.code or 500
    message = MESSAGES.get(code, error.description)
    if code == 400 and getattr(error, "description", None) and "CSRF" in error.description:
        message = _l("The form had expired or was not sent from this site. Reload the page and try again.")
    if wants_json():
        return jsonify(error=error.name.lower().replace(" ", "_"), message=str(message)), code
    title = TITLES.get(code, error.name)
    return render_template("errors/error.html", code=code, title=title, message=message), code


def handle_http_error(error: HTTPException):
    return render_error(error)


def handle_unexpected(error: Exception):
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    db.session.rollback()
    return render_error(InternalServerError(original_exception=error))


def handle_not_found(_error: ServiceNotFound):
    """A service's NotFound (missing, or outside the caller's scope) is a plain 404."""
    return render_error(NotFound())


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(ServiceNotFound, handle_not_found)
    if not app.testing:
        # In tests an unexpected exception should surface with its traceback.
        app.register_error_handler(Exception, handle_unexpected)
