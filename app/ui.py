"""What every page needs: navigation for the user's roles, the language switch, and the labels of
roles, career levels, proficiency levels and statuses (from `app/labels.py` and `rubrics/`)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape

from app.domain import rich_text
from app.domain.attempt_status import AssignmentStatus, AttemptStatus
from app.domain.framework import level_names
from app.labels import ASSIGNMENT_STATUS_LABELS, ATTEMPT_STATUS_LABELS, ITEM_FLAG_LABELS, LEVEL_LABELS, ROLE_LABELS
from app.services import content_loader


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    role: str


NAVIGATION = (
    NavItem("learner.index", _l("My exercises"), "manager"),
    NavItem("learner.profile", _l("My profile"), "manager"),
    NavItem("trainer.index", _l("Training"), "trainer"),
    NavItem("people.index", _l("Managers"), "trainer"),
    NavItem("trainer.content", _l("Content bank"), "trainer"),
    NavItem("authoring.index", _l("Write"), "trainer"),
    NavItem("trainer.assignments_list", _l("Assignments"), "trainer"),
    NavItem("grading.queue", _l("Grading"), "trainer"),
    NavItem("hr.index", _l("HR"), "hr"),
    NavItem("people.index", _l("People"), "hr"),
    NavItem("hr.heatmap", _l("Heatmap"), "hr"),
    NavItem("hr.training_needs", _l("Training needs"), "hr"),
    NavItem("hr.calibration", _l("Calibration"), "hr"),
    NavItem("trainer.assignments_list", _l("Assignments"), "hr"),
    NavItem("jobs.index", _l("Background work"), "hr"),
    NavItem("admin.users_list", _l("Users"), "admin"),
    NavItem("admin.org_units", _l("Organisation"), "admin"),
    NavItem("admin.audit_log", _l("Audit log"), "admin"),
    NavItem("admin.outbox_list", _l("Outbox"), "admin"),
    NavItem("jobs.index", _l("Background work"), "admin"),
    NavItem("admin.synthetic", _l("Synthetic data"), "admin"),
)
LANGUAGE_NAMES = {"es": "Español", "en": "English"}


def navigation_for(user_roles: frozenset[str]) -> list[NavItem]:
    """The user's menu: each page once, even when several of their roles lead to it."""
    seen: set[str] = set()
    items = []
    for item in NAVIGATION:
        if item.role in user_roles and item.endpoint not in seen:
            seen.add(item.endpoint)
            items.append(item)
    return items


def inject_shell() -> dict:
    nav = []
    if current_user.is_authenticated and not current_user.must_change_password:
        nav = navigation_for(current_user.roles)
        if current_app.config.get("CONFIG_NAME") == "production":  # synthetic data never reaches a bank
            nav = [item for item in nav if item.endpoint != "admin.synthetic"]
    return {
        "nav_items": nav,
        "current_locale": str(get_locale()),
        "languages": [(code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"]],
        "role_labels": ROLE_LABELS,
        "level_labels": LEVEL_LABELS,
        "AttemptStatus": AttemptStatus,
        "AssignmentStatus": AssignmentStatus,
        "attempt_status_labels": ATTEMPT_STATUS_LABELS,
        "assignment_status_labels": ASSIGNMENT_STATUS_LABELS,
        "item_flags": ITEM_FLAG_LABELS,
        "proficiency_level_names": proficiency_level_names,
    }


def proficiency_level_names() -> dict[int, str]:
    """Levels 1..4 by their names in `rubrics/framework.yaml`, in the page's language. A function,
    so that only the pages that show levels read the bank."""
    return level_names(content_loader.current_bank().framework, str(get_locale()))


def typed_number(value) -> str:
    """A stored number written back as a person would type it: every decimal kept, the locale's mark."""
    text = format(value, "f").rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    return text.replace(".", ",") if str(get_locale()) == "es" else text


def rounded(value: float, places: int = 1) -> float:
    """Rounded for display, never a negative zero: a mean gap of −0.04 shows as 0.0, not “-0.0”."""
    return round(value, places) + 0.0


def cells(values, css_class: str = "text-end") -> Markup:
    """A row's plain values as table cells, escaped in one pass: the profile's month table has 168
    of them, and a template loop spent a third of a millisecond on them."""
    opening = f'<td class="{escape(css_class)}">'
    return Markup("".join(f"{opening}{escape(value)}</td>" for value in values))  # noqa: S704  (escaped here)


def rich(text: str | None) -> Markup:
    """Authored Markdown as safe HTML (a stem, a narrative)."""
    return Markup(rich_text.to_html(text))  # noqa: S704  (sanitised by nh3 in to_html)


def rich_inline(text: str | None) -> Markup:
    """Authored Markdown inside a sentence or a label (an option, a feedback)."""
    return Markup(rich_text.to_inline_html(text))  # noqa: S704  (sanitised by nh3)
