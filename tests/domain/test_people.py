from hypothesis import given
from hypothesis import strategies as st

from app.domain.people import (
    PASSWORD_MIN_LENGTH,
    home_role,
    looks_like_email,
    normalise_email,
    password_problems,
    split_org_path,
)


def test_a_long_password_that_is_not_the_email_is_accepted():
    assert password_problems("a-long-passphrase", "ana@banco.es") == []


def test_short_passwords_are_refused():
    assert password_problems("x" * (PASSWORD_MIN_LENGTH - 1)) == ["too_short"]
    assert password_problems("x" * PASSWORD_MIN_LENGTH) == []


def test_the_email_is_not_a_password_whatever_its_case():
    assert password_problems("Ana.Perez@Banco.es", "ana.perez@banco.es") == ["is_email"]


@given(st.text(min_size=PASSWORD_MIN_LENGTH))
def test_length_is_counted_in_characters_not_bytes(password):
    assert "too_short" not in password_problems(password)


@given(st.emails())
def test_normalised_emails_are_lowercase_and_stable(email):
    once = normalise_email(email)
    assert once == once.lower()
    assert normalise_email(once) == once
    assert normalise_email(email.upper()) == once


def test_email_shape():
    assert looks_like_email("ana@banco.es")
    assert not looks_like_email("ana@banco")
    assert not looks_like_email("ana banco@x.es")
    assert not looks_like_email("")


def test_home_role_prefers_the_widest_responsibility():
    assert home_role(frozenset({"manager", "trainer"})) == "trainer"
    assert home_role(frozenset({"manager", "admin", "hr"})) == "admin"
    assert home_role(frozenset({"manager"})) == "manager"
    assert home_role(frozenset()) is None


def test_org_paths_ignore_spacing_and_empty_parts():
    assert split_org_path(" Banco Demo / Norte/ Bilbao ") == ("Banco Demo", "Norte", "Bilbao")
    assert split_org_path("//Banco//") == ("Banco",)
    assert split_org_path("") == ()
