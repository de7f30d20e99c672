"""What the player says when it refuses something, in the manager's language."""

from flask_babel import lazy_gettext as _l

REFUSALS = {
    "not_assigned": _l("This exercise has not been assigned to you."),
    "attempts_exhausted": _l("You have used all the attempts this exercise allows."),
    "deadline_passed": _l(
        "Time is up: this answer arrived after the deadline and was not saved. "
        "Your attempt was submitted with the answers saved before it."
    ),
    "already_submitted": _l("This attempt has already been submitted; answers can no longer change."),
    "decision_taken": _l("You already took a decision at that step. Decisions stick: here is where you are now."),
    "invalid_choice": _l("Choose one of the options shown."),
}
PROBLEMS = {
    "invalid_choice": _l("Choose one of the options shown."),
    "best_and_worst_needed": _l("Choose both the most and the least effective response."),
    "best_is_worst": _l("The same response cannot be both the most and the least effective."),
    "rank_incomplete": _l("Give every response a position."),
    "rank_not_permutation": _l("Use each position once: 1 for the most effective, and so on."),
    "group_incomplete": _l("Put every response in a group: 1 for the most effective."),
    "not_a_number": _l("Type a number, for example 1,35 or 12.500."),
    "too_long": _l("Your answer is longer than the limit. Shorten it and save again."),
    "answer_before_checking": _l("Answer the item before checking it, or go on to another item."),
    "answer_locked": _l("You have seen the feedback on this item, so your answer can no longer change."),
}


def refusal(code: str) -> str:
    return str(REFUSALS.get(code, code))


def problem(code: str | None) -> str | None:
    return str(PROBLEMS.get(code, code)) if code else None
