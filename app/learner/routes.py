"""The manager's area: my exercises, the players for every item type and scenarios, results."""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.access import roles
from app.domain import items as item_types
from app.domain.attempt_plan import choice_order
from app.domain.attempt_status import AttemptStatus
from app.domain.content_schema import effective_settings
from app.domain.framework import COMPETENCY_CODES, FAMILY_OF, competency_names
from app.learner import messages
from app.models.users import utcnow
from app.services import attempts, content_loader, exercises, fragments, grading, profiles
from app.services.monthly_scores import month_of

bp = Blueprint("learner", __name__)


def _attempt_or_404(attempt_id: int):
    return attempts.own_attempt(current_user, attempt_id)  # another manager's attempt: NotFound, a 404


def _time_up(attempt_id: int):
    """A page of an attempt whose time ran out: its submit page says so and submits what was saved."""
    return redirect(url_for("learner.confirm", attempt_id=attempt_id))


def _locale() -> str:
    return str(get_locale())


@bp.route("/")
@roles("manager")
def index():
    names = competency_names(content_loader.current_bank().framework, _locale())
    overview = exercises.overview(current_user)
    return render_template(
        "learner/index.html",
        overview=overview,
        competency_names=names,
        notices=grading.unread_notices(current_user),
        graded=grading.graded_attempts(a.id for a in overview.completed),
    )


@bp.route("/notices/<int:notice_id>/dismiss", methods=["POST"])
@roles("manager")
def dismiss_notice(notice_id: int):
    grading.dismiss_notice(current_user, notice_id)
    return redirect(url_for("learner.index"))


@bp.route("/exercises/<key>")
@roles("manager")
def exercise(key: str):
    info = exercises.exercise_info(current_user, key)
    return render_template("learner/exercise.html", info=info)


@bp.route("/exercises/<key>/start", methods=["POST"])
@roles("manager")
def start(key: str):
    try:
        attempt = attempts.start(current_user, key)
    except attempts.AttemptRefused as refused:
        flash(messages.refusal(refused.code), "danger")
        return redirect(url_for("learner.exercise", key=key))
    return redirect(url_for("learner.attempt", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>")
@roles("manager")
def attempt(attempt_id: int):
    """Send the manager to where they left off."""
    current = _attempt_or_404(attempt_id)
    if current.status != AttemptStatus.IN_PROGRESS:
        return redirect(url_for("learner.result", attempt_id=attempt_id))
    if attempts.time_is_up(current):
        return _time_up(attempt_id)
    kind = current.exercise_version.body["kind"]
    if kind == "scenario":
        return redirect(url_for("learner.scenario", attempt_id=attempt_id))
    if kind == "self_assessment":
        return redirect(url_for("learner.statements", attempt_id=attempt_id, family="duty"))
    given = attempts.answers_by_key(current)
    first_open = next((n for n, entry in enumerate(current.plan, start=1) if entry["key"] not in given), 1)
    return redirect(url_for("learner.item", attempt_id=attempt_id, number=first_open))


def _closed(code: str, attempt_id: int):
    flash(messages.refusal(code), "warning")
    return redirect(url_for("learner.result", attempt_id=attempt_id))


@bp.route("/attempts/<int:attempt_id>/items/<int:number>", methods=["GET", "POST"])
@roles("manager")
def item(attempt_id: int, number: int):
    current = _attempt_or_404(attempt_id)
    if current.status != AttemptStatus.IN_PROGRESS:
        return redirect(url_for("learner.result", attempt_id=attempt_id))
    if current.exercise_version.body["kind"] != "quiz":
        return redirect(url_for("learner.attempt", attempt_id=attempt_id))
    if request.method == "GET" and attempts.time_is_up(current):
        return _time_up(attempt_id)
    items = attempts.planned_items(current)
    if not 1 <= number <= len(items):
        abort(404)
    planned = items[number - 1]
    immediate = attempts.gives_immediate_feedback(current)
    problems = {}
    if request.method == "POST":
        target = request.form.get("go", "next")
        locked = (given := attempts.answers_by_key(current).get(planned.key)) is not None and given.locked_at
        try:
            if not locked:
                problems = attempts.save_answers(current, request.form, _locale(), [planned.key])
                if not problems and immediate and target == "next" and item_types.is_scored(planned.body):
                    if attempts.lock_for_feedback(current, planned.key):
                        return redirect(url_for("learner.item", attempt_id=attempt_id, number=number))
                    problems = {planned.key: "answer_before_checking"}
        except attempts.AttemptRefused as refused:
            return _closed(refused.code, attempt_id)
        if not problems:
            if target == "review" or (target == "next" and number == len(items)):
                return redirect(url_for("learner.confirm", attempt_id=attempt_id))
            step = -1 if target == "previous" else 1
            return redirect(url_for("learner.item", attempt_id=attempt_id, number=max(1, number + step)))
    given = attempts.answers_by_key(current)
    answer = given.get(planned.key)
    return render_template(
        "learner/item.html",
        attempt=current,
        planned=planned,
        number=number,
        total=len(items),
        answered={
            e.key for e in items if e.key in given and item_types.is_complete(e.body, given[e.key].value, e.options)
        },
        items=items,
        value=answer.value if answer else None,
        feedback=exercises.item_review(number, planned, answer) if answer is not None and answer.locked_at else None,
        immediate=immediate,
        checkable=item_types.is_scored(planned.body),
        problem=messages.problem(problems.get(planned.key)),
        form_values=request.form if problems else None,
        seconds_left=attempts.seconds_left(current),
    ), (422 if problems else 200)


@bp.route("/attempts/<int:attempt_id>/statements/<family>", methods=["GET", "POST"])
@roles("manager")
def statements(attempt_id: int, family: str):
    current = _attempt_or_404(attempt_id)
    if family not in ("duty", "quality") or current.exercise_version.body["kind"] != "self_assessment":
        abort(404)
    if current.status != AttemptStatus.IN_PROGRESS:
        return redirect(url_for("learner.result", attempt_id=attempt_id))
    if request.method == "GET" and attempts.time_is_up(current):
        return _time_up(attempt_id)
    items = [p for p in attempts.planned_items(current) if FAMILY_OF[p.body["competency"]] == family]
    if request.method == "POST":
        try:
            attempts.save_answers(current, request.form, _locale(), [p.key for p in items])
        except attempts.AttemptRefused as refused:
            return _closed(refused.code, attempt_id)
        if request.form.get("go") == "previous":
            return redirect(url_for("learner.statements", attempt_id=attempt_id, family="duty"))
        if family == "duty" and request.form.get("go") != "stay":
            return redirect(url_for("learner.statements", attempt_id=attempt_id, family="quality"))
        return redirect(url_for("learner.confirm", attempt_id=attempt_id))
    given = attempts.answers_by_key(current)
    return render_template(
        "learner/statements.html",
        attempt=current,
        family=family,
        items=items,
        values={key: answer.value for key, answer in given.items()},
        seconds_left=attempts.seconds_left(current),
    )


@bp.route("/attempts/<int:attempt_id>/scenario", methods=["GET", "POST"])
@roles("manager")
def scenario(attempt_id: int):
    current = _attempt_or_404(attempt_id)
    body = current.exercise_version.body
    if body["kind"] != "scenario":
        abort(404)
    feedback = None
    if request.method == "GET" and attempts.time_is_up(current):
        return _time_up(attempt_id)
    if request.method == "POST":
        try:
            choice = attempts.decide(current, request.form.get("step", ""), request.form.get("choice", ""))
        except attempts.AttemptRefused as refused:
            flash(messages.refusal(refused.code), "warning")
            return redirect(url_for("learner.scenario", attempt_id=attempt_id))
        if body.get("settings", {}).get("feedback", "after_submission") == "immediately":
            feedback = choice
        elif current.status != AttemptStatus.IN_PROGRESS:
            return redirect(url_for("learner.result", attempt_id=attempt_id))
        else:
            return redirect(url_for("learner.scenario", attempt_id=attempt_id))
    steps = {s["id"]: s for s in body["steps"]}
    path = [
        (steps[d.step_id], next(c for c in steps[d.step_id]["choices"] if c["id"] == d.choice_id))
        for d in current.decisions
    ]
    step = attempts.current_step(current)
    return render_template(
        "learner/scenario.html",
        attempt=current,
        scenario=body,
        step=step,
        choices=choice_order(step, current.seed, effective_settings(body)["shuffle_options"]),
        path=path,
        feedback=feedback,
        seconds_left=attempts.seconds_left(current),
    )


@bp.route("/attempts/<int:attempt_id>/submit", methods=["GET", "POST"])
@roles("manager")
def confirm(attempt_id: int):
    current = _attempt_or_404(attempt_id)
    if current.status != AttemptStatus.IN_PROGRESS:
        return redirect(url_for("learner.result", attempt_id=attempt_id))
    if request.method == "POST":
        attempts.submit(current)
        return redirect(url_for("learner.result", attempt_id=attempt_id))
    time_up = attempts.time_is_up(current)
    if current.exercise_version.body["kind"] == "scenario" and not time_up:
        return redirect(url_for("learner.scenario", attempt_id=attempt_id))  # a scenario ends at its ending
    items = attempts.planned_items(current)
    given = attempts.answers_by_key(current)
    unanswered = [
        (n, p)
        for n, p in enumerate(items, start=1)
        if p.key not in given or not item_types.is_complete(p.body, given[p.key].value, p.options)
    ]
    by_family = Counter(
        FAMILY_OF[p.body["competency"]] for _n, p in unanswered if p.body["type"] in item_types.SELF_RATED
    )
    return render_template(
        "learner/confirm.html",
        attempt=current,
        unanswered=unanswered,
        total=len(items),
        unanswered_by_family=sorted(by_family.items()),
        seconds_left=None if time_up else attempts.seconds_left(current),
        time_up=time_up,
    )


@bp.route("/attempts/<int:attempt_id>/result")
@roles("manager")
def result(attempt_id: int):
    current = _attempt_or_404(attempt_id)
    if current.status == AttemptStatus.IN_PROGRESS:
        return redirect(url_for("learner.attempt", attempt_id=attempt_id))
    return render_template(
        "learner/result.html", review=exercises.review(current, _locale()), grades=grading.released_grades(current)
    )


@bp.route("/attempts/<int:attempt_id>/answers/<item_key>", methods=["POST"])
@roles("manager")
def autosave(attempt_id: int, item_key: str):
    """The JavaScript player saves each answer as it changes; JSON in, JSON out."""
    current = _attempt_or_404(attempt_id)
    try:
        problems = attempts.save_answers(current, request.form, _locale(), [item_key])
    except attempts.AttemptRefused as refused:
        return jsonify(saved=False, message=messages.refusal(refused.code)), 409
    if problems:
        return jsonify(saved=False, message=messages.problem(problems[item_key])), 422
    return jsonify(saved=True, message=_("Saved"))


@bp.route("/profile")
@roles("manager")
def profile():
    """Rendered once per profile version, career level, language and month (and content bank): a
    manager rereads their profile far more often than a scoring changes it. The user's id includes
    their session token, so a reused id (SQLite reuses a deleted row's) never finds another's page."""
    locale = _locale()
    user = current_user
    key = ("profile", user.get_id(), user.profile_version, user.career_level, locale, month_of(utcnow()))
    return render_template("learner/profile.html", content=fragments.kept(key, lambda: _profile_content(locale)))


def _profile_content(locale: str) -> str:
    found = profiles.profile_for(current_user, locale)
    bank = content_loader.current_bank()
    self_assessment = next(
        ((key, e["title"][locale]) for key, e in sorted(bank.exercises.items()) if e["kind"] == "self_assessment"), None
    )
    return render_template(
        "learner/profile_content.html",
        profile=found,
        names=competency_names(bank.framework, locale),
        self_assessment=self_assessment,
    )


@bp.route("/profile/<code>")
@roles("manager")
def evidence(code: str):
    if code not in COMPETENCY_CODES:
        abort(404)
    locale = _locale()
    rows = profiles.evidence_for(current_user, code, locale)
    names = competency_names(content_loader.current_bank().framework, locale)
    return render_template("learner/evidence.html", rows=rows, code=code, name=names[code])
