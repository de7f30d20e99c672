"""The admin's user form and the CSV import accept and refuse the same e-mail addresses."""

import pytest

from tests.domain.test_user_import import EMAIL_CASES
from tests.html import rows_of, select

CSV_HEADER = "email,name,career_level,org_unit,roles\n"


def refused_by_the_form(client, address: str) -> bool:
    page = client.post("/admin/users/new", data={"email": address, "name": "Ana", "org_unit_id": 0}).data
    return bool(select(page, "#email-error"))


def refused_by_the_import(client, address: str) -> bool:
    page = client.post("/admin/import", data={"pasted": f"{CSV_HEADER}{address},Ana,junior,Banco Test,manager\n"}).data
    return bool(select(page, "#import-errors")) and any(row[1] == "email" for row in rows_of(page, "#import-errors"))


@pytest.mark.parametrize(("address", "valid"), EMAIL_CASES)
def test_the_form_and_the_import_agree_on_every_address(client, login_as, bank, address, valid):
    login_as("admin")
    refused = not valid
    assert (refused_by_the_form(client, address), refused_by_the_import(client, address)) == (refused, refused)
