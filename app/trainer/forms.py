from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SearchField, SelectChoice, SelectField, SubmitField
from wtforms.validators import DataRequired, Optional

from app.domain.people import CAREER_LEVELS
from app.forms import CheckboxListField, DayField
from app.labels import LEVEL_LABELS


def _optional_int(value):
    return int(value) if value not in (None, "") else None


class AssignmentForm(FlaskForm):
    exercise = SelectField(_l("Exercise"), validators=[DataRequired()])
    target = RadioField(
        _l("Who takes it"),
        choices=[
            SelectChoice("users", _l("The managers I choose")),
            SelectChoice("org_unit", _l("Every manager of an org unit (and the units below it)")),
            SelectChoice("career_level", _l("Every manager of a career level")),
        ],
        validators=[DataRequired(_l("Choose who the exercise is for."))],
    )  # no default: a trainer always says who, so one click never reaches the whole bank
    # Only the field matching `target` is used; the service checks it against the assigner's scope.
    user_ids = CheckboxListField(_l("Managers"), coerce=int, validate_choice=False)
    org_unit_id = SelectField(_l("Org unit"), coerce=_optional_int, validate_choice=False)
    career_level = SelectField(
        _l("Career level"),
        choices=[SelectChoice("", _l("Choose a career level"))]
        + [SelectChoice(c, LEVEL_LABELS[c]) for c in CAREER_LEVELS],
        validate_choice=False,
    )
    manager_search = SearchField(_l("Find managers by name or email"))
    due_on = DayField(
        _l("Due date (optional)"), description=_l("Day/month/year, like 31/03/2026."), validators=[Optional()]
    )
    submit = SubmitField(_l("Continue"))
    # Set by the confirmation page: how many managers the trainer saw and agreed to.
    confirmed_count = HiddenField()
