"""The trainer's area."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from app.access import roles
from app.domain import content_stats, items
from app.domain.attempt_status import AssignmentStatus
from app.domain.dates import end_of_day_utc
from app.domain.framework import competency_names
from app.forms import show_errors
from app.services import assignments, authoring, content_loader, grading, item_quality, org, scope
from app.services.errors import Invalid
from app.trainer.forms import AssignmentForm

bp = Blueprint("trainer", __name__)


@bp.route("/")
@roles("trainer")
def index():
    waiting = grading.queue(current_user, grading.QueueFilters())
    return render_template(
        "trainer/index.html",
        waiting=waiting.total,
        to_release=sum(count for _exercise, count in grading.awaiting_release(current_user)),
        agreement=grading.agreement(current_user),
        mine=assignments.progress_of_mine(current_user),
        drafts=authoring.drafts(),
        flagged=authoring.flagged_items(current_user),
    )


@bp.route("/content")
@roles("trainer", "hr")
def content():
    bank, exercises = content_loader.catalogue()
    return render_template(
        "trainer/content.html",
        coverage=content_stats.coverage(bank),
        exercises=exercises,
        names=competency_names(bank.framework, str(get_locale())),
        types=items.SCORED,
    )


@bp.route("/assignments")
@roles("trainer", "hr")
def assignments_list():
    return render_template("trainer/assignments.html", rows=assignments.assignments_in_scope(current_user))


@bp.route("/assignments/new", methods=["GET", "POST"])
@roles("trainer", "hr")
def assignment_new():
    """Choose an exercise and its audience, then confirm on a page that says how many managers it
    reaches: nothing is assigned from the first page, and there is no default audience."""
    form = AssignmentForm()
    locale = str(get_locale())
    _bank, documents = content_loader.catalogue()
    form.exercise.choices = [SelectChoice("", _l("Choose an exercise"))] + [
        SelectChoice(d.key, d.current.body["title"][locale]) for d in documents if not d.retired
    ]
    search = (form.manager_search.data or "").strip()
    listed = current_app.config["ASSIGNABLE_MANAGERS_LISTED"]
    found = scope.visible_managers(current_user, 1, listed, search)
    kept = [u for u in scope.visible_managers_by_id(current_user, form.user_ids.data) if u not in found.items]
    form.user_ids.choices = [SelectChoice(u.id, _manager_label(u)) for u in [*kept, *found.items]]
    form.org_unit_id.choices = [SelectChoice("", _l("Choose an org unit"))] + [
        SelectChoice(u.id, label) for u, label in org.labelled_units_in_scope(current_user)
    ]
    action = request.form.get("action", "")
    if action not in ("find", "change") and form.validate_on_submit():
        try:
            chosen = assignments.audience(
                current_user,
                form.exercise.data,
                form.target.data,
                set(form.user_ids.data or []),
                form.org_unit_id.data,
                form.career_level.data,
                _due_at(form.due_on.data),
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            if action == "assign" and form.confirmed_count.data == str(len(chosen.recipients)):
                assignment = assignments.create(current_user, chosen)
                flash(
                    ngettext("Assigned to %(num)d manager.", "Assigned to %(num)d managers.", len(chosen.recipients)),
                    "success",
                )
                return redirect(url_for("trainer.assignment", assignment_id=assignment.id))
            changed = action == "assign"  # confirmed for another number of managers: say so, ask again
            return render_template("trainer/assignment_confirm.html", form=form, audience=chosen, changed=changed)
    return render_template("trainer/assignment_form.html", form=form, found=found, listed=listed, search=search)


def _manager_label(user) -> str:
    """Name, email and unit: two managers may share a name (the demo has two Lucía Romero)."""
    return f"{user.name} · {user.email} · {user.org_unit.name if user.org_unit else '—'}"


def _due_at(day):
    return end_of_day_utc(day, current_app.config["BABEL_DEFAULT_TIMEZONE"]) if day else None


@bp.route("/assignments/<int:assignment_id>")
@roles("trainer", "hr")
def assignment(assignment_id: int):
    found = assignments.visible_assignment(current_user, assignment_id)
    rows = assignments.follow_up(current_user, found)
    counts = {status: sum(1 for r in rows if r.status == status) for status in AssignmentStatus}
    counts["overdue"] = sum(1 for r in rows if r.overdue)
    return render_template("trainer/assignment.html", assignment=found, rows=rows, counts=counts)


@bp.route("/assignments/<int:assignment_id>/cancel", methods=["GET", "POST"])
@roles("trainer", "hr")
def assignment_cancel(assignment_id: int):
    """Cancel after a page that says who loses it (those who have not started) and who keeps it."""
    found = assignments.visible_assignment(current_user, assignment_id)
    rows = assignments.follow_up(current_user, found)
    if request.method == "POST":
        try:
            removed, kept = assignments.cancel(current_user, found, rows)
        except Invalid as error:
            for messages in error.errors.values():
                for message in messages:
                    flash(str(message), "danger")
        else:
            flash(
                _(
                    "Cancelled: %(removed)d managers who had not started lost it; %(kept)d who started keep it.",
                    removed=removed,
                    kept=kept,
                ),
                "success",
            )
            if not kept:
                return redirect(url_for("trainer.assignments_list"))
        return redirect(url_for("trainer.assignment", assignment_id=assignment_id))
    not_started = sum(1 for r in rows if r.status == AssignmentStatus.NOT_STARTED)
    return render_template(
        "trainer/assignment_cancel.html", assignment=found, not_started=not_started, started=len(rows) - not_started
    )


@bp.route("/exercises/<key>/analysis")
@roles("trainer", "hr")
def item_analysis(key: str):
    flagged_first = request.args.get("order") == "flags"
    analysis = item_quality.analyse(current_user, key, flagged_first)
    return render_template("trainer/item_analysis.html", analysis=analysis, key=key, flagged_first=flagged_first)
