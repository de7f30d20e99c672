from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectChoice, SelectField, SubmitField
from wtforms.validators import DataRequired, Optional

from app.domain.people import CAREER_LEVELS
from app.forms import CheckboxListField
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
        default="org_unit",
        validators=[DataRequired()],
    )
    # Only the field matching `target` is used; the service checks it against the assigner's scope.
    user_ids = CheckboxListField(_l("Managers"), coerce=int, validate_choice=False)
    org_unit_id = SelectField(_l("Org unit"), coerce=_optional_int, validate_choice=False)
    career_level = SelectField(
        _l("Career level"), choices=[SelectChoice(c, LEVEL_LABELS[c]) for c in CAREER_LEVELS], validate_choice=False
    )
    due_on = DateField(_l("Due date (optional)"), validators=[Optional()])
    submit = SubmitField(_l("Assign"))
