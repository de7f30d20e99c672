"""HTTP security headers for every response, and input no database can store refused at the door."""

from itertools import chain

from flask import Response, abort, current_app, request
from werkzeug.routing import IntegerConverter

MAX_DATABASE_INT = 2**31 - 1  # the largest value of an integer column on PostgreSQL (and the ids here)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def add_security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if current_app.config.get("HSTS_SECONDS"):
        response.headers.setdefault("Strict-Transport-Security", f"max-age={current_app.config['HSTS_SECONDS']}")
    return response


def refuse_nul_bytes() -> None:
    """A NUL character in a query or form value is never meant (PostgreSQL cannot store it in text):
    the request is refused as a whole, before any view sees it."""
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        values = chain(request.args.items(multi=True), request.form.items(multi=True))
    else:
        values = request.args.items(multi=True)
    if any("\x00" in key or "\x00" in value for key, value in values):
        abort(400, description="A value contains a NUL character.")


class DatabaseInt(IntegerConverter):
    """`<int:…>` in every route: a number an integer column can hold, so a larger one is simply not
    found (404) instead of reaching the database."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_DATABASE_INT)
        super().__init__(url_map, *args, **kwargs)
