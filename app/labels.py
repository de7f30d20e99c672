"""The words for roles, career levels and statuses, in one place for pages, forms and the PDF report.

Proficiency level and competency names are not here: they come from `rubrics/framework.yaml`.
"""

from flask_babel import lazy_gettext as _l

from app.domain.attempt_status import AssignmentStatus, AttemptStatus

ROLE_LABELS = {"manager": _l("Manager"), "trainer": _l("Trainer"), "hr": _l("HR"), "admin": _l("Administrator")}
ITEM_FLAG_LABELS = {
    "too_hard": _l("too hard"),
    "too_easy": _l("too easy"),
    "low_discrimination": _l("does not discriminate"),
}
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

GRADING_PURPOSE_LABELS = {
    "first": _l("First grade"),
    "second": _l("Moderation: a blind second grade"),
    "resolve": _l("Resolution: two grades two levels apart"),  # by a third grader, or the two together
    "regrade": _l("Regrade"),
}
GRADING_PROBLEMS = {
    "ungraded": _l("Choose a level for this criterion."),
    "unknown_level": _l("This is not one of the criterion's levels."),
    "reason_required": _l("Say why you are changing the grade: the manager and the audit log keep it."),
}
GRADING_REFUSALS = {
    "done": _l("This response has been graded already."),
    "not_graded": _l("This response has no grade to change yet."),
    "regrade_by_another": _l("In this exercise another trainer regrades: the grade that counts is yours."),
}
