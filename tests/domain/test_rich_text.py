"""Markdown in authored text: rendered, and nothing executable survives, whatever the source."""

import re

from hypothesis import example, given
from hypothesis import strategies as st

from app.domain.rich_text import TAGS, to_html, to_inline_html, to_plain
from tests.html import elements

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<p style="color:red" onclick="steal()">hi</p>',
    "<iframe src=//evil></iframe>",
    "[x](JaVaScRiPt:alert(1))",
    '<svg onload="alert(1)">',
]


def test_markdown_is_rendered():
    assert to_html("El **DSCR** es *1,5*.") == "<p>El <strong>DSCR</strong> es <em>1,5</em>.</p>"
    assert to_html("- uno\n- dos") == "<ul>\n<li>uno</li>\n<li>dos</li>\n</ul>"
    assert to_inline_html("línea 1\nlínea 2") == "línea 1<br>\nlínea 2"
    link = to_inline_html("[Banco de España](https://www.bde.es)")
    assert link == '<a href="https://www.bde.es" rel="noopener noreferrer">Banco de España</a>'


def assert_harmless(rendered: str) -> None:
    for tag, attributes in elements(rendered):
        assert tag in TAGS, tag
        assert set(attributes) <= {"href", "title", "rel", "start"}, attributes
        # A link keeps only an allowed scheme; a relative one (no scheme, like ":" or "#x") is harmless.
        scheme = re.match(r"^\s*([a-z][a-z0-9+.-]*):", (attributes.get("href") or "").lower())
        assert scheme is None or scheme.group(1) in ("http", "https", "mailto"), attributes["href"]


def test_attacks_are_stripped():
    for attack in ATTACKS:
        for rendered in (to_html(attack), to_inline_html(attack)):
            assert_harmless(rendered)
    assert to_html("<script>alert(1)</script>") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"  # text, not code
    assert "href" not in to_inline_html("[click](javascript:alert(1))")


@given(st.text(alphabet=st.sampled_from(list("<>/=\"' ()[]:*_-\nabcjsviptonerlfhy")), max_size=80) | st.text())
@example("[](:)")  # a relative link with an empty target: kept, harmless
def test_no_element_outside_the_allow_list_and_no_handler_ever_survives(text):
    assert_harmless(to_html(text))
    assert_harmless(to_inline_html(text))


def test_plain_text_drops_the_mark_up():
    assert to_plain("El **DSCR** es *1,5*.\n\n- uno\n- dos") == "El DSCR es 1,5.\nuno\ndos"
    assert to_plain("<script>alert(1)</script> hola") == "<script>alert(1)</script> hola"  # shown, never run
