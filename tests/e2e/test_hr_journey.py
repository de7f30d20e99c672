"""HR, by keyboard where it matters: filter the dashboard by dates, read trends and completion, export."""

import re

from playwright.sync_api import Page, expect

from app.models.users import utcnow


def test_hr_filters_the_dashboard_by_a_date_range_and_exports_what_it_shows(page: Page, sign_in):
    sign_in("hr@demo.cartera")
    expect(page.get_by_role("heading", level=1)).to_have_text("HR dashboard")
    everyone = int(re.search(r"(\d+) managers", page.locator("main").inner_text()).group(1))
    assert everyone >= 60

    trends = page.get_by_role("table", name="Trends by quarter")
    expect(trends.get_by_role("columnheader")).to_have_count(6)  # competency, four quarters, change
    expect(trends.locator("tfoot td").first).not_to_have_text("0")
    expect(page.get_by_role("table", name="Assignment completion")).to_be_visible()
    expect(page.locator("#completion-summary")).to_contain_text("requests completed")

    year = utcnow().year
    page.get_by_label("Assessed from").fill(f"01/01/{year}")  # day first, whatever the browser's language
    page.get_by_label("Assessed until").fill(f"31/12/{year}")
    page.get_by_label("Assessed until").press("Enter")  # submits the filter form without a mouse
    expect(page).to_have_url(re.compile(rf"since=01%2F01%2F{year}&until=31%2F12%2F{year}"))
    assessed = int(re.search(r"(\d+) managers", page.locator("main").inner_text()).group(1))
    assert 0 < assessed <= everyone
    expect(page.get_by_label("Assessed from")).to_have_value(f"01/01/{year}")

    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").first.click()
    assert download.value.suggested_filename == "cartera-scores.xlsx"


def test_a_wrong_date_is_explained_next_to_the_filters(page: Page, sign_in):
    sign_in("hr@demo.cartera")
    page.goto("/hr/heatmap?since=12-31-2026")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Assessed from: “12-31-2026” is not a date like 31/03/2026")
    expect(page.get_by_role("table")).to_be_visible()  # the page still works, unfiltered
