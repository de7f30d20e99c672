"""A junior manager's journey by keyboard alone: an assigned quiz, a branching scenario, the
self-assessment, and the results. No mouse click anywhere: focus moves with Tab only."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from app.services.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def tab_to(page: Page, selector: str, limit: int = 250) -> None:
    """Press Tab until the focused element matches `selector`: proof it is reachable by keyboard."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def activate(page: Page, selector: str) -> None:
    """Reach a link or button with Tab and press Enter; it leads to another page."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def sign_in(page: Page) -> None:
    page.goto("/auth/login")
    tab_to(page, "#email")
    page.keyboard.type("manager@demo.cartera")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/learn/$"))


def play_scenario(page: Page, key: str, choose: str, check=None) -> None:
    """Start a scenario and decide at every step by keyboard (`choose` picks the radio) to its end."""
    activate(page, f'a[href$="/learn/exercises/{key}"]')
    activate(page, 'main form button[type="submit"]')
    for _ in range(12):
        if page.locator("#ending").count():
            break
        tab_to(page, 'input[name="choice"]')
        page.keyboard.press(choose)
        activate(page, 'main form button[type="submit"]')
        if check is not None:
            check(page)
        if page.locator("#continue").count():
            activate(page, "#continue")
    expect(page.locator("#ending")).to_be_visible()


# In DOM order: one entry per control the manager must operate (a radio group counts once).
CONTROLS = """form => {
  const seen = new Set(), out = [];
  for (const el of form.querySelectorAll('input, select, textarea')) {
    if (!el.name.startsWith('answer-') || seen.has(el.name)) continue;
    seen.add(el.name);
    out.push({name: el.name, kind: el.tagName === 'INPUT' ? el.type : el.tagName.toLowerCase()});
  }
  return out;
}"""


def answer_page_by_keyboard(page: Page, form_selector: str) -> None:
    controls = page.eval_on_selector(form_selector, CONTROLS)
    assert controls, "an item page without answer controls"
    position = 0
    for control in controls:
        tab_to(page, f'[name="{control["name"]}"]')
        if control["kind"] == "radio":
            # Best/worst: the worst is the next row down, so it never equals the best.
            page.keyboard.press("ArrowDown" if control["name"].endswith("-worst") else "Space")
        elif control["kind"] == "checkbox":
            page.keyboard.press("Space")
        elif control["kind"] == "select":
            position += 1
            page.keyboard.press(str(position))
        elif control["kind"] == "textarea":
            page.keyboard.type("Preparo la visita con el balance y las preguntas clave.")
        else:
            page.keyboard.type("1,5")


def test_a_junior_completes_quiz_scenario_and_self_assessment_by_keyboard(page: Page):
    sign_in(page)

    # The assigned quiz.
    activate(page, 'a[href$="/learn/exercises/practice-ethics"]')
    activate(page, 'main form button[type="submit"]')
    assert_accessible(page)
    for _ in range(12):
        if "/submit" in page.url:
            break
        expect(page.get_by_role("heading", level=1)).to_contain_text("Item")
        answer_page_by_keyboard(page, "#item-form")
        expect(page.locator("[data-save-status]")).to_have_text("Saved")  # autosaved before leaving
        activate(page, 'button[name="go"][value="next"]')  # "Check my answer": practice gives feedback
        expect(page.locator("#item-feedback")).to_contain_text("your")
        activate(page, 'button[name="go"][value="next"]')
        expect(page.locator("#answer-problem")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ready to submit?")
    expect(page.get_by_text("Every item is answered.")).to_be_visible()
    activate(page, 'main form button[type="submit"]')
    expect(page).to_have_url(re.compile(r"/result$"))
    expect(page.locator("#competency-scores")).to_contain_text("Ethics and confidentiality")
    expect(page.locator(".review-item")).to_have_count(8)

    # The assigned branching scenario.
    activate(page, 'a[href$="/learn/"]')

    def feedback_shown(page: Page) -> None:
        expect(page.get_by_role("heading", name="What happened")).to_be_visible()
        assert_accessible(page)

    play_scenario(page, "scenario-confidential-request", "Space", check=feedback_shown)
    activate(page, 'main a[href$="/result"]')
    expect(page.locator("#review-path li").first).to_be_visible()
    expect(page.locator("#competency-scores")).to_be_visible()

    # The self-assessment, grouped by family.
    activate(page, 'a[href$="/learn/"]')
    activate(page, 'a[href$="/learn/exercises/self-assessment"]')
    activate(page, 'main form button[type="submit"]')
    expect(page.get_by_role("heading", level=1)).to_have_text("Your duties")
    assert_accessible(page)
    answer_page_by_keyboard(page, "main form")
    activate(page, 'button[name="go"][value="next"]')
    expect(page.get_by_role("heading", level=1)).to_have_text("Your qualities")
    answer_page_by_keyboard(page, "main form")
    activate(page, 'button[name="go"][value="next"]')
    expect(page.get_by_text("Every item is answered.")).to_be_visible()
    activate(page, 'main form button[type="submit"]')
    expect(page.get_by_text("Your self-assessment is saved")).to_be_visible()

    # All three are listed as completed (beside the written tasks the demo gave her), and the
    # profile shows what they measured.
    activate(page, 'a[href$="/learn/"]')
    for title in ("Ethics and confidentiality", "Confidentiality: a supplier", "Competency self-assessment"):
        expect(page.locator("#completed li").filter(has_text=title).first).to_be_visible()
    activate(page, 'a[href$="/learn/profile"]')
    expect(page.locator("#profile-table")).to_contain_text("Ethics and confidentiality")
    ethics = page.locator("#profile-table tr", has_text="Ethics and confidentiality")
    expect(ethics.locator("td").first).to_have_text(re.compile(r"^\s*\d+\s*$"))


def test_without_javascript_in_spanish_a_quiz_with_figures_and_a_scenario(browser, base_url):
    context = browser.new_context(java_script_enabled=False, locale="es-ES", base_url=base_url)
    page = context.new_page()
    try:
        sign_in(page)
        expect(page.locator("html")).to_have_attribute("lang", "es")
        activate(page, 'a[href$="/learn/exercises/practice-risk"]')
        activate(page, 'main form button[type="submit"]')
        for _ in range(14):
            if "/submit" in page.url:
                break
            answer_page_by_keyboard(page, "#item-form")
            activate(page, 'button[name="go"][value="next"]')
            if page.locator("#item-feedback").count():
                activate(page, 'button[name="go"][value="next"]')
        expect(page.get_by_role("heading", level=1)).to_have_text("¿Todo listo para enviar?")
        activate(page, 'main form button[type="submit"]')
        expect(page.locator("#competency-scores")).to_contain_text("Gestión de riesgos")

        activate(page, 'a[href$="/learn/"]')
        play_scenario(page, "scenario-first-visit", "ArrowDown")  # the second choice this time
        activate(page, 'main a[href$="/result"]')
        expect(page.get_by_role("heading", level=1)).to_contain_text("Resultados")
    finally:
        context.close()
