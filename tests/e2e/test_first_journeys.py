"""First journeys in a real browser: every demo role signs in and lands in its area."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from app.services.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

LANDINGS = [
    ("manager@demo.cartera", "/learn/", "My exercises"),
    ("manager2@demo.cartera", "/learn/", "My exercises"),
    ("trainer@demo.cartera", "/train/", "Training"),
    ("hr@demo.cartera", "/hr/", "HR dashboard"),
    ("hr.north@demo.cartera", "/hr/", "HR dashboard"),
    ("admin@demo.cartera", "/admin/users", "Users"),
]


@pytest.mark.parametrize(("email", "path", "heading"), LANDINGS)
def test_each_demo_account_lands_in_its_area(page: Page, sign_in, email, path, heading):
    sign_in(email)
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile("/auth/login$"))


def test_a_wrong_password_shows_an_error(page: Page, sign_in):
    sign_in("manager@demo.cartera", "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("The email or password is not correct")
    expect(page.get_by_label("Email")).to_have_value("manager@demo.cartera")


def test_the_language_switch_turns_the_interface_spanish(page: Page):
    page.goto("/auth/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Cartera")
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("button", name="Iniciar sesión")).to_be_visible()
    expect(page.get_by_label("Contraseña")).to_be_visible()


def test_hr_north_sees_only_the_north_region(page: Page, sign_in):
    sign_in("hr.north@demo.cartera")
    page.get_by_role("link", name="People in your scope").first.click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Lucía Romero")
    expect(table).not_to_contain_text("Javier Ortega")
    expect(table).not_to_contain_text("Rocío Morales")


def test_signing_in_by_keyboard_alone(page: Page):
    page.goto("/auth/login")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")  # focus jumps past the header to the main content
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email")).to_be_focused()
    focus_ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focus_ring == "solid"  # the focused control is visibly marked
    page.keyboard.type("manager@demo.cartera")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    # The skip link's #content fragment survives the redirect; the page is the manager's area.
    expect(page).to_have_url(re.compile("/learn/(#content)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My exercises")


@pytest.mark.parametrize(
    ("email", "path"),
    [
        (None, "/auth/login"),
        ("admin@demo.cartera", "/admin/users"),
        ("admin@demo.cartera", "/admin/users/new"),
        ("admin@demo.cartera", "/admin/import"),
        ("hr@demo.cartera", "/people/"),
        ("manager@demo.cartera", "/learn/"),
        ("manager@demo.cartera", "/learn/profile"),
        ("manager@demo.cartera", "/learn/exercises/diagnostic-junior"),
        ("trainer@demo.cartera", "/train/assignments/new"),
        ("trainer@demo.cartera", "/train/content"),
        ("trainer@demo.cartera", "/train/author/"),
        ("trainer@demo.cartera", "/train/author/import"),
        ("trainer@demo.cartera", "/train/author/scenario-first-visit/duplicate"),
        ("trainer@demo.cartera", "/train/"),
        ("trainer@demo.cartera", "/train/exercises/practice-ethics/analysis"),
        ("hr@demo.cartera", "/hr/heatmap"),
        ("hr@demo.cartera", "/hr/"),
        ("hr@demo.cartera", "/hr/training-needs"),
        ("hr@demo.cartera", "/hr/calibration"),
        ("hr@demo.cartera", "/train/assignments"),
    ],
)
def test_pages_pass_axe(page: Page, sign_in, email, path):
    if email:
        sign_in(email)
    page.goto(path)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
