"""Background jobs as their owners see them: a list, a progress page (JSON for its script), the file."""

from flask import Blueprint, jsonify, render_template, send_file
from flask_babel import gettext as _
from flask_login import current_user

from app.access import signed_in
from app.services import jobs
from app.ui import typed_number

bp = Blueprint("jobs", __name__)


def _count_text(status: dict) -> str:
    if not status["total"]:
        return "" if status["finished"] else _("Counting what there is to do…")
    return _(
        "%(done)s of %(total)s done (%(percent)s %%).",
        done=typed_number(status["done"]),
        total=typed_number(status["total"]),
        percent=status["percent"],
    )


@bp.route("/")
@signed_in
def index():
    return render_template(
        "jobs/index.html", jobs=jobs.listed(current_user), labels=jobs.KIND_LABELS, states=jobs.STATE_LABELS
    )


@bp.route("/<int:job_id>")
@signed_in
def show(job_id: int):
    job = jobs.visible(current_user, job_id)
    shown = jobs.status(job)
    return render_template(
        "jobs/show.html",
        job=job,
        status=shown,
        count_text=_count_text(shown),
        labels=jobs.KIND_LABELS,
        states=jobs.STATE_LABELS,
    )


@bp.route("/<int:job_id>.json")
@signed_in
def status(job_id: int):
    job = jobs.visible(current_user, job_id)
    shown = jobs.status(job)
    response = jsonify({**shown, "state_label": str(jobs.STATE_LABELS[job.state]), "count_text": _count_text(shown)})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:job_id>/file")
@signed_in
def download(job_id: int):
    """The file a job made, for the person who asked for it (it may hold personal data)."""
    job = jobs.finished_file_of(current_user, job_id)
    response = send_file(jobs.file_path(job), as_attachment=True, download_name=job.file_name, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response
