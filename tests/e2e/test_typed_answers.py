"""Typed answers and the first click: after typing, one press and release of the mouse on the
button that comes next submits (the autosave line appearing as the field loses focus must not
move the button between mouse-down and mouse-up)."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import press_and_release

pytestmark = pytest.mark.e2e


def start(page: Page, sign_in, email: str, exercise: str) -> str:
    sign_in(email)
    page.goto(f"/learn/exercises/{exercise}")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/learn/attempts/\d+/items/\d+$"))
    return re.search(r"/attempts/(\d+)/", page.url).group(1)


def open_item_with(page: Page, attempt: str, selector: str) -> None:
    for number in range(1, 20):
        page.goto(f"/learn/attempts/{attempt}/items/{number}")
        if page.locator(selector).count():
            return
    raise AssertionError(f"no item with {selector}")


TYPED = {
    # what is typed: (exercise, the field, what a person types, the button pressed next)
    "a figure": ("practice-analysis", "input[inputmode=decimal]", "1,35", "Check my answer"),
    "a text": ("task-visit-plan", "textarea", "Visitaré al cliente el martes con su balance.", "Save and review"),
}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("typed", sorted(TYPED))
def test_the_first_press_after_typing_goes_through(page: Page, sign_in, typed, width):
    exercise, field, text, button = TYPED[typed]
    page.set_viewport_size({"width": width, "height": 900})
    manager = f"m000{51 + sorted(TYPED).index(typed) * 2 + (width == 390)}@synthetic.cartera"
    attempt = start(page, sign_in, manager, exercise)
    open_item_with(page, attempt, field)
    page.locator(field).fill(text)
    before = page.url
    press_and_release(page, page.get_by_role("button", name=button))
    if button == "Check my answer":  # the same item, now with its feedback
        expect(page.locator("#item-feedback")).to_be_visible()
    else:  # on to the next page
        expect(page).not_to_have_url(before)
