"""The people of a scope and the individual report exist once, for trainers and HR alike."""

import pytest

from app.access import declaration
from app.domain.people import ROLES
from app.ui import navigation_for
from tests.conftest import login


@pytest.fixture
def person(make_user, bank):
    return make_user("manager", name="Ane Norte", unit=bank["bilbao"])


def _pages(person) -> list[str]:
    return ["/people/", "/people/?q=ane", f"/people/{person.id}", f"/people/{person.id}.pdf"]


@pytest.mark.parametrize(("role", "heading"), [("trainer", "Managers in your scope"), ("hr", "People in your scope")])
def test_trainers_and_hr_open_the_same_pages(client, make_user, bank, person, role, heading):
    login(client, make_user(role, scope=(bank["north"],)))
    for url in _pages(person):
        assert client.get(url).status_code == 200, url
    listing = client.get("/people/").data.decode()
    assert f'<h1 class="h3">{heading}</h1>' in listing and f'href="/people/{person.id}"' in listing
    report = client.get(f"/people/{person.id}").data.decode()
    assert "Individual report: Ane Norte" in report and f'href="/people/{person.id}.pdf"' in report


def test_a_manager_is_refused(client, make_user, bank, person):
    login(client, make_user("manager", unit=bank["bilbao"]))
    for url in _pages(person):
        assert client.get(url).status_code == 403, url


def test_exactly_one_endpoint_serves_the_individual_report(app, client, make_user, bank, person):
    """Every GET route that takes a user id, opened by someone allowed everything: one renders the
    report and one its PDF (the old addresses only redirect)."""
    login(client, make_user(*ROLES, scope=(bank["bank"],)))
    serving = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments != {"user_id"}:
            continue
        response = client.get(rule.build({"user_id": person.id}, append_unknown=False)[1])
        if response.status_code == 200 and (
            b"Individual report: Ane Norte" in response.data or response.mimetype == "application/pdf"
        ):
            serving.add(rule.endpoint)
    assert serving == {"people.person", "people.person_pdf"}


@pytest.mark.parametrize("area", ["hr", "train"])
def test_the_old_addresses_move_on(client, make_user, bank, person, area):
    login(client, make_user("hr", "trainer", scope=(bank["bank"],)))
    moves = {
        f"/{area}/people?q=ane&page=2": "/people/?q=ane&page=2",
        f"/{area}/people/{person.id}": f"/people/{person.id}",
        f"/{area}/people/{person.id}.pdf": f"/people/{person.id}.pdf",
    }
    for old, new in moves.items():
        response = client.get(old)
        assert (response.status_code, response.headers["Location"]) == (301, new), old


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_only_links_to_pages_the_role_may_open(app, role):
    for item in navigation_for(frozenset({role})):
        assert declaration(app.view_functions[item.endpoint]).allows(frozenset({role})), (role, item.endpoint)
