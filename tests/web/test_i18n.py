"""Spanish and English: before sign-in from the browser, after it from the user's choice."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from app.extensions import db
from app.models import User
from tests.conftest import login

TRANSLATIONS = Path(__file__).resolve().parents[2] / "app" / "translations"


def test_accept_language_chooses_the_language_before_sign_in(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es-ES,es;q=0.9,en;q=0.5"
    spanish = client.get("/auth/login")
    assert b'<html lang="es">' in spanish.data and b"Iniciar sesi" in spanish.data
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"
    english = client.get("/auth/login")
    assert b'<html lang="en">' in english.data and b"Sign in to Cartera" in english.data


def test_an_unsupported_language_falls_back_to_spanish(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de-DE"
    assert b'<html lang="es">' in client.get("/auth/login").data


def test_the_switch_works_before_sign_in_and_returns_to_the_page(client):
    response = client.post("/language", data={"locale": "es", "next": "/auth/login"})
    assert response.headers["Location"] == "/auth/login"
    assert b'<html lang="es">' in client.get("/auth/login").data


def test_the_switch_is_saved_on_the_user_and_beats_the_browser(client, make_user):
    user = make_user()
    login(client, user)
    client.post("/language", data={"locale": "es", "next": "/learn/"})
    assert db.session.get(User, user.id).locale == "es"
    other_device = client.application.test_client()
    other_device.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login(other_device, user)
    assert b'<html lang="es">' in other_device.get("/learn/").data


def test_unknown_languages_and_foreign_next_targets_are_ignored(client):
    response = client.post("/language", data={"locale": "fr", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert b'<html lang="en">' in client.get("/auth/login").data


def _catalogue(locale: str):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


def _template():
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        return read_po(handle, locale="en")


def test_the_spanish_catalogue_is_complete():
    catalog, template = _catalogue("es"), _template()
    missing = [m.id for m in template if m.id and catalog.get(m.id, context=m.context) is None]
    untranslated = [
        m.id
        for m in catalog
        if m.id and (not m.string or not all(m.string if isinstance(m.string, tuple) else [m.string]))
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert (missing, untranslated, fuzzy) == ([], [], [])
    assert len(catalog) > 100


def test_the_english_catalogue_follows_the_template_and_may_leave_messages_empty():
    """English is the source language: an empty msgstr shows the msgid (see the next test)."""
    catalog, template = _catalogue("en"), _template()
    missing = [m.id for m in template if m.id and catalog.get(m.id, context=m.context) is None]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]  # a fuzzy guess would be shown as if it were English
    assert (missing, fuzzy) == ([], [])


def test_an_empty_english_message_falls_back_to_its_msgid(tmp_path):
    """What `pybabel compile` makes of the template's messages, all left empty, still speaks English."""
    template = _template()
    with open(tmp_path / "messages.mo", "wb") as handle:
        write_mo(handle, template)
    with open(tmp_path / "messages.mo", "rb") as handle:
        english = Translations(handle)
    singular = [m.id for m in template if isinstance(m.id, str) and m.id]
    plural = [m.id for m in template if isinstance(m.id, tuple)]
    assert singular and plural
    assert [english.gettext(m) for m in singular] == singular
    assert [english.ngettext(*m, 1) for m in plural] == [m[0] for m in plural]
    assert [english.ngettext(*m, 2) for m in plural] == [m[1] for m in plural]


def test_every_page_of_the_shell_is_translated(client, make_user):
    """No English left on a Spanish page: spot-check the shell and an admin page."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es"
    login(client, make_user("admin"))
    page = client.get("/admin/users").data.decode()
    for english in ["Skip to main content", "Sign out", "New user", "Import from CSV", "Filter"]:
        assert english not in page
    assert "Saltar al contenido principal" in page


def test_the_template_holds_every_message_the_code_and_pages_use():
    """A string added to a page or a module without `make translations-update` would show in English
    to a Spanish reader, however complete the catalogues are: extract them afresh and compare."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    root = TRANSLATIONS.parent.parent
    with open(root / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    used = {
        (message if isinstance(message, str) else message[0], context)
        for _file, _line, message, _comments, context in extract_from_dir(
            str(root), method_map, options_map, keywords=keywords
        )
    }
    template = _template()
    missing = sorted(m for m, context in used if m and template.get(m, context=context) is None)
    assert missing == []
