"""Trainers write exercises in the browser: drafts, items of every type, checks, preview, publish.

Every change is saved to the draft as typed, even when the content check finds problems: those
are shown next to the fields they concern and only block publishing.
"""

from __future__ import annotations

import copy
import re

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from app.access import roles
from app.authoring_pages.forms import (
    DuplicateForm,
    ExerciseForm,
    MoodleImportForm,
    NewExerciseForm,
    StepForm,
    item_data,
    item_form_class,
    item_from,
    step_data,
    step_from,
)
from app.domain import items, moodle, scenario_graph, writing_check
from app.domain.authoring import LOCALES, item_field, missing_translations, option_field, split_path, step_field
from app.domain.framework import COMPETENCY_CODES, competency_names
from app.domain.scenarios import best_points, score_path
from app.forms import show_errors
from app.models import ContentDraft
from app.services import authoring, content_loader
from app.services.content_messages import localise
from app.services.errors import Invalid, NotFound

bp = Blueprint("authoring", __name__)


def _locale() -> str:
    return str(get_locale())


def _draft(key: str) -> ContentDraft:
    try:
        return authoring.get_draft(key)
    except NotFound:
        abort(404)


@bp.route("/")
@roles("trainer")
def index():
    bank, documents = content_loader.catalogue()
    return render_template(
        "authoring/index.html",
        drafts=authoring.drafts(),
        documents=[d for d in documents if not d.retired],
        form=NewExerciseForm(),
        action_form=FlaskForm(),
    )


@bp.route("/new", methods=["POST"])
@roles("trainer")
def new():
    form = NewExerciseForm()
    if form.validate_on_submit():
        try:
            draft = authoring.start_new(
                current_user,
                form.kind.data,
                (form.key.data or "").strip(),
                {"es": (form.title_es.data or "").strip(), "en": (form.title_en.data or "").strip()},
            )
        except Invalid as refused:
            show_errors(form, refused)
        else:
            return redirect(url_for(".draft", key=draft.key))
    bank, documents = content_loader.catalogue()
    return render_template(
        "authoring/index.html",
        drafts=authoring.drafts(),
        documents=[d for d in documents if not d.retired],
        form=form,
        action_form=FlaskForm(),
    ), 422


@bp.route("/<key>/edit", methods=["POST"])
@roles("trainer")
def edit(key):
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        authoring.start_edit(current_user, key)
    except NotFound:
        abort(404)
    except Invalid as refused:
        show_errors(FlaskForm(), refused)
        return redirect(url_for(".index"))
    item = request.form.get("item", type=int)
    return redirect(url_for(".item", key=key, n=item) if item else url_for(".draft", key=key))


@bp.route("/<key>/duplicate", methods=["GET", "POST"])
@roles("trainer")
def duplicate(key):
    bank = content_loader.current_bank()
    if key not in bank.exercises:
        abort(404)
    form = DuplicateForm(data={"new_key": f"{key}-2"} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            draft = authoring.duplicate(current_user, key, (form.new_key.data or "").strip())
        except Invalid as refused:
            show_errors(form, refused)
        else:
            flash(_("A copy of the exercise is ready to edit."), "success")
            return redirect(url_for(".draft", key=draft.key))
    return render_template(
        "authoring/duplicate.html", key=key, title=bank.exercises[key]["title"], form=form
    ), 422 if form.errors else 200


def _problems(draft: ContentDraft):
    """The draft's check, its errors split between the exercise's fields and each item's (or
    step's), as (path, message in the trainer's language)."""
    result = authoring.check(draft)
    general, by_item = [], {}
    for error in result.errors:
        index, inner = split_path(error.path, "steps" if draft.body.get("kind") == "scenario" else "items")
        if index is None:
            general.append((error.path, localise(error.message)))
        else:
            by_item.setdefault(index, []).append((inner, localise(error.message)))
    return result, general, by_item


def _exercise_field(form: ExerciseForm, path: str):
    """The exercise form's field a problem's path names ('draw[1].from[0]' → that draw's items)."""
    draw = re.match(r"^draw\[(\d+)\]\.?(\w*)", path)
    if draw:
        index, part = int(draw.group(1)), draw.group(2)
        if index >= len(form.draws.entries):
            return None
        row = form.draws.entries[index].form
        return row.count if part == "count" else row.items
    field = getattr(form, path.removeprefix("settings.").replace(".", "_"), None)
    if field is None or not hasattr(field, "errors") or field.type in ("SubmitField", "FieldList"):
        return None
    return field


@bp.route("/<key>/", methods=["GET", "POST"])
@roles("trainer")
def draft(key):
    draft = _draft(key)
    form = ExerciseForm(data=ExerciseForm.data_of(draft.body) if request.method == "GET" else None)
    scenario = draft.body.get("kind") == "scenario"
    step_ids = [s.get("id", "") for s in draft.body.get("steps", [])]
    form.start.choices = [SelectChoice("", "—"), *(SelectChoice(s, s) for s in step_ids)]
    if form.validate_on_submit():
        authoring.save(draft, form.apply_to(draft.body))
        flash(_("Saved."), "success")
        return redirect(url_for(".draft", key=key))
    result, general, by_item = _problems(draft)
    unplaced = []
    for path, message in general:  # titles, settings and draws: beside their fields
        field = _exercise_field(form, path)
        if field is None:
            unplaced.append((path, message))
        else:
            field.errors = [*field.errors, message]
    summary = {s.locale: s for s in writing_check.summarise(result.findings) if s.kind == "all"}
    # The same position for every key is a cue of its own (shuffling hides it only where it is on).
    fixed = bool(writing_check.fixed_positions(result.findings))
    return render_template(
        "authoring/draft.html",
        draft=draft,
        form=form,
        action_form=FlaskForm(),
        errors=result.errors,
        general=unplaced,
        placed=len(general) - len(unplaced),
        by_item=by_item,
        warnings={f.question.ref for f in result.findings if writing_check.warnings(f)},
        summary=summary,
        fixed_position=fixed,
        missing=missing_translations(draft.body),
        types=_addable_types(draft.body.get("kind")),
        scenario=scenario,
        **(_scenario_view(draft.body) if scenario else {}),
        has_written=any(i.get("type") in items.GRADED for i in draft.body.get("items", [])),
    ), 422 if request.method == "POST" else 200


def _addable_types(kind: str | None) -> list[str]:
    """A quiz takes every type but self-assessment statements, which only a self-assessment takes."""
    if kind == "quiz":
        return [t for t in items.TYPES if t not in items.SELF_RATED]
    return list(items.SELF_RATED) if kind == "self_assessment" else []


def _scenario_view(body: dict) -> dict:
    """The graph, the best points per competency and each ending's scores, as the draft stands."""
    graph = scenario_graph.layout(body)
    endings = scenario_graph.ending_scores(body)
    return {
        "graph": graph,
        "best": best_points(body) if endings is not None else {},
        "endings": endings,
        "names": competency_names(content_loader.current_bank().framework, _locale()),
    }


@bp.route("/<key>/steps", methods=["POST"])
@roles("trainer")
def add_step(key):
    draft = _draft(key)
    ending = request.form.get("kind") == "end"
    if not FlaskForm().validate_on_submit() or draft.body.get("kind") != "scenario":
        abort(400)
    body = copy.deepcopy(draft.body)
    steps = body.setdefault("steps", [])
    taken = {s.get("id") for s in steps}
    step_id = body.get("start") if not steps and body.get("start") else None
    number = len(steps) + 1
    while step_id is None or step_id in taken:
        step_id, number = f"{'ending' if ending else 'step'}-{number}", number + 1
    blank = {"es": "", "en": ""}
    steps.append(
        {"id": step_id, "end": True, "outcome": blank} if ending else {"id": step_id, "narrative": blank, "choices": []}
    )
    authoring.save(draft, body)
    return redirect(url_for(".step", key=key, n=len(steps)))


@bp.route("/<key>/steps/<int:n>", methods=["GET", "POST"])
@roles("trainer")
def step(key, n):
    draft = _draft(key)
    steps = draft.body.get("steps", [])
    if draft.body.get("kind") != "scenario" or not 1 <= n <= len(steps):
        abort(404)
    current = steps[n - 1]
    form = StepForm() if request.method == "POST" else StepForm(data=step_data(current))
    names = competency_names(content_loader.current_bank().framework, _locale())
    form.set_choices(
        [s.get("id", "") for s in steps if s is not current],
        [SelectChoice(c, names.get(c, c)) for c in COMPETENCY_CODES],
    )
    if form.validate_on_submit():
        body = copy.deepcopy(draft.body)
        new = step_from(form)
        if current.get("id") == body.get("start") and new["id"] != current.get("id"):
            body["start"] = new["id"]  # renaming the first step keeps it first
        for other in body["steps"]:  # and every choice leading to it follows it
            for choice in other.get("choices") or []:
                if choice.get("next") == current.get("id") and new["id"] != current.get("id"):
                    choice["next"] = new["id"]
        body["steps"][n - 1] = new
        authoring.save(draft, body)
        flash(_("Step saved."), "success")
        return redirect(url_for(".step", key=key, n=n))
    _result, _general, by_step = _problems(draft)
    unplaced = []
    if request.method == "GET":
        for path, message in by_step.get(n - 1, []):
            field = _find(form, step_field(path))
            if field is None:
                unplaced.append(message)
            else:
                field.errors = [*field.errors, message]
    return render_template(
        "authoring/step.html",
        draft=draft,
        n=n,
        total=len(steps),
        step=current,
        form=form,
        unplaced=unplaced,
        refused=request.method == "POST",
        missing=missing_translations(current),
    ), 422 if request.method == "POST" else 200


@bp.route("/<key>/items", methods=["POST"])
@roles("trainer")
def add_item(key):
    draft = _draft(key)
    item_type = request.form.get("type", "")
    if not FlaskForm().validate_on_submit() or item_type not in _addable_types(draft.body.get("kind")):
        abort(400)
    body = copy.deepcopy(draft.body)
    taken = {i.get("id") for i in body.get("items", [])}
    number = len(body.get("items", [])) + 1
    while f"{key}-{number}" in taken:
        number += 1
    body.setdefault("items", []).append(_blank_item(f"{key}-{number}", item_type))
    authoring.save(draft, body)
    return redirect(url_for(".item", key=key, n=len(body["items"])))


def _blank_item(item_id: str, item_type: str) -> dict:
    item: dict = {"id": item_id, "type": item_type, "stem": {"es": "", "en": ""}}
    if items.TYPES[item_type].evidence == "scored":
        item["competencies"] = {}
    if option_field(item_type) is not None:
        item["options"] = []
    return item


def _item_form(draft: ContentDraft, item: dict, formdata: bool):
    form_class = item_form_class(item["type"])
    form = form_class() if formdata else form_class(data=item_data(item))
    bank = content_loader.current_bank()
    if hasattr(form, "rubric"):
        form.rubric.choices = [SelectChoice("", _("Choose a rubric"))] + [
            SelectChoice(k, r["title"][_locale()]) for k, r in sorted(bank.rubrics.items())
        ]
    if hasattr(form, "competency"):
        names = competency_names(bank.framework, _locale())
        form.competency.choices = [SelectChoice("", _("Choose a competency"))] + [
            SelectChoice(code, names.get(code, code)) for code in COMPETENCY_CODES
        ]
    return form


@bp.route("/<key>/items/<int:n>", methods=["GET", "POST"])
@roles("trainer")
def item(key, n):
    draft = _draft(key)
    entries = draft.body.get("items", [])
    if not 1 <= n <= len(entries) or draft.body.get("kind") == "scenario":
        abort(404)
    current = entries[n - 1]
    form = _item_form(draft, current, request.method == "POST")
    if form.validate_on_submit():
        body = copy.deepcopy(draft.body)
        body["items"][n - 1] = item_from(form, current["type"])
        authoring.save(draft, body)
        flash(_("Item saved."), "success")
        go = request.form.get("go")
        if go == "preview":
            return redirect(url_for(".preview", key=key, item=n))
        return redirect(url_for(".item", key=key, n=n))
    result, _general, by_item = _problems(draft)
    keyed = option_field(current["type"])
    unplaced = []
    if request.method == "GET":  # the saved content's problems, beside the fields they concern
        for path, message in by_item.get(n - 1, []):
            field = _find(form, item_field(path, keyed[0] if keyed else None))
            if field is None:
                unplaced.append((path, message))
            else:
                field.errors = [*field.errors, message]
    bank = content_loader.current_bank()
    return render_template(
        "authoring/item.html",
        draft=draft,
        n=n,
        total=len(entries),
        item=current,
        form=form,
        action_form=FlaskForm(),
        unplaced=unplaced,
        findings=[f for f in result.findings if f.question.ref == current["id"]],
        framework=bank.framework,
        names=competency_names(bank.framework, _locale()),
        codes=COMPETENCY_CODES,
        keyed=keyed,
        missing=missing_translations(current),
        refused=request.method == "POST",
    ), 422 if request.method == "POST" else 200


def _find(form, name: str):
    """The field called `name` ('options-1-text_es' included), or None."""
    if not name:
        return None
    if name.startswith(("options-", "choices-")):
        prefix, index, field = name.split("-", 2)
        rows = getattr(form, prefix, None)
        if rows is None or int(index) >= len(rows.entries):
            return None
        return getattr(rows.entries[int(index)].form, field, None)
    field = getattr(form, name, None)
    if field is None or not hasattr(field, "errors") or field.type == "FieldList":
        return None  # the options as a whole: said above the form
    return field


@bp.route("/<key>/<any(items, steps):collection>/<int:n>/<any(delete, up, down):action>", methods=["POST"])
@roles("trainer")
def move(key, collection, n, action):
    """Remove an item or a step from the draft, or move it one place up or down."""
    draft = _draft(key)
    if not FlaskForm().validate_on_submit():
        abort(400)
    body = copy.deepcopy(draft.body)
    entries = body.get(collection, [])
    if not 1 <= n <= len(entries):
        abort(404)
    if action == "delete":
        removed = entries.pop(n - 1)
        flash(_("%(id)s was removed from the draft.", id=removed.get("id", "")), "success")
    else:
        other = n - 2 if action == "up" else n
        if 0 <= other < len(entries):
            entries[n - 1], entries[other] = entries[other], entries[n - 1]
    authoring.save(draft, body)
    return redirect(url_for(".draft", key=key) + f"#{collection}")


@bp.route("/<key>/publish", methods=["POST"])
@roles("trainer")
def publish(key):
    draft = _draft(key)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        published = authoring.publish(current_user, draft)
    except Invalid as refused:
        show_errors(FlaskForm(), refused)
        return redirect(url_for(".draft", key=key))
    flash(
        ngettext(
            "Published: version %(n)d of %(key)s; %(num)d item new or changed.",
            "Published: version %(n)d of %(key)s; %(num)d items new or changed.",
            published.items,
            n=published.version,
            key=key,
        ),
        "success",
    )
    return redirect(url_for(".index"))


@bp.route("/<key>/discard", methods=["POST"])
@roles("trainer")
def discard(key):
    draft = _draft(key)
    if not FlaskForm().validate_on_submit():
        abort(400)
    authoring.discard(current_user, draft)
    flash(_("The draft of %(key)s was discarded; what was published is unchanged.", key=key), "success")
    return redirect(url_for(".index"))


@bp.route("/<key>/retire", methods=["POST"])
@roles("trainer")
def retire(key):
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        authoring.retire(current_user, key)
    except NotFound:
        abort(404)
    except Invalid as refused:
        show_errors(FlaskForm(), refused)
    else:
        flash(_("%(key)s was retired: nobody can start it; results already earned are kept.", key=key), "success")
    return redirect(url_for(".index"))


@bp.route("/<key>/preview", methods=["GET", "POST"])
@roles("trainer")
def preview(key):
    """An item of the draft as a manager sees it, in either language; an answer is scored and
    reviewed here and recorded nowhere."""
    draft = _draft(key)
    entries = draft.body.get("items", [])
    n = request.args.get("item", 1, type=int)
    language = request.args.get("lang", _locale())
    if language not in LOCALES or not entries or not 1 <= n <= len(entries):
        abort(404)
    current = entries[n - 1]
    result, _general, by_item = _problems(draft)
    broken = bool(by_item.get(n - 1))
    review = None
    if request.method == "POST" and not broken:
        if not FlaskForm().validate_on_submit():
            abort(400)
        option_ids = [o["id"] for o in current.get("options") or []]
        value, problem = items.parse(current, request.form, option_ids, language)
        review = {"value": value, "problem": problem, "score": None}
        if problem is None and value is not None and items.is_scored(current):
            review["score"] = items.score(current, value)
        review["options"] = [
            (o, *items.mark(current, value, o["id"]), *items.key_mark(current, o["id"]))
            for o in current.get("options") or []
        ]
    with force_locale(language):  # the whole page as a manager reading in that language sees it
        return render_template(
            "authoring/preview.html",
            draft=draft,
            n=n,
            total=len(entries),
            item=current,
            broken=broken,
            review=review,
            language=language,
            action_form=FlaskForm(),
        )


@bp.route("/<key>/path")
@roles("trainer")
def preview_path(key):
    """A scenario walked one decision at a time, as a manager walks it, and recorded nowhere:
    the decisions so far travel in the query string (`c`, in order)."""
    draft = _draft(key)
    body = draft.body
    language = request.args.get("lang", _locale())
    if body.get("kind") != "scenario" or language not in LOCALES:
        abort(404)
    broken = any(node.problems for node in scenario_graph.layout(body).nodes)
    steps = {s.get("id"): s for s in body.get("steps", [])}
    taken = request.args.getlist("c")
    walked, at = [], body.get("start")
    if not broken:
        for choice_id in taken:
            choice = next((c for c in steps[at].get("choices") or [] if c.get("id") == choice_id), None)
            if choice is None:
                abort(404)
            walked.append((steps[at], choice))
            at = choice["next"]
    current = steps.get(at)
    result = None
    if not broken and current is not None and current.get("end"):
        result = score_path(body, [(s["id"], c["id"]) for s, c in walked])
    with force_locale(language):
        return render_template(
            "authoring/path.html",
            draft=draft,
            broken=broken or current is None,
            walked=walked,
            taken=taken,
            current=current,
            result=result,
            language=language,
            names=competency_names(content_loader.current_bank().framework, language),
        )


@bp.route("/import", methods=["GET", "POST"])
@roles("trainer")
def moodle_import():
    """Moodle XML or GIFT in, a draft out; the questions Cartera cannot hold are listed with the
    reason, and nothing is stored until the trainer accepts leaving them out."""
    form = MoodleImportForm()
    skipped = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            found = authoring.read_moodle(upload.filename or "", upload.read(), form.language.data)
            skipped = found.skipped
            if skipped and not form.accept_skips.data:
                raise Invalid(
                    {
                        "accept_skips": [
                            _(
                                "Some questions cannot be imported (listed below): tick the box and choose the file again to import the rest."
                            )
                        ]
                    }
                )
            draft = authoring.import_moodle(
                current_user,
                (form.key.data or "").strip(),
                (form.title.data or "").strip(),
                upload.filename or "",
                found,
                form.language.data,
            )
        except Invalid as refused:
            show_errors(form, refused)
        else:
            flash(
                ngettext(
                    "%(num)d question imported: complete it below before publishing.",
                    "%(num)d questions imported: complete them below before publishing.",
                    len(draft.body["items"]),
                ),
                "success",
            )
            return redirect(url_for(".draft", key=draft.key))
    return render_template("authoring/import.html", form=form, skipped=skipped), 422 if form.errors else 200


@bp.route("/<key>/moodle.xml")
@roles("trainer")
def moodle_export(key):
    """An exercise's items as Moodle XML, in one language (Moodle questions have one)."""
    bank = content_loader.current_bank()
    language = request.args.get("lang", _locale())
    if key not in bank.exercises or language not in LOCALES:
        abort(404)
    body = bank.exercises[key]
    keys = body.get("items") or [k for pool in body.get("draw", []) for k in pool["from"]]
    text, _skipped = moodle.write_xml([bank.items[k] for k in keys if k in bank.items], language, category=key)
    return Response(
        text,
        mimetype="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{key}.{language}.moodle.xml"'},
    )
