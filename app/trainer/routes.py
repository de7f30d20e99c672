"""The trainer's area."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale, ngettext
from flask_login import current_user
from wtforms import SelectChoice

from app.access import roles
from app.domain import content_stats, items
from app.domain.attempt_status import AssignmentStatus
from app.domain.dates import end_of_day_utc
from app.domain.framework import competency_names
from app.forms import show_errors
from app.services import assignments, content_loader, item_quality, org, scope
from app.services.errors import Invalid
from app.trainer.forms import AssignmentForm

bp = Blueprint("trainer", __name__)


@bp.route("/")
@roles("trainer")
def index():
    return render_template("trainer/index.html")


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
    form = AssignmentForm()
    locale = str(get_locale())
    bank, documents = content_loader.catalogue()
    form.exercise.choices = [SelectChoice(d.key, d.current.body["title"][locale]) for d in documents if not d.retired]
    managers = scope.visible_managers(current_user, 1, 1000).items
    form.user_ids.choices = [
        SelectChoice(u.id, f"{u.name} ({u.org_unit.name if u.org_unit else '—'})") for u in managers
    ]
    form.org_unit_id.choices = [SelectChoice(u.id, label) for u, label in org.labelled_units_in_scope(current_user)]
    if form.validate_on_submit():
        due = (
            end_of_day_utc(form.due_on.data, current_app.config["BABEL_DEFAULT_TIMEZONE"]) if form.due_on.data else None
        )
        try:
            assignment = assignments.assign(
                current_user,
                form.exercise.data,
                form.target.data,
                set(form.user_ids.data or []),
                form.org_unit_id.data,
                form.career_level.data,
                due,
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(
                ngettext("Assigned to %(num)d manager.", "Assigned to %(num)d managers.", len(assignment.recipients)),
                "success",
            )
            return redirect(url_for("trainer.assignment", assignment_id=assignment.id))
    return render_template("trainer/assignment_form.html", form=form)


@bp.route("/assignments/<int:assignment_id>")
@roles("trainer", "hr")
def assignment(assignment_id: int):
    found = assignments.visible_assignment(current_user, assignment_id)
    rows = assignments.follow_up(current_user, found)
    counts = {status: sum(1 for r in rows if r.status == status) for status in AssignmentStatus}
    counts["overdue"] = sum(1 for r in rows if r.overdue)
    return render_template("trainer/assignment.html", assignment=found, rows=rows, counts=counts)


@bp.route("/exercises/<key>/analysis")
@roles("trainer", "hr")
def item_analysis(key: str):
    analysis = item_quality.analyse(current_user, key)
    return render_template("trainer/item_analysis.html", analysis=analysis, key=key)
