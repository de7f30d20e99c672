"""A written task from submission to the manager's grade, in a real browser (issue 10):
manager@ submits; the Norte trainer grades it by keyboard alone; a second trainer moderates it
blind, in Spanish, by mouse; manager@ reads the grade and the comments. axe on every page."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_manager_journey import activate, assert_accessible, tab_to
from tests.e2e.test_typed_answers import press_and_release

pytestmark = pytest.mark.e2e

TASK = "task-negotiation-prep"
TITLE = re.compile("negotiation", re.IGNORECASE)
PLAN = "Objetivo: mantener la línea de 750.000 € con Euribor + 1,75 % y la garantía. Límite: 1,65 %."


def sign_out(page: Page) -> None:
    page.locator("form[action$='/auth/logout'] button").click()


def row_for(page: Page, *texts):
    rows = page.locator("#queue tbody tr")
    for text in texts:
        rows = rows.filter(has_text=text)
    return rows


def test_a_written_task_is_graded_moderated_and_reaches_the_manager(page: Page, sign_in):
    page.set_viewport_size({"width": 1280, "height": 900})

    # manager@ writes and submits, warned first that an empty answer scores 0
    sign_in("manager@demo.cartera")
    page.goto(f"/learn/exercises/{TASK}")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/items/1$"))
    page.locator("textarea").fill(PLAN)
    press_and_release(page, page.get_by_role("button", name="Save and review"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ready to submit?")
    expect(page.locator("#blank-written")).to_have_count(0)
    press_and_release(page, page.get_by_role("button", name="Submit my answers"))
    expect(page.locator("#awaiting-grading")).to_be_visible()
    sign_out(page)

    # the Norte trainer finds it in the queue and grades it by keyboard alone
    sign_in("trainer.north@demo.cartera")
    page.goto("/train/grading/")
    assert_accessible(page)
    row = row_for(page, "Lucía Romero", "Negotiation")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("First grade")
    row.get_by_role("button", name=re.compile("Grade")).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#answer-text")).to_have_text(PLAN)
    assert_accessible(page)
    criteria = page.eval_on_selector_all("#grade-form fieldset.criterion", "els => els.map(e => e.id.slice(10))")
    assert len(criteria) == 5
    for criterion in criteria:
        tab_to(page, f'input[name="points-{criterion}"]')
        page.keyboard.press("ArrowDown")  # the second level: 1 point
        page.keyboard.press("Tab")  # on to the sample answers and the comment
        tab_to(page, f"#comment-{criterion}")
        page.keyboard.type("Concreta más la cifra.")
    tab_to(page, "#overall_comment")
    page.keyboard.type("Buen punto de partida.")
    activate(page, 'button[value="submit"]')
    expect(page.locator(".alert-success")).to_contain_text("Grade submitted.")
    sign_out(page)

    # a second trainer, in Spanish, moderates blind with real clicks
    sign_in("trainer2@demo.cartera")
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change").click()
    page.goto("/train/grading/")
    row = row_for(page, "Lucía Romero", "Moderación")
    expect(row).to_have_count(1)
    press_and_release(page, row.get_by_role("button", name=re.compile("Corregir")))
    expect(page.locator("#response-meta")).to_contain_text("Moderación")
    expect(page.locator("#earlier-grades")).to_have_count(0)  # blind to the first grade
    assert_accessible(page)
    for criterion in criteria:
        press_and_release(page, page.locator(f'label[for="points-{criterion}-2"]'))  # one level above: adjacent
    press_and_release(page, page.get_by_role("button", name="Enviar la calificación"))
    expect(page.locator(".alert-success")).to_contain_text("Calificación enviada.")
    page.goto("/train/grading/agreement")
    expect(page.get_by_role("heading", level=1)).to_have_text("Acuerdo entre correctores")
    assert_accessible(page)
    page.goto("/train/grading/responses")
    assert_accessible(page)
    page.locator("#graded tbody a").first.click()
    expect(page.locator("#regrade-form")).to_be_visible()
    assert_accessible(page)
    page.goto("/train/")
    expect(page.locator("#grading-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Idioma").select_option("en")
    page.get_by_role("button", name="Cambiar").click()
    sign_out(page)

    # manager@ is told, and reads the rubric grade and the comments
    sign_in("manager@demo.cartera")
    notice = page.locator("#notices .alert").filter(has_text=TITLE).first  # the newest first
    expect(notice).to_contain_text("has been graded")
    notice.get_by_role("link", name="See the grade and comments").click()
    grade = page.locator("table[id^=grade-]")
    expect(grade).to_contain_text("Concreta más la cifra.")
    expect(grade.locator("tbody tr").first).to_contain_text("1 of 3")
    expect(page.locator("section[id^=graded-]")).to_contain_text("Buen punto de partida.")
    expect(page.locator("#overall")).to_be_visible()
    assert_accessible(page)
