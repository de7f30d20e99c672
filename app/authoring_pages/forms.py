"""The editor's forms, and the conversions between them and the content's plain data.

Every field is optional at this level: a draft may be incomplete, and its problems are found by
the same check as a file (`authoring.check`). Only what cannot be stored at all (a number that
is not one) is refused here.
"""

from __future__ import annotations

from functools import cache

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import NumberRange, Optional

from app.domain import items
from app.domain.authoring import LOCALES, next_option_id, option_field
from app.domain.content_schema import DEFAULT_SETTINGS
from app.domain.framework import COMPETENCY_CODES

BLANK_OPTION_ROWS = 2  # empty rows under the options, so one can be added without JavaScript
MAX_WEIGHT = 5


class NewExerciseForm(FlaskForm):
    kind = RadioField(
        _l("Kind"),
        choices=[
            SelectChoice("quiz", _l("Quiz: items of any type")),
            SelectChoice("scenario", _l("Branching scenario")),
            SelectChoice("self_assessment", _l("Self-assessment: statements rated from 1 to 5")),
        ],
        default="quiz",
    )
    key = StringField(
        _l("Id"),
        description=_l("Lower-case letters, digits and hyphens; it names the exercise's file. It cannot change."),
    )
    title_es = StringField(_l("Title (Spanish)"))
    title_en = StringField(_l("Title (English)"))
    submit = SubmitField(_l("Create draft"))


class DuplicateForm(FlaskForm):
    new_key = StringField(_l("Id of the copy"))
    submit = SubmitField(_l("Duplicate"))


def _optional_int(value):
    return int(value) if value not in (None, "") else None


class DrawForm(Form):
    """One random draw: how many items each attempt takes from a list of item ids."""

    count = IntegerField(_l("How many"), validators=[Optional(), NumberRange(min=1)])
    items = TextAreaField(
        _l("From these items"),
        render_kw={"rows": 2},
        description=_l("Item ids from anywhere in the bank (secure pools included), separated by commas or spaces."),
    )


class ExerciseForm(FlaskForm):
    """Title, description and settings of a quiz (a scenario has the same, bar item settings)."""

    title_es = StringField(_l("Title (Spanish)"))
    title_en = StringField(_l("Title (English)"))
    description_es = TextAreaField(_l("Description (Spanish)"), render_kw={"rows": 3})
    description_en = TextAreaField(_l("Description (English)"), render_kw={"rows": 3})
    time_limit_minutes = IntegerField(
        _l("Time limit in minutes"), validators=[Optional(), NumberRange(min=1)], description=_l("Empty: no limit.")
    )
    attempts_allowed = IntegerField(
        _l("Attempts allowed"), validators=[Optional(), NumberRange(min=1)], description=_l("Empty: unlimited.")
    )
    shuffle_items = BooleanField(_l("Shuffle the items for each attempt"))
    shuffle_options = BooleanField(_l("Shuffle the options for each attempt"))
    feedback = SelectField(
        _l("Feedback"),
        choices=[
            SelectChoice("immediately", _l("After each item")),
            SelectChoice("after_submission", _l("After the attempt is submitted")),
            SelectChoice("never", _l("Never")),
        ],
    )
    open_practice = BooleanField(
        _l("Open practice"), description=_l("Any manager may take it without an assignment, as often as they like.")
    )
    anonymous_grading = BooleanField(_l("Grade written answers anonymously"))
    release_grades = SelectField(
        _l("Release grades"),
        choices=[
            SelectChoice("immediately", _l("As soon as they are final")),
            SelectChoice("by_trainer", _l("When a trainer releases them")),
        ],
    )
    moderation_percent = IntegerField(
        _l("Answers graded twice (%)"), validators=[Optional(), NumberRange(min=0, max=100)]
    )
    regrade_by = SelectField(
        _l("Who may regrade"),
        choices=[
            SelectChoice("any_trainer", _l("Any trainer")),
            SelectChoice("another_trainer", _l("Another trainer than the first grader")),
        ],
    )
    start = SelectField(_l("First step"), validate_choice=False)  # scenarios only
    draws = FieldList(FormField(DrawForm), min_entries=1)  # quizzes: items drawn at random per attempt
    submit = SubmitField(_l("Save"))

    SETTINGS = tuple(DEFAULT_SETTINGS)

    @classmethod
    def data_of(cls, body: dict) -> dict:
        settings = {**DEFAULT_SETTINGS, **(body.get("settings") or {})}
        data = {name: settings[name] for name in cls.SETTINGS}
        data["start"] = body.get("start", "")
        data["draws"] = [{"count": d.get("count"), "items": ", ".join(d.get("from", []))} for d in body.get("draw", [])]
        data["draws"].append({})
        for field in ("title", "description"):
            for locale in LOCALES:
                data[f"{field}_{locale}"] = (body.get(field) or {}).get(locale, "")
        return data

    def apply_to(self, body: dict) -> dict:
        """The body with this form's title, description and settings (defaults left out)."""
        result = dict(body)
        result["title"] = _text(self.title_es.data, self.title_en.data)
        description = _text(self.description_es.data, self.description_en.data)
        if any(description.values()):
            result["description"] = description
        else:
            result.pop("description", None)
        settings = {}
        for name in self.SETTINGS:
            value = getattr(self, name).data
            if name == "moderation_percent":
                value = value or 0
            if value != DEFAULT_SETTINGS[name] or name in (body.get("settings") or {}):
                settings[name] = value
        result["settings"] = settings
        if body.get("kind") == "scenario":
            result["start"] = self.start.data or ""
        else:
            draws = [
                {"count": row.form.count.data, "from": row.form.items.data.replace(",", " ").split()}
                for row in self.draws
                if (row.form.items.data or "").strip()
            ]
            if draws:
                result["draw"] = draws
            else:
                result.pop("draw", None)
        return result


def _text(es: str | None, en: str | None) -> dict:
    return {"es": (es or "").strip(), "en": (en or "").strip()}


def _value_field(name: str, schema: dict):
    """The control for an option's key, from the item type's schema."""
    if schema.get("type") == "boolean":
        return BooleanField(_l("Appropriate"))
    low, high = schema.get("minimum", 1), schema.get("maximum")
    if name == "key":
        labels = {3: _l("3 · best"), 2: _l("2 · acceptable"), 1: _l("1 · weak"), 0: _l("0 · counterproductive")}
        choices = [SelectChoice(k, labels[k]) for k in range(high, low - 1, -1)]
        label = _l("Effectiveness")
    elif name == "rating":
        choices = [SelectChoice(k, str(k)) for k in range(high, low - 1, -1)]
        label = _l("Experts' rating (5 = very effective)")
    if name in ("key", "rating"):  # "—" until the author decides; the content check asks for one
        return SelectField(
            label, choices=[SelectChoice("", "—"), *choices], coerce=_optional_int, validate_choice=False
        )
    if name == "rank":
        return IntegerField(_l("Rank (1 = most effective)"), validators=[Optional(), NumberRange(min=low)])
    return IntegerField(_l("Group (1 = most effective)"), validators=[Optional(), NumberRange(min=low)])


class _OptionBase(Form):
    option_id = HiddenField()
    text_es = TextAreaField(_l("Text (Spanish)"), render_kw={"rows": 2})
    text_en = TextAreaField(_l("Text (English)"), render_kw={"rows": 2})
    feedback_es = TextAreaField(_l("Feedback (Spanish)"), render_kw={"rows": 2})
    feedback_en = TextAreaField(_l("Feedback (English)"), render_kw={"rows": 2})
    remove = BooleanField(_l("Remove this option"))


class _ItemBase(FlaskForm):
    item_id = StringField(_l("Item id"), description=_l("Lower-case letters, digits and hyphens; unique in the bank."))
    stem_es = TextAreaField(_l("Situation and question (Spanish)"), render_kw={"rows": 5})
    stem_en = TextAreaField(_l("Situation and question (English)"), render_kw={"rows": 5})
    explanation_es = TextAreaField(_l("General feedback (Spanish, optional)"), render_kw={"rows": 2})
    explanation_en = TextAreaField(_l("General feedback (English, optional)"), render_kw={"rows": 2})
    submit = SubmitField(_l("Save item"))


@cache
def item_form_class(item_type: str) -> type[_ItemBase]:
    """The form of one item type: the common fields, the competency weights if the type is
    rule-scored, and the type's own fields."""
    fields: dict = {}
    kind = items.TYPES[item_type]
    if kind.evidence == "scored":
        for code in COMPETENCY_CODES:
            fields[f"w_{code}"] = IntegerField(
                code,
                validators=[Optional(), NumberRange(min=0, max=MAX_WEIGHT)],
                render_kw={"min": 0, "max": MAX_WEIGHT},
            )
    keyed = option_field(item_type)
    if keyed is not None:
        option_form = type(f"{item_type}_option", (_OptionBase,), {"value": _value_field(*keyed)})
        fields["options"] = FieldList(FormField(option_form), min_entries=2 + BLANK_OPTION_ROWS)
    if item_type == "numeric":
        fields["answer"] = DecimalField(_l("Answer"), validators=[Optional()])
        fields["tolerance"] = DecimalField(_l("Tolerance (±)"), validators=[Optional(), NumberRange(min=0)])
        fields["unit_es"] = StringField(_l("Unit (Spanish, optional)"))
        fields["unit_en"] = StringField(_l("Unit (English, optional)"))
        fields["feedback_es"] = TextAreaField(_l("Worked solution (Spanish)"), render_kw={"rows": 3})
        fields["feedback_en"] = TextAreaField(_l("Worked solution (English)"), render_kw={"rows": 3})
    if item_type == "open_response":
        fields["rubric"] = SelectField(_l("Rubric"), validate_choice=False)
        fields["max_chars"] = IntegerField(
            _l("Longest answer (characters)"), validators=[Optional(), NumberRange(min=100)]
        )
    if item_type == "likert":
        fields["competency"] = SelectField(_l("Competency"), validate_choice=False)
        fields["reverse"] = BooleanField(_l("Agreeing means less of the competency (reverse-scored)"))
    return type(f"{item_type}_form", (_ItemBase,), fields)


def item_data(item: dict) -> dict:
    """Form data for an item as stored."""
    data = {"item_id": item.get("id", "")}
    for field in ("stem", "explanation"):
        for locale in LOCALES:
            data[f"{field}_{locale}"] = (item.get(field) or {}).get(locale, "")
    for code, weight in (item.get("competencies") or {}).items():
        data[f"w_{code}"] = weight
    keyed = option_field(item["type"])
    if keyed is not None:
        rows = []
        for option in item.get("options") or []:
            row = {"option_id": option.get("id", ""), "value": option.get(keyed[0])}
            for field in ("text", "feedback"):
                for locale in LOCALES:
                    row[f"{field}_{locale}"] = (option.get(field) or {}).get(locale, "")
            rows.append(row)
        data["options"] = rows + [{}] * BLANK_OPTION_ROWS
    for name in ("answer", "tolerance", "rubric", "max_chars", "competency", "reverse"):
        if name in item:
            data[name] = item[name]
    for field in ("unit", "feedback"):
        if isinstance(item.get(field), dict):
            for locale in LOCALES:
                data[f"{field}_{locale}"] = item[field].get(locale, "")
    return data


def item_from(form: _ItemBase, item_type: str) -> dict:
    """The item the form describes: blank option rows and removed options left out."""
    item: dict = {"id": (form.item_id.data or "").strip(), "type": item_type}
    if items.TYPES[item_type].evidence == "scored":
        item["competencies"] = {
            code: getattr(form, f"w_{code}").data for code in COMPETENCY_CODES if getattr(form, f"w_{code}").data
        }
    item["stem"] = _text(form.stem_es.data, form.stem_en.data)
    explanation = _text(form.explanation_es.data, form.explanation_en.data)
    if any(explanation.values()):
        item["explanation"] = explanation
    keyed = option_field(item_type)
    if keyed is not None:
        rows = [row.form for row in form.options if not row.form.remove.data and _filled(row.form)]
        taken = [row.option_id.data for row in rows if row.option_id.data]
        options = []
        for row in rows:
            option_id = row.option_id.data or next_option_id(taken)
            taken.append(option_id)
            value = row.value.data
            options.append(
                {
                    "id": option_id,
                    "text": _text(row.text_es.data, row.text_en.data),
                    "feedback": _text(row.feedback_es.data, row.feedback_en.data),
                    keyed[0]: bool(value) if keyed[1].get("type") == "boolean" else value,
                }
            )
        item["options"] = options
    if item_type == "numeric":
        for name in ("answer", "tolerance"):
            value = getattr(form, name).data
            if value is not None:
                item[name] = int(value) if value == value.to_integral_value() else float(value)
        unit = _text(form.unit_es.data, form.unit_en.data)
        if any(unit.values()):
            item["unit"] = unit
        item["feedback"] = _text(form.feedback_es.data, form.feedback_en.data)
    if item_type == "open_response":
        item["rubric"] = form.rubric.data or ""
        if form.max_chars.data:
            item["max_chars"] = form.max_chars.data
    if item_type == "likert":
        item["competency"] = form.competency.data or ""
        if form.reverse.data:
            item["reverse"] = True
    return item


def _filled(row: Form) -> bool:
    return any(
        (getattr(row, f"{field}_{locale}").data or "").strip() for field in ("text", "feedback") for locale in LOCALES
    )


# --- scenarios ---------------------------------------------------------------------------------

POINT_SLOTS = 5  # competencies one choice gives evidence of (the bank uses at most five)
CRITICAL_SLOTS = 2


class _ChoiceBase(Form):
    choice_id = HiddenField()
    text_es = TextAreaField(_l("Choice (Spanish)"), render_kw={"rows": 2})
    text_en = TextAreaField(_l("Choice (English)"), render_kw={"rows": 2})
    feedback_es = TextAreaField(_l("Feedback (Spanish)"), render_kw={"rows": 2})
    feedback_en = TextAreaField(_l("Feedback (English)"), render_kw={"rows": 2})
    next = SelectField(_l("Leads to"), validate_choice=False)
    remove = BooleanField(_l("Remove this choice"))


def _choice_class() -> type[Form]:
    fields = {}
    for n in range(1, POINT_SLOTS + 1):
        fields[f"points_{n}_code"] = SelectField(_l("Evidence of"), validate_choice=False)
        fields[f"points_{n}"] = IntegerField(_l("Points"), validators=[Optional(), NumberRange(min=0)])
    for n in range(1, CRITICAL_SLOTS + 1):
        fields[f"critical_{n}"] = SelectField(_l("Critical for"), validate_choice=False)
    return type("ChoiceForm", (_ChoiceBase,), fields)


class StepForm(FlaskForm):
    step_id = StringField(_l("Step id"), description=_l("Lower-case letters, digits and hyphens."))
    end = BooleanField(_l("This step is an ending"))
    narrative_es = TextAreaField(_l("What happens (Spanish)"), render_kw={"rows": 4})
    narrative_en = TextAreaField(_l("What happens (English)"), render_kw={"rows": 4})
    outcome_es = TextAreaField(_l("Outcome shown at this ending (Spanish)"), render_kw={"rows": 3})
    outcome_en = TextAreaField(_l("Outcome shown at this ending (English)"), render_kw={"rows": 3})
    choices = FieldList(FormField(_choice_class()), min_entries=2 + BLANK_OPTION_ROWS)
    submit = SubmitField(_l("Save step"))

    def set_choices(self, step_ids: list[str], competencies: list[SelectChoice]) -> None:
        targets = [SelectChoice("", "—"), *(SelectChoice(s, s) for s in step_ids)]
        codes = [SelectChoice("", "—"), *competencies]
        for row in self.choices:
            row.form.next.choices = targets
            for name, field in row.form._fields.items():
                if isinstance(field, SelectField) and name != "next":  # points_n_code, critical_n
                    field.choices = codes


def step_data(step: dict) -> dict:
    data = {"step_id": step.get("id", ""), "end": bool(step.get("end"))}
    for field in ("narrative", "outcome"):
        for locale in LOCALES:
            data[f"{field}_{locale}"] = (step.get(field) or {}).get(locale, "")
    rows = []
    for choice in step.get("choices") or []:
        row = {"choice_id": choice.get("id", ""), "next": choice.get("next", "")}
        for field in ("text", "feedback"):
            for locale in LOCALES:
                row[f"{field}_{locale}"] = (choice.get(field) or {}).get(locale, "")
        for n, (code, points) in enumerate((choice.get("points") or {}).items(), start=1):
            row[f"points_{n}_code"], row[f"points_{n}"] = code, points
        for n, code in enumerate(choice.get("critical") or [], start=1):
            row[f"critical_{n}"] = code
        rows.append(row)
    data["choices"] = rows + [{}] * BLANK_OPTION_ROWS
    return data


def step_from(form: StepForm) -> dict:
    """The step the form describes; an ending keeps no choices, a step no outcome."""
    step: dict = {"id": (form.step_id.data or "").strip()}
    if form.end.data:
        step["end"] = True
        step["outcome"] = _text(form.outcome_es.data, form.outcome_en.data)
        return step
    step["narrative"] = _text(form.narrative_es.data, form.narrative_en.data)
    rows = [row.form for row in form.choices if not row.form.remove.data and _filled(row.form)]
    taken = [row.choice_id.data for row in rows if row.choice_id.data]
    choices = []
    for row in rows:
        choice_id = row.choice_id.data or next_option_id(taken)
        taken.append(choice_id)
        choice = {
            "id": choice_id,
            "text": _text(row.text_es.data, row.text_en.data),
            "feedback": _text(row.feedback_es.data, row.feedback_en.data),
            "next": row.next.data or "",
        }
        points = {}
        for n in range(1, POINT_SLOTS + 1):
            code, value = getattr(row, f"points_{n}_code").data, getattr(row, f"points_{n}").data
            if code and value is not None:
                points[code] = points.get(code, 0) + value
        if points:
            choice["points"] = points
        critical = [c for n in range(1, CRITICAL_SLOTS + 1) if (c := getattr(row, f"critical_{n}").data)]
        if critical:
            choice["critical"] = list(dict.fromkeys(critical))
        choices.append(choice)
    step["choices"] = choices
    return step


class MoodleImportForm(FlaskForm):
    file = FileField(
        _l("Moodle file"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["xml", "gift", "txt"], _l("A Moodle XML (.xml) or GIFT (.gift, .txt) file.")),
        ],
        description=_l("Moodle XML (.xml) or GIFT (.gift, .txt), exported from a Moodle question bank."),
    )
    language = RadioField(
        _l("Language of the questions"),
        choices=[SelectChoice("es", _l("Spanish")), SelectChoice("en", _l("English"))],
        default="es",
    )
    key = StringField(_l("Id of the new exercise"), description=_l("Lower-case letters, digits and hyphens."))
    title = StringField(_l("Title (in the questions' language)"))
    accept_skips = BooleanField(_l("If some questions cannot be imported, import the rest anyway"))
    submit = SubmitField(_l("Import as a draft"))
