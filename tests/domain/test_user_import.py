"""The CSV parser reports every problem with its line, and accepts what a spreadsheet writes."""

import pytest

from app.domain.user_import import COLUMNS, parse_user_csv

PATHS = {("banco",), ("banco", "norte"), ("banco", "norte", "bilbao")}
HEADER = ",".join(COLUMNS) + "\n"


def codes(parsed):
    return [(e.line, e.field, e.code) for e in parsed.errors]


def test_a_clean_file_gives_one_row_per_user():
    parsed = parse_user_csv(
        HEADER
        + "Ana@Banco.es,Ana Pérez,junior,Banco/Norte/Bilbao,manager\n"
        + "luis@banco.es,Luis Marín,,banco / norte,trainer;hr\n",
        PATHS,
    )
    assert parsed.ok
    ana, luis = parsed.rows
    assert (ana.line, ana.email, ana.career_level, ana.org_path) == (
        2,
        "ana@banco.es",
        "junior",
        ("Banco", "Norte", "Bilbao"),
    )
    assert luis.roles == frozenset({"trainer", "hr"})
    assert luis.career_level is None


def test_semicolon_delimited_files_from_spanish_spreadsheets_are_read():
    parsed = parse_user_csv(
        "\ufeffemail;name;career_level;org_unit;roles\nana@banco.es;Ana;mid;Banco;manager|trainer\n", PATHS
    )
    assert parsed.ok
    assert parsed.rows[0].roles == frozenset({"manager", "trainer"})


def test_every_bad_row_is_reported_with_its_line_and_field():
    parsed = parse_user_csv(
        HEADER
        + "ana@banco.es,Ana,junior,Banco,manager\n"  # line 2: fine
        + "not-an-email,Bea,junior,Banco,manager\n"  # line 3
        + "ANA@banco.es,Ana again,junior,Banco,manager\n"  # line 4: duplicate of line 2
        + "carl@banco.es,,expert,Banco/Sur,manager\n"  # line 5: no name, bad level, unknown unit
        + "dani@banco.es,Dani,,Banco,cashier\n"  # line 6: unknown role
        + "eva@banco.es,Eva,,Banco,manager\n"  # line 7: a manager without a level
        + ",,,,\n"  # blank lines are skipped
        + "fer@banco.es,Fer,mid,,\n",  # line 9: no unit, no roles
        PATHS,
    )
    assert not parsed.ok
    assert codes(parsed) == [
        (3, "email", "invalid_email"),
        (4, "email", "duplicate_email"),
        (5, "name", "required"),
        (5, "career_level", "unknown_career_level"),
        (5, "org_unit", "unknown_org_unit"),
        (6, "roles", "unknown_role"),
        (7, "career_level", "manager_needs_level"),
        (9, "org_unit", "required"),
        (9, "roles", "required"),
    ]
    assert parsed.errors[1].value == "2"  # the line where the email first appeared
    assert [r.line for r in parsed.rows] == [2]


def test_missing_columns_are_named():
    parsed = parse_user_csv("email,name\nana@banco.es,Ana\n", PATHS)
    assert codes(parsed) == [
        (1, "career_level", "missing_column"),
        (1, "org_unit", "missing_column"),
        (1, "roles", "missing_column"),
    ]


def test_empty_files_and_header_only_files_are_errors():
    assert codes(parse_user_csv("", PATHS)) == [(1, "", "empty_file")]
    assert codes(parse_user_csv(HEADER, PATHS)) == [(1, "", "no_rows")]


def test_header_names_are_case_insensitive():
    parsed = parse_user_csv("Email,Name,Career_Level,Org_Unit,Roles\nana@banco.es,Ana,junior,Banco,manager\n", PATHS)
    assert parsed.ok


def test_overlong_fields_and_control_characters_are_refused():
    parsed = parse_user_csv(
        HEADER + f"ana@banco.es,{'x' * 201},junior,Banco,manager\nb@banco.es,B\x00ob,junior,Banco,manager\n", PATHS
    )
    assert codes(parsed) == [(2, "name", "too_long"), (3, "name", "control_characters")]


# Addresses and whether they are valid: one rule (email-validator) for the CSV import and the admin
# form, which tests/web/test_email_addresses.py posts them to.
EMAIL_CASES = [
    ("ana@banco.es", True),
    ("Ana.Perez@Banco.ES", True),
    ("ana@bancó.es", True),  # a unicode domain
    ("ana@banco", False),  # no top-level domain
    ("ana perez@banco.es", False),  # a space
    ("ana@banco.es.", False),  # a trailing dot
    ("ana..perez@banco.es", False),  # two dots in a row
    (".ana@banco.es", False),
    ("ana@banco.123", False),  # a numeric top-level domain
    ("ana@[10.0.0.1]", False),  # an address literal
]


@pytest.mark.parametrize(("address", "valid"), EMAIL_CASES)
def test_email_addresses_are_checked_by_email_validator(address, valid):
    parsed = parse_user_csv(HEADER + f"{address},Ana,junior,Banco,manager\n", PATHS)
    assert codes(parsed) == ([] if valid else [(2, "email", "invalid_email")])
