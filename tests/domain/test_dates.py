"""Calendar days typed as the bank writes them (day first), in either language."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.dates import day_text, parse_day


@pytest.mark.parametrize("text", ["31/03/2026", "31-03-2026", "31.3.2026", " 31/3/2026 ", "2026-03-31"])
def test_a_day_is_read_day_first_or_iso(text):
    assert parse_day(text) == date(2026, 3, 31)


@pytest.mark.parametrize("text", ["", "03/31/2026", "31/03/26", "mañana", "31/03/2026/1", "²1/03/2026", "2026-3-31x"])
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError):
        parse_day(text)


@given(st.dates(min_value=date(1000, 1, 1)))
def test_what_a_field_shows_reads_back(day):
    assert parse_day(day_text(day)) == day
