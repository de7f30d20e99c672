"""A trainer assigns in the browser: no default audience, a confirmation that says how many, a
search that shows emails, and a cancel that keeps what was started (issue 13.2)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def test_a_trainer_confirms_how_many_then_cancels(page: Page, sign_in):
    sign_in("trainer@demo.cartera")
    page.goto("/train/assignments/new")
    page.get_by_label("Exercise").select_option(label="Ethics and confidentiality: practice")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".invalid-feedback").first).to_contain_text("Choose who the exercise is for.")

    page.get_by_label("The managers I choose").check()
    page.get_by_label("Find managers by name or email").fill("lucía romero")
    expect(page.locator("#manager-choices .form-check:visible")).to_have_count(1)  # the script filters as you type
    choice = page.locator("#manager-choices .form-check:visible label")
    expect(choice).to_contain_text("manager@demo.cartera")  # two Lucía Romero: the email tells them apart
    choice.click()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Assign «.*» to 1 manager\?"))
    assert Axe().run(page).violations_count == 0
    page.get_by_role("button", name="Assign to 1 manager").click()
    expect(page.get_by_role("alert").or_(page.locator(".alert-success"))).to_contain_text("Assigned to 1 manager.")

    page.get_by_role("link", name="Cancel this assignment").click()
    expect(page.locator("#cancel-effects")).to_contain_text("1 manager who has not started loses it.")
    page.get_by_role("button", name="Cancel the assignment").click()
    expect(page).to_have_url(re.compile(r"/train/assignments$"))


def test_hr_assigns_a_competencys_practice_to_exactly_those_below_target(page: Page, sign_in):
    sign_in("hr@demo.cartera")
    page.goto("/hr/training-needs")
    first = page.locator("#needs tbody tr").first
    below = int(first.locator("td").first.inner_text().split(" ")[0])
    first.get_by_role("button").click()
    heading = f"Assign «.*» to {below} manager{'' if below == 1 else 's'}\\?"
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(heading))
    assert page.locator("#confirm-recipients tbody tr").count() == min(below, 50)
