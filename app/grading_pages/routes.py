"""Grading written answers: the queue, one response on its rubric, release, regrades, agreement.

Opening a response claims it, so that two trainers do not grade it by accident; reading a page
never writes, so the claim is a POST (the queue's buttons) and the grading page only shows it.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from app.access import roles
from app.domain import items
from app.domain.framework import competency_names
from app.domain.grading import GradingState, Purpose
from app.domain.people import CAREER_LEVELS
from app.formats import timeformat
from app.forms import int_arg, link_args
from app.grading_pages.forms import GradeForm, QueueFilterForm
from app.labels import GRADING_PROBLEMS, GRADING_PURPOSE_LABELS, GRADING_REFUSALS
from app.models import ContentDocument
from app.services import content_loader, grading, org
from app.services.grading import GradeInput, GradingRefused, QueueFilters

bp = Blueprint("grading", __name__)


def _locale() -> str:
    return str(get_locale())


def written_exercises() -> list[ContentDocument]:
    """The exercises with written answers, which are the ones graders see."""
    bank, documents = content_loader.catalogue()
    return [
        d
        for d in documents
        if any(bank.items.get(key, {}).get("type") in items.GRADED for key in d.current.body.get("items", []))
    ]


def _filters() -> QueueFilters:
    """The queue's filters from the query string, checked but not looked up: an id outside the
    viewer's scope only narrows a query that is already limited to the scope."""
    level = request.args.get("career_level", "")
    return QueueFilters(
        int_arg("exercise"),
        int_arg("org_unit"),
        level if level in CAREER_LEVELS else None,
        request.args.get("mine", "") not in ("", "n", "false", "0"),
    )


def _filter_form(exercises: list[ContentDocument]) -> QueueFilterForm:
    """The filter form of the queue page, with its choices (the other pages only pass filters on)."""
    form = QueueFilterForm(request.args)
    locale = _locale()
    form.exercise.choices = [SelectChoice("", _l("Any"))] + [
        SelectChoice(d.id, d.current.body["title"][locale]) for d in exercises if not d.retired
    ]
    form.org_unit.choices = [SelectChoice("", _l("Any"))] + [
        SelectChoice(u.id, label) for u, label in org.labelled_units_in_scope(current_user)
    ]
    return form


def _filter_args(filters: QueueFilters) -> dict:
    return link_args(
        exercise=filters.exercise_id,
        org_unit=filters.org_unit_id,
        career_level=filters.career_level,
        mine="y" if filters.mine else None,
    )


def _refused(refusal: GradingRefused) -> None:
    if refusal.code == "claimed":
        flash(
            _(
                "%(name)s opened this response and has it until %(time)s. Choose another one.",
                name=refusal.holder.name if refusal.holder else "—",
                time=timeformat(refusal.until, "short") if refusal.until else "—",
            ),
            "warning",
        )
    else:
        flash(str(GRADING_REFUSALS[refusal.code]), "warning")


@bp.route("/")
@roles("trainer")
def queue():
    filters = _filters()
    found = grading.queue(current_user, filters)
    exercises = written_exercises()
    titles = {d.id: d.current.body["title"][_locale()] for d in exercises}
    return render_template(
        "grading/queue.html",
        form=_filter_form(exercises),
        queue=found,
        titles=titles,
        filter_args=_filter_args(filters),
        purposes=GRADING_PURPOSE_LABELS,
        to_release=grading.awaiting_release(current_user),
    )


@bp.route("/tasks/<int:task_id>/claim", methods=["POST"])
@roles("trainer")
def claim(task_id: int):
    task = grading.visible_task(current_user, task_id)
    try:
        grading.claim(current_user, task)
    except GradingRefused as refusal:
        _refused(refusal)
        return redirect(url_for("grading.queue", **request.args))
    return redirect(url_for("grading.task", task_id=task.id, **_filter_args(_filters())))


@bp.route("/next", methods=["POST"])
@roles("trainer")
def next_response():
    filters = _filters()
    task = grading.claim_next(current_user, filters)
    if task is None:
        flash(_("No other response is waiting for you under these filters."), "info")
        return redirect(url_for("grading.queue", **_filter_args(filters)))
    return redirect(url_for("grading.task", task_id=task.id, **_filter_args(filters)))


@bp.route("/tasks/<int:task_id>", methods=["GET", "POST"])
@roles("trainer")
def task(task_id: int):
    found = grading.visible_task(current_user, task_id)
    filters = _filters()
    form = GradeForm()
    problems: dict[str, str] = {}
    if request.method == "POST" and form.validate_on_submit():
        action = request.form.get("action", "save")
        try:
            problems = grading.save(current_user, found, _posted(found.grading), action in ("submit", "submit_next"))
        except GradingRefused as refusal:
            _refused(refusal)  # the page shows what was posted, so nothing typed is lost
        else:
            if not problems:
                return _after_save(action, task_id, filters)
            flash(_("The grade is saved as a draft but not submitted: see the criteria marked below."), "danger")
    draft = grading.draft_of(current_user, found)
    if request.method == "GET" and draft is not None:
        form.overall_comment.data = draft.overall_comment
    return render_template(
        "grading/task.html",
        task=found,
        g=found.grading,
        form=form,
        held=grading.holds(current_user, found),
        entered=_entered(found.grading, draft),
        problems={k: GRADING_PROBLEMS[v] for k, v in problems.items()},
        earlier=_earlier_grades(found),
        filter_args=_filter_args(filters),
        purposes=GRADING_PURPOSE_LABELS,
        **_response_context(found.grading),
    )


def _after_save(action: str, task_id: int, filters: QueueFilters):
    if action == "save":
        flash(_("Draft saved. The response stays yours while you grade it."), "success")
        return redirect(url_for("grading.task", task_id=task_id, **_filter_args(filters)))
    flash(_("Grade submitted."), "success")
    if action == "submit_next":
        upcoming = grading.claim_next(current_user, filters)
        if upcoming is not None:
            return redirect(url_for("grading.task", task_id=upcoming.id, **_filter_args(filters)))
        flash(_("No other response is waiting for you under these filters."), "info")
    return redirect(url_for("grading.queue", **_filter_args(filters)))


def _posted(g) -> GradeInput:
    ids = [c["id"] for c in grading.rubric_of(g)["criteria"]]
    return GradeInput(
        {cid: request.form.get(f"points-{cid}", "") for cid in ids},
        {cid: request.form.get(f"comment-{cid}", "") for cid in ids},
        request.form.get("overall_comment", ""),
        request.form.get("reason", ""),
    )


def _entered(g, draft) -> GradeInput:
    """What the form shows: what was just posted (refused or with problems), else the draft."""
    if request.method == "POST":
        return _posted(g)
    if draft is not None:
        return GradeInput({k: str(v) for k, v in draft.points.items()}, dict(draft.comments), draft.overall_comment)
    return GradeInput()


def _earlier_grades(task) -> list:
    """A resolver sees the two grades that disagree; a moderator grades blind."""
    if task.purpose != Purpose.RESOLVE:
        return []
    return [
        g for g in task.grading.grades if g.submitted_at is not None and g.purpose in (Purpose.FIRST, Purpose.SECOND)
    ]


def _response_context(g) -> dict:
    locale = _locale()
    return {
        "rubric": grading.rubric_of(g),
        "item": grading.item_of(g),
        "anonymous": grading.is_anonymous(g),
        "exercise_title": g.attempt.exercise_version.body["title"][locale],
        "names": competency_names(content_loader.current_bank().framework, locale),
    }


@bp.route("/release/<int:exercise_id>", methods=["POST"])
@roles("trainer")
def release(exercise_id: int):
    count = grading.release_exercise(current_user, exercise_id)
    flash(
        ngettext("%(num)d grade released: its manager can see it now.", "%(num)d grades released.", count),
        "success",
    )
    return redirect(url_for("grading.queue"))


@bp.route("/responses")
@roles("trainer")
def responses():
    filters = _filters()
    rows = grading.graded_responses(current_user, filters.exercise_id)
    return render_template(
        "grading/responses.html",
        rows=rows,
        anonymous={g.id: grading.is_anonymous(g) for g in rows},
        states={GradingState.GRADED: _l("Graded, not released"), GradingState.RELEASED: _l("Released")},
    )


@bp.route("/responses/<int:grading_id>", methods=["GET", "POST"])
@roles("trainer")
def response(grading_id: int):
    found = grading.visible_grading(current_user, grading_id)
    form = GradeForm()
    problems: dict[str, str] = {}
    if request.method == "POST" and form.validate_on_submit():
        try:
            problems = grading.regrade(current_user, found, _posted(found))
        except GradingRefused as refusal:
            _refused(refusal)
            return redirect(url_for("grading.response", grading_id=grading_id))
        if not problems:
            flash(_("Grade changed. The manager's scores and profile follow, and they are told."), "success")
            return redirect(url_for("grading.response", grading_id=grading_id))
        form.reason.errors = [GRADING_PROBLEMS[problems.pop("reason")]] if "reason" in problems else []
    counted = grading.counted_grade(found)
    entered = _posted(found) if request.method == "POST" else None
    if entered is None and counted is not None:
        entered = GradeInput({k: str(v) for k, v in counted.points.items()}, dict(counted.comments))
        form.overall_comment.data = counted.overall_comment
    return render_template(
        "grading/response.html",
        g=found,
        form=form,
        counted=counted,
        entered=entered or GradeInput(),
        problems={k: GRADING_PROBLEMS[v] for k, v in problems.items()},
        purposes=GRADING_PURPOSE_LABELS,
        **_response_context(found),
    )


@bp.route("/agreement")
@roles("trainer")
def agreement():
    return render_template("grading/agreement.html", rubrics=grading.agreement(current_user))
