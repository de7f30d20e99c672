"""Roles, career levels, org-unit kinds and the password policy."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

ROLES = ("manager", "trainer", "hr", "admin")
# Which area a user lands in when they hold several roles: the widest responsibility first.
HOME_PRIORITY = ("admin", "hr", "trainer", "manager")
CAREER_LEVELS = ("junior", "mid", "senior")
ORG_KINDS = ("bank", "region", "branch")
LOCALES = ("es", "en")

PASSWORD_MIN_LENGTH = 12
ORG_PATH_SEPARATOR = "/"


def normalise_email(email: str) -> str:
    """Emails are compared case-insensitively, so they are stored lower-cased."""
    return email.strip().lower()


def looks_like_email(email: str) -> bool:
    """Whether `email` is a valid address by email-validator's rules: its syntax, and a domain that
    could be on the internet (no DNS lookup: these machines may have no network).

    The one rule wherever an address comes in: the admin's user form and the CSV import.
    """
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def password_problems(password: str, email: str = "") -> list[str]:
    """The reasons a password is unacceptable; empty when it is acceptable.

    Messages are plain English keys that the web layer translates.
    """
    problems = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append("too_short")
    if email and password.strip().lower() == normalise_email(email):
        problems.append("is_email")
    return problems


def home_role(roles: set[str] | frozenset[str]) -> str | None:
    for role in HOME_PRIORITY:
        if role in roles:
            return role
    return None


def split_org_path(path: str) -> tuple[str, ...]:
    """'Banco / Norte / Bilbao' -> ('Banco', 'Norte', 'Bilbao'); blanks dropped."""
    return tuple(part.strip() for part in path.split(ORG_PATH_SEPARATOR) if part.strip())
