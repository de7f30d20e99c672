"""The heatmap at 1280 px: all 14 competencies without scrolling sideways, one line per manager,
and the header row stays in view as the managers scroll (issue 13.9)."""

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("locale", ["es", "en"])
def test_every_competency_fits_and_each_manager_is_one_line(page: Page, sign_in, locale):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.set_extra_http_headers({"Accept-Language": locale})
    sign_in("hr@demo.cartera")
    page.goto("/hr/heatmap")
    frame = page.locator(".heatmap-frame")
    assert frame.evaluate("f => f.scrollWidth <= f.clientWidth")  # no sideways scroll inside it either
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert page.locator("#heatmap thead th").count() == 15
    heights = page.locator("#heatmap tbody th").evaluate_all(
        "cells => cells.map(c => c.getBoundingClientRect().height)"
    )
    line = page.locator("#heatmap tbody th a").first.evaluate("a => parseFloat(getComputedStyle(a).lineHeight)")
    assert heights and max(heights) < 2 * line  # one line each
    full_names = page.locator("#heatmap thead th.competency-head a .visually-hidden").all_inner_texts()
    assert len(full_names) == 14 and all(len(name) > 3 for name in full_names)  # abbreviations are spelled out


def test_the_header_row_stays_in_view_while_scrolling(page: Page, sign_in):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in("hr@demo.cartera")
    page.goto("/hr/heatmap")
    frame = page.locator(".heatmap-frame")
    top = frame.evaluate("f => f.getBoundingClientRect().top")
    frame.evaluate("f => f.scrollTo(0, 600)")
    header = page.locator("#heatmap thead th").first.evaluate("h => h.getBoundingClientRect().top")
    assert abs(header - top) <= 1
