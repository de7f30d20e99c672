"""Authored text in Markdown, rendered safe.

Stems, options, narratives and feedback may use Markdown (emphasis, lists, links, line breaks).
Raw HTML in the source is shown as text, and whatever the renderer produces is sanitised by
nh3 against a short allow-list, so no script, event handler, `javascript:` URL or inline style
reaches a page, an export or a PDF, whoever wrote the content.
"""

from __future__ import annotations

import html
import re
from functools import cache

import nh3
from markdown_it import MarkdownIt

TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "a", "code", "blockquote"}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


@cache
def _markdown() -> MarkdownIt:
    # "breaks": an author's line break stays a line break, as it did when texts were plain.
    return MarkdownIt("commonmark", {"html": False, "breaks": True}).disable(["image", "heading", "lheading", "hr"])


def _clean(rendered: str) -> str:
    return nh3.clean(
        rendered, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel="noopener noreferrer"
    ).strip()


def to_html(text: str | None) -> str:
    """Block text (a stem, a narrative): paragraphs and lists."""
    return _clean(_markdown().render(text or ""))


def to_inline_html(text: str | None) -> str:
    """Text that sits inside a label or a sentence (an option, a feedback): no paragraphs."""
    return _clean(_markdown().renderInline(text or ""))


def to_plain(text: str | None) -> str:
    """The text without its mark-up, for plain-text outputs (CSV, PDF)."""
    rendered = re.sub(r"<br\s*/?>|</p>|</li>", "\n", _markdown().render(text or ""))
    return re.sub(r"\n{2,}", "\n", html.unescape(nh3.clean(rendered, tags=set()))).strip()
