"""Dates and times as a Spanish bank writes them, in either language: day first, a 24-hour clock,
the bank's time zone (Europe/Madrid). English text keeps English words ("30 Nov 2026, 14:05")
but not the United States' order ("11/30/26, 2:05 PM"). These replace Flask-Babel's filters."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from babel import Locale
from babel import dates as babel_dates
from flask_babel import get_locale, to_user_timezone

# The conventions of each interface language's formats; translations still follow get_locale().
FORMAT_LOCALES = {"en": "en_GB", "es": "es_ES"}


def format_locale() -> Locale:
    return _format_locale(get_locale().language)


@cache  # parsing a locale costs more than formatting a date with it (the profile formats twelve months)
def _format_locale(language: str) -> Locale:
    return Locale.parse(FORMAT_LOCALES.get(language, language))


def dateformat(value: datetime, format: str = "medium") -> str:  # noqa: A002  (Jinja's argument name)
    return babel_dates.format_date(to_user_timezone(value), format, locale=format_locale())


def datetimeformat(value: datetime, format: str = "medium") -> str:  # noqa: A002
    return babel_dates.format_datetime(to_user_timezone(value), format, locale=format_locale())


def timeformat(value: datetime, format: str = "medium") -> str:  # noqa: A002
    return babel_dates.format_time(to_user_timezone(value), format, locale=format_locale())


def waited(since: datetime, now: datetime | None = None) -> str:
    """How long something has waited, in words ("3 days", "2 horas"), both times naive UTC."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    return babel_dates.format_timedelta(now - since, threshold=1, locale=format_locale())
