"""Words that were wrong or broken (issue 13.4): each checked where the reader meets it."""

import re

import pytest
from babel.numbers import format_decimal
from flask_babel import refresh

from app.ui import rounded
from tests.conftest import login
from tests.html import select, text_of, texts_of


@pytest.mark.parametrize("value", [-0.04, -0.0, 0.04, 0.0])
def test_a_mean_near_zero_never_shows_a_minus_sign(value):
    assert format_decimal(rounded(value), "0.0", locale="es") == "0,0"
    assert format_decimal(rounded(value), "+0.0;−0.0", locale="en") == "+0.0"


def test_the_profile_says_objetivo_and_the_audit_log_objeto(client, make_user, content_bank):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es"
    login(client, make_user("manager"))
    headers = texts_of(client.get("/learn/profile").data, "table thead th")
    assert "Objetivo" in headers and "Objeto" not in headers
    login(client, make_user("admin"))
    assert "Objeto" in texts_of(client.get("/admin/audit").data, "table thead th")


def test_the_submit_page_title_is_text_only(client, make_user, content_bank):
    login(client, make_user("manager"))
    start = client.post("/learn/exercises/fixture-quiz/start")
    attempt = re.search(r"/attempts/(\d+)", start.headers["Location"]).group(1)
    page = client.get(f"/learn/attempts/{attempt}/submit").data
    (title,) = select(page, "title")
    assert title.text.startswith("Submit") and "<" not in title.text and not title.children[1:]


def test_the_ranking_help_speaks_of_dragging_only_where_a_script_adds_it(client, make_user, content_bank):
    login(client, make_user("manager"))
    start = client.post("/learn/exercises/fixture-quiz/start")
    attempt = re.search(r"/attempts/(\d+)", start.headers["Location"]).group(1)
    for number in range(1, 8):
        page = client.get(f"/learn/attempts/{attempt}/items/{number}").data
        helps = [e for e in select(page, "p") if e.attrs.get("id", "").endswith("-help") and "position" in e.text]
        if helps:
            assert "JavaScript" not in helps[0].text and "drag" not in helps[0].text
            return
    raise AssertionError("no ranking item found")


def test_signed_figures_use_the_spanish_decimal_comma():
    assert format_decimal(rounded(0.5), "+0.0;−0.0", locale="es") == "+0,5"
    assert format_decimal(rounded(-1.25), "+0.0;−0.0", locale="es") == "−1,2"


def test_hr_reads_about_the_manager_not_about_you(client, make_user, bank, content_bank):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es"
    person = make_user("manager", unit=bank["bilbao"])
    login(client, make_user("hr", scope=(bank["bank"],)))
    page = client.get(f"/people/{person.id}").data
    captions = " ".join(texts_of(page, "caption"))
    assert "del gestor" in captions and "tu propia" not in captions and "tu nivel" not in text_of(page, "main")


@pytest.mark.parametrize(
    ("language", "short", "medium"),
    [("en", "30/11/2026, 14:05", "30 Nov 2026"), ("es", "30/11/26, 14:05", "30 nov 2026")],
)
def test_dates_are_day_first_on_a_24_hour_clock_in_madrid_time_in_both_languages(app, language, short, medium):
    from datetime import datetime

    from app.formats import dateformat, datetimeformat

    with app.test_request_context(headers={"Accept-Language": language}):
        refresh()
        utc = datetime(2026, 11, 30, 13, 5)  # stored in UTC: 14:05 in Madrid
        assert datetimeformat(utc, "short") == short
        assert dateformat(utc, "medium") == medium
