"""The queue's filters (a GET form) and the grade form (its criteria are read from the rubric)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, TextAreaField

from app.domain.people import CAREER_LEVELS
from app.labels import LEVEL_LABELS


def optional_int(value):
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


class QueueFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: it changes nothing

    exercise = SelectField(_l("Exercise"), coerce=optional_int, validate_choice=False)
    org_unit = SelectField(_l("Org unit"), coerce=optional_int, validate_choice=False)
    career_level = SelectField(
        _l("Career level"),
        choices=[SelectChoice("", _l("Any"))] + [SelectChoice(c, LEVEL_LABELS[c]) for c in CAREER_LEVELS],
        validate_choice=False,
    )
    mine = BooleanField(_l("Assigned to me: the responses I have opened"))


class GradeForm(FlaskForm):
    """The criteria's levels and comments are posted as `points-<criterion>` and `comment-<criterion>`."""

    overall_comment = TextAreaField(_l("Overall comment for the manager"))
    reason = TextAreaField(_l("Why you are changing the grade"))
