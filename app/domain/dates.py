"""Calendar days and quarters where the bank is, against the naive UTC times the database keeps."""

from __future__ import annotations

from calendar import monthrange
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


def start_of_day_utc(day: date, zone: str) -> datetime:
    local = datetime.combine(day, time.min, tzinfo=ZoneInfo(zone))
    return local.astimezone(UTC).replace(tzinfo=None)


def end_of_day_utc(day: date, zone: str) -> datetime:
    """A due date or the last day of a range means the end of that day where the bank is."""
    local = datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(zone))
    return local.astimezone(UTC).replace(tzinfo=None)


def quarter_of(year: int, month: int) -> tuple[int, int]:
    return year, (month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * quarter - 2, 1)


def quarters_between(first: date, last: date) -> list[tuple[int, int]]:
    """Every (year, quarter) from the one holding `first` to the one holding `last`, in order."""
    quarters = []
    year, quarter = quarter_of(first.year, first.month)
    while (year, quarter) <= quarter_of(last.year, last.month):
        quarters.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return quarters


def last_quarters(today: date, count: int = 4) -> date:
    """The first day of the quarter `count − 1` quarters before today's: a year of quarters by default."""
    year, quarter = quarter_of(today.year, today.month)
    for _ in range(count - 1):
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return quarter_start(year, quarter)


def parse_day(text: str) -> date:
    """A calendar day as the bank writes it, day first: 31/03/2026 (or with - or . between), or
    ISO 2026-03-31 (what links and older bookmarks carry). ValueError for anything else."""
    text = text.strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return date.fromisoformat(text)
    for separator in "/-.":
        parts = text.split(separator)
        if len(parts) == 3 and all(part.isdigit() and part.isascii() for part in parts) and len(parts[2]) == 4:
            day, month, year = (int(part) for part in parts)
            return date(year, month, day)
    raise ValueError(f"not a day: {text!r}")


def day_text(day: date) -> str:
    """31/03/2026: how a date field shows a day, in either language."""
    return day.strftime("%d/%m/%Y")


def whole_months(since: date | None, until: date | None) -> tuple[date | None, date | None]:
    """A range widened to the whole months it touches: from the 1st of the first, to the last day of the last."""
    if since is not None:
        since = since.replace(day=1)
    if until is not None:
        until = until.replace(day=monthrange(until.year, until.month)[1])
    return since, until
