"""The profile table shows every column at 1280 px in Spanish and English, for the manager and in
HR's individual report, and reads on a 390 px phone without scrolling sideways (issue 13.3)."""

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

CLIPPED = """(selector) => {
  const table = document.querySelector('#profile-table');
  const box = (table.closest('.table-responsive') || table).getBoundingClientRect();  // what is visible of it
  const cells = [...table.querySelectorAll(selector)];
  return cells.filter(c => {
    const r = c.getBoundingClientRect();
    return r.width > 0 && (r.right > box.right + 1 || r.right > window.innerWidth || c.scrollWidth > c.clientWidth + 1);
  }).map(c => c.textContent.trim()).slice(0, 5);
}"""


def open_profile(page: Page, sign_in, who: str, locale: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.set_extra_http_headers({"Accept-Language": locale})
    if who == "manager":
        sign_in("m00020@synthetic.cartera")
        page.goto("/learn/profile")
    else:
        sign_in("hr@demo.cartera")
        page.goto("/people/?q=m00020")
        page.locator("main table a").first.click()
    page.wait_for_selector("#profile-table")


@pytest.mark.parametrize("who", ["manager", "hr"])
@pytest.mark.parametrize("locale", ["es", "en"])
def test_every_column_shows_at_1280(page: Page, sign_in, who, locale):
    open_profile(page, sign_in, who, locale, 1280)
    assert page.evaluate(CLIPPED, "thead th, tbody td, tbody th") == []
    headers = page.locator("#profile-table thead th").all_inner_texts()
    assert len(headers) == 6 and all(h.strip() for h in headers)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


@pytest.mark.parametrize("locale", ["es", "en"])
def test_the_profile_reads_on_a_phone(page: Page, sign_in, locale):
    open_profile(page, sign_in, "manager", locale, 390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate(CLIPPED, "tbody td, tbody th") == []  # the header row is for screen readers here
    labels = (
        page.locator("#profile-table tbody tr")
        .first.locator("td")
        .evaluate_all("cells => cells.map(c => getComputedStyle(c, '::before').content)")
    )
    assert len(labels) == 5 and all(label not in ("none", '""') for label in labels)  # each value says what it is
