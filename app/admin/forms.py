from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.domain.people import CAREER_LEVELS, ROLES
from app.forms import CheckboxListField, email_address
from app.labels import LEVEL_LABELS, ROLE_LABELS


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class UserForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), email_address, Length(max=254)], filters=[_strip])
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)], filters=[_strip])
    career_level = SelectField(
        _l("Career level"),
        choices=[SelectChoice("", _l("None"))] + [SelectChoice(c, LEVEL_LABELS[c]) for c in CAREER_LEVELS],
    )
    org_unit_id = SelectField(_l("Org unit"), coerce=int)
    locale = SelectField(
        _l("Language"),
        choices=[SelectChoice("", _l("Browser default")), SelectChoice("es", "Español"), SelectChoice("en", "English")],
    )
    active = BooleanField(_l("Active"), default=True)
    roles = CheckboxListField(_l("Roles"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES])
    scope_unit_ids = CheckboxListField(
        _l("Scope (trainers and HR)"),
        coerce=int,
        description=_l("The org units this user may see; each includes the units below it."),
    )
    submit = SubmitField(_l("Save"))

    def set_unit_choices(self, labelled_units) -> None:
        choices = [SelectChoice(unit.id, label) for unit, label in labelled_units]
        self.org_unit_id.choices = [SelectChoice(0, _l("None"))] + choices
        self.scope_unit_ids.choices = choices


class OrgUnitForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    parent_id = SelectField(_l("Inside"), coerce=int)
    submit = SubmitField(_l("Add unit"))


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        validators=[FileAllowed(["csv", "txt"], _l("Upload a .csv file."))],
        description=_l("Columns: email, name, career_level, org_unit, roles. UTF-8; comma or semicolon separated."),
    )
    pasted = TextAreaField(_l("Or paste the CSV here"), validators=[Optional()])
    submit = SubmitField(_l("Preview"))


class SyntheticForm(FlaskForm):
    managers = IntegerField(
        _l("Managers"),
        validators=[DataRequired(), NumberRange(1, 10_000)],
        default=100,
        render_kw={"inputmode": "numeric"},
    )
    months = IntegerField(_l("Months of history"), validators=[DataRequired(), NumberRange(1, 36)], default=12)
    seed = IntegerField(
        _l("Seed"), validators=[InputRequired()], default=2026, description=_l("The same seed gives the same managers.")
    )
    submit = SubmitField(_l("Generate"))
