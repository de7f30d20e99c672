"""HR and trainers see only the managers of their scope, in lists and by URL."""

import pytest

from tests.conftest import login, without_csrf_tokens


@pytest.mark.parametrize("role", ["hr", "trainer"])
def test_a_regional_viewer_never_sees_another_region(client, make_user, bank, role):
    north = make_user("manager", name="Ane Norte", unit=bank["bilbao"])
    south = make_user("manager", name="Rocío Sur", unit=bank["sevilla"])
    login(client, make_user(role, unit=bank["north"], scope=(bank["north"],)))

    listing = client.get("/people/").data
    assert b"Ane Norte" in listing and b"Rocio" not in listing and "Rocío Sur".encode() not in listing
    assert client.get(f"/people/{north.id}").status_code == 200
    hidden = client.get(f"/people/{south.id}")
    assert hidden.status_code == 404
    assert "Rocío".encode() not in hidden.data
    assert "Rocío".encode() not in client.get("/people/?q=roc").data


def test_an_out_of_scope_id_and_a_missing_id_look_the_same(client, make_user, bank):
    south = make_user("manager", unit=bank["sevilla"])
    login(client, make_user("hr", scope=(bank["north"],)))
    out_of_scope = client.get(f"/people/{south.id}")
    missing = client.get("/people/987654")
    assert out_of_scope.status_code == missing.status_code == 404
    # Identical but for the URL itself, which the language switch echoes to come back to.
    assert without_csrf_tokens(out_of_scope.data).replace(f"/people/{south.id}".encode(), b"URL") == (
        without_csrf_tokens(missing.data).replace(b"/people/987654", b"URL")
    )


def test_whole_bank_hr_sees_every_region(client, make_user, bank):
    make_user("manager", name="Ane Norte", unit=bank["bilbao"])
    make_user("manager", name="Sara Sur", unit=bank["sevilla"])
    login(client, make_user("hr", scope=(bank["bank"],)))
    listing = client.get("/people/").data
    assert b"Ane Norte" in listing and b"Sara Sur" in listing


def test_staff_are_not_manager_profiles(client, make_user, bank):
    colleague = make_user("hr", unit=bank["bilbao"])
    login(client, make_user("trainer", scope=(bank["bank"],)))
    assert client.get(f"/people/{colleague.id}").status_code == 404
