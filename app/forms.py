"""Helpers shared by every blueprint's forms."""

from flask import flash, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, SubmitField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.domain.dates import day_text, parse_day
from app.domain.people import looks_like_email
from app.services.errors import Invalid


def email_address(form, field) -> None:
    """The CSV import's rule (email-validator, through the domain), with WTForms' own message."""
    if not looks_like_email(field.data or ""):
        raise ValidationError(field.gettext("Invalid email address."))


class ActionForm(FlaskForm):
    """A button that posts with a CSRF token and nothing else."""

    submit = SubmitField()


class CheckboxListField(SelectMultipleField):
    """A multiple choice shown as checkboxes: operable without modifier keys."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DayField(StringField):
    """A day typed as the bank writes it, day first (31/03/2026), whatever the browser's language:
    a native date input shows the browser's order, so an English Chromium asked for mm/dd/yyyy."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {}).update({"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if self.raw:
            try:
                self.data = parse_day(self.raw)
            except ValueError:
                raise ValueError(_l("Write the date day first, like 31/03/2026.")) from None

    def _value(self) -> str:
        if self.data is not None:
            return day_text(self.data)
        return getattr(self, "raw", "") or ""


def show_errors(form: FlaskForm, error: Invalid) -> None:
    """Attach a service's rejection to the form fields it names; the rest is flashed."""
    for field_name, messages in error.errors.items():
        field = getattr(form, field_name, None) if field_name else None
        for message in messages:
            if field is not None:
                field.errors = [*field.errors, str(message)]
            else:
                flash(str(message), "danger")


MAX_INT = 2**31 - 1  # what every database here stores in an integer column


def int_arg(name: str, default: int | None = None) -> int | None:
    """A positive integer query argument, or the default when it is missing, garbage or absurd."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= MAX_INT else default


def beyond_last_page(pagination) -> bool:
    """A page number past the end (an old bookmark, a shrunk list): callers send it to the last page."""
    return pagination.pages > 0 and pagination.page > pagination.pages


def link_args(**values) -> dict:
    """Query arguments for the links a page builds: the filters it validated and applies, never
    the raw request (whose `_external`, `_method` or `endpoint` would steer `url_for`)."""
    return {name: value for name, value in values.items() if value not in (None, "")}


def last_page_url(pagination, args: dict) -> str:
    return url_for(request.endpoint, **(request.view_args or {}), **{**args, "page": pagination.pages})
