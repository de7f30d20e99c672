"""No page scrolls sideways, on a 390 px phone or at 1280 px, in either language: wide tables
scroll inside their own frame (issue 13: a walk through every role's pages)."""

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

PAGES = {
    "m00030@synthetic.cartera": ["/learn/", "/learn/profile", "/learn/exercises/practice-planning"],
    "trainer@demo.cartera": ["/train/", "/train/content", "/people/", "/train/assignments", "/train/assignments/new"],
    "hr@demo.cartera": ["/hr/", "/hr/heatmap", "/hr/training-needs", "/hr/calibration", "/people/"],
    "admin@demo.cartera": ["/admin/users", "/admin/audit", "/admin/org-units"],
}


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("locale", ["es", "en"])
@pytest.mark.parametrize("who", sorted(PAGES))
def test_no_page_scrolls_sideways(page: Page, sign_in, who, locale, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.set_extra_http_headers({"Accept-Language": locale})
    sign_in(who)
    wide = {}
    for url in PAGES[who]:
        page.goto(url)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            wide[url] = scroll_width
    assert wide == {}
