"""Trainers write in the browser, in Spanish: a branching scenario from nothing to a manager's
result, and an edit that leaves an attempt under way on the version it started with (issue 11).
Clicks are a person's (press and release); axe runs on every editor page."""

import re

import pytest
from playwright.sync_api import Page, expect

from app.services.demo import DEMO_PASSWORD
from tests.e2e.test_manager_journey import activate, assert_accessible, tab_to
from tests.e2e.test_typed_answers import press_and_release

pytestmark = pytest.mark.e2e


def click(page: Page, locator) -> None:
    """A person's press and release on something that loads another page; wait for it."""
    with page.expect_navigation():
        press_and_release(page, locator)


def language(page: Page, code: str) -> None:
    page.locator("#language-select").select_option(code)
    click(page, page.locator("form:has(#language-select) [type=submit]"))
    expect(page.locator("html")).to_have_attribute("lang", code)


def spanish(page: Page) -> None:
    language(page, "es")


def sign_out(page: Page) -> None:
    click(page, page.locator("form[action$='/auth/logout'] [type=submit]"))


def sign_in_again(page: Page, email: str) -> None:
    """Sign in on a login page that may be in Spanish (the language outlives the session)."""
    page.goto("/auth/login")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    click(page, page.locator("form:has(#email) [type=submit]"))


@pytest.fixture(autouse=True)
def _accounts_back_in_english(page: Page):
    """The language is saved on the account: give the trainer back in English, as the other journeys expect."""
    yield
    page.goto("/")
    if page.locator("form[action$='/auth/logout']").count():
        sign_out(page)
    sign_in_again(page, "trainer@demo.cartera")
    language(page, "en")
    sign_out(page)


def fill_step(page: Page, key: str, n: int, step_id: str, narrative: str, choices: list[dict]) -> None:
    page.goto(f"/train/author/{key}/steps/{n}")
    page.fill("#step_id", step_id)
    page.fill("#narrative_es", narrative)
    page.fill("#narrative_en", narrative + " (en)")
    for i, choice in enumerate(choices):
        page.fill(f"#choices-{i}-text_es", choice["text"])
        page.fill(f"#choices-{i}-text_en", choice["text"] + " (en)")
        page.fill(f"#choices-{i}-feedback_es", "Porque " + choice["text"].lower())
        page.fill(f"#choices-{i}-feedback_en", "Because")
        page.select_option(f"#choices-{i}-next", choice["next"])
        for slot, (code, points) in enumerate(choice.get("points", {}).items(), start=1):
            page.select_option(f"#choices-{i}-points_{slot}_code", code)
            page.fill(f"#choices-{i}-points_{slot}", str(points))
        if choice.get("critical"):
            page.select_option(f"#choices-{i}-critical_1", choice["critical"])
    assert_accessible(page)
    click(page, page.locator("#step-form [type=submit]").first)
    expect(page.locator(".alert-success")).to_contain_text("Paso guardado.")


def fill_ending(page: Page, key: str, n: int, outcome: str) -> None:
    page.goto(f"/train/author/{key}/steps/{n}")
    page.fill("#outcome_es", outcome)
    page.fill("#outcome_en", outcome + " (en)")
    click(page, page.locator("#step-form [type=submit]").first)


def test_a_trainer_writes_a_branching_scenario_and_a_manager_takes_it(page: Page, sign_in):
    sign_in("trainer@demo.cartera")
    spanish(page)
    page.goto("/train/author/")
    assert_accessible(page)
    page.get_by_label("Escenario ramificado").check()
    page.fill("#key", "escenario-aval")
    page.fill("#title_es", "Un aval urgente")
    page.fill("#title_en", "An urgent guarantee")
    click(page, page.locator("#new-exercise [type=submit]"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Un aval urgente")
    for kind in ("step", "step", "end", "end"):  # start, step-2, ending-3, ending-4
        page.goto("/train/author/escenario-aval/")
        click(page, page.locator(f"button[name=kind][value={kind}]"))

    fill_step(
        page,
        "escenario-aval",
        1,
        "llamada",
        "Un cliente pide un aval de 60.000 € para mañana.",
        [
            {"text": "Revisas su riesgo vivo", "next": "step-2", "points": {"risk": 2}},
            {
                "text": "Se lo cuentas a su competidor",
                "next": "ending-4",
                "points": {"communication": 1},
                "critical": "ethics",
            },
        ],
    )
    fill_step(
        page,
        "escenario-aval",
        2,
        "decision",
        "El riesgo vivo cabe en su línea.",
        [{"text": "Lo tramitas hoy", "next": "ending-3", "points": {"risk": 1, "transaction": 2}}],
    )
    fill_ending(page, "escenario-aval", 3, "El cliente se presenta a la licitación.")
    fill_ending(page, "escenario-aval", 4, "El cliente se va a otro banco.")

    page.goto("/train/author/escenario-aval/")
    expect(page.locator("#graph-problems")).to_contain_text("decision: menos de dos opciones")
    expect(page.locator("#graph .graph-problem")).to_have_count(1)
    expect(page.locator("#publish button[type=submit]").first).to_be_disabled()
    assert_accessible(page)

    fill_step(
        page,
        "escenario-aval",
        2,
        "decision",
        "El riesgo vivo cabe en su línea.",
        [
            {"text": "Lo tramitas hoy", "next": "ending-3", "points": {"risk": 1, "transaction": 2}},
            {"text": "Pides garantía personal", "next": "ending-4", "points": {"risk": 2}},
        ],
    )
    page.goto("/train/author/escenario-aval/")
    expect(page.locator("#publish")).to_contain_text("No hay problemas")
    expect(page.locator("#graph-problems")).to_have_count(0)
    expect(page.locator("#ending-scores")).to_contain_text("Mejores puntos")

    activate(page, "a[href$='/train/author/escenario-aval/path']")  # by keyboard: Tab, then Enter
    click(page, page.get_by_role("link", name="Revisas su riesgo vivo"))
    click(page, page.get_by_role("link", name="Lo tramitas hoy"))
    expect(page.locator("#path-outcome")).to_contain_text("El cliente se presenta a la licitación.")
    expect(page.locator("#path-scores")).to_contain_text("/100")
    assert_accessible(page)

    page.goto("/train/author/escenario-aval/")
    click(page, page.locator("#publish button[type=submit]").first)
    expect(page.locator(".alert-success")).to_contain_text("Publicado: versión 1 de escenario-aval")

    page.goto("/train/assignments/new")
    page.locator("#exercise").select_option("escenario-aval")
    page.locator("#target-0").check()
    page.fill("#manager_search", "manager@demo.cartera")
    page.locator("#manager-choices label", has_text="manager@demo.cartera").first.click()
    click(page, page.locator("button[name=submit]"))
    click(page, page.locator("button[name=action][value=assign]"))
    sign_out(page)

    sign_in_again(page, "manager@demo.cartera")  # in whatever language the account has: it is not changed here
    page.goto("/learn/exercises/escenario-aval")
    click(page, page.locator("main form button[type=submit]"))
    for choice in ("Revisas su riesgo vivo", "Pides garantía personal"):  # "… (en)" in English
        page.get_by_label(re.compile(f"^{choice}")).check()
        click(page, page.locator("main form button[type=submit]"))
        if page.locator("#continue").count():
            click(page, page.locator("#continue"))
    if page.locator("#ending").count():  # the ending's screen, when the path shows one before the results
        expect(page.locator("#ending")).to_contain_text("El cliente se va a otro banco")
        click(page, page.locator("main a[href$='/result']"))
    expect(page).to_have_url(re.compile(r"/result$"))
    # Authored: risk 2 + 2 of a best 4 (2 + 2) → 100; transaction 0 of 2 → 0; communication 0 of 1 → 0.
    rows = page.locator("#competency-scores tbody tr").all_inner_texts()
    scores = {re.split(r"\t", row)[0]: int(re.split(r"\t", row)[1]) for row in rows}
    assert scores in (
        {"Gestión de riesgos": 100, "Transacción comercial": 0, "Comunicación": 0},
        {"Risk management": 100, "Closing the transaction": 0, "Communication": 0},
    )


def test_an_edit_published_while_an_attempt_is_under_way_leaves_that_attempt_on_its_version(page: Page, sign_in):
    sign_in("trainer@demo.cartera")
    spanish(page)
    page.goto("/train/author/")
    page.fill("#key", "cuestionario-version")
    page.fill("#title_es", "Versiones")
    page.fill("#title_en", "Versions")
    click(page, page.locator("#new-exercise [type=submit]"))
    page.get_by_label("Práctica libre").check()
    click(page, page.locator("#settings [type=submit]"))
    click(page, page.locator("button[name=type][value=single_choice]"))
    tab_to(page, "#stem_es")
    page.keyboard.type("Primera versión de la pregunta.")
    page.fill("#stem_en", "First version of the question.")
    for i, (key, es) in enumerate([("3", "Llamas al cliente"), ("0", "Esperas")]):
        page.select_option(f"#options-{i}-value", key)
        page.fill(f"#options-{i}-text_es", es)
        page.fill(f"#options-{i}-text_en", es + " (en)")
        page.fill(f"#options-{i}-feedback_es", "Porque sí")
        page.fill(f"#options-{i}-feedback_en", "Because")
    page.fill("#w_risk", "2")
    assert_accessible(page)
    click(page, page.locator("button[name=go][value=stay]"))
    expect(page.locator(".alert-success")).to_contain_text("Pregunta guardada.")
    page.goto("/train/author/cuestionario-version/")
    click(page, page.locator("#publish button[type=submit]").first)
    sign_out(page)

    sign_in_again(page, "manager@demo.cartera")  # in whatever language the account has: it is not changed here
    page.goto("/learn/exercises/cuestionario-version")
    click(page, page.locator("main form button[type=submit]"))
    first_version = re.compile("Primera versión de la pregunta|First version of the question")
    expect(page.locator("#item-form")).to_contain_text(first_version)
    attempt_url = page.url
    sign_out(page)

    sign_in_again(page, "trainer@demo.cartera")
    page.goto("/train/author/")
    press_and_release(
        page, page.locator("#published tr", has_text="cuestionario-version").locator("button", has_text="Editar")
    )
    expect(page).to_have_url(re.compile(r"/train/author/cuestionario-version/$"))
    click(page, page.locator("#item-1 a").first)
    page.fill("#stem_es", "Segunda versión de la pregunta.")
    page.fill("#stem_en", "Second version of the question.")
    click(page, page.locator("button[name=go][value=stay]"))
    page.goto("/train/author/cuestionario-version/")
    click(page, page.locator("#publish button[type=submit]").first)
    expect(page.locator(".alert-success")).to_contain_text("1 pregunta nueva o cambiada")
    sign_out(page)

    sign_in_again(page, "manager@demo.cartera")  # in whatever language the account has: it is not changed here
    page.goto(attempt_url)
    expect(page.locator("#item-form")).to_contain_text(first_version)
    expect(page.locator("#item-form")).not_to_contain_text(re.compile("Segunda versión|Second version"))
