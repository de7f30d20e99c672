"""Helpers shared by every blueprint's forms."""

from flask import flash
from flask_wtf import FlaskForm

from app.services.errors import Invalid


def show_errors(form: FlaskForm, error: Invalid) -> None:
    """Attach a service's rejection to the form fields it names; the rest is flashed."""
    for field_name, messages in error.errors.items():
        field = getattr(form, field_name, None) if field_name else None
        for message in messages:
            if field is not None:
                field.errors = [*field.errors, str(message)]
            else:
                flash(str(message), "danger")
