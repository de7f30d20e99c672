"""The words for roles, career levels and statuses, in one place for pages, forms and the PDF report.

Proficiency level and competency names are not here: they come from `rubrics/framework.yaml`.
"""

from flask_babel import lazy_gettext as _l

from app.domain.attempt_status import AssignmentStatus, AttemptStatus

ROLE_LABELS = {"manager": _l("Manager"), "trainer": _l("Trainer"), "hr": _l("HR"), "admin": _l("Administrator")}
LEVEL_LABELS = {"junior": _l("Junior"), "mid": _l("Mid-level"), "senior": _l("Senior")}
ATTEMPT_STATUS_LABELS = {
    AttemptStatus.IN_PROGRESS: _l("In progress"),
    AttemptStatus.AWAITING_GRADING: _l("Waiting for grading"),
    AttemptStatus.SCORED: _l("Scored"),
}
ASSIGNMENT_STATUS_LABELS = {
    AssignmentStatus.NOT_STARTED: _l("Not started"),
    AssignmentStatus.IN_PROGRESS: _l("In progress"),
    AssignmentStatus.COMPLETED: _l("Completed"),
}
