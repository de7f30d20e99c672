"""Rendered pages read as HTML, so that an assertion looks at one region of a page.

A word looked for in a whole page can come from its shell (the header's user name, the
navigation, a filter's options, a form's help text) and let the test pass whatever the feature
does. These helpers find an element with a small subset of CSS selectors and give its text:

    text_of(page, "#assigned")            the text of the element with that id
    texts_of(page, "#practice li")        the text of each match, in document order
    rows_of(page, "table#users")          the text of each cell of each row in a table's body

A compound selector is a tag, an #id, .classes and [attribute] or [attribute=value] tests, in
that order, any of them optional (`table#assigned.table[data-x=y]`); a space between compound
selectors means "inside". Text is whitespace-collapsed and stripped, as a reader sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Elements that never have an end tag.
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
_COMPOUND = re.compile(
    r"^(?P<tag>[a-zA-Z][\w-]*|\*)?(?P<id>#[\w-]+)?(?P<classes>(?:\.[\w-]+)*)"
    r"(?P<attrs>(?:\[[\w-]+(?:=(?:\"[^\"]*\"|'[^']*'|[^\]]*))?\])*)$"
)
_ATTR = re.compile(r"\[([\w-]+)(?:=(\"[^\"]*\"|'[^']*'|[^\]]*))?\]")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join("".join(self._strings()).split())

    def _strings(self):
        for child in self.children:
            if isinstance(child, str):
                yield child
            else:
                yield " " if child.tag in ("br", "td", "th", "li", "p", "div", "tr") else ""
                yield from child._strings()

    def descendants(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.descendants()

    def select(self, selector: str) -> list[Element]:
        """Every element inside this one that matches `selector`, in document order."""
        found = [self]
        for compound in selector.split():
            test = _matcher(compound)
            matches: dict[int, Element] = {}
            for scope in found:
                for element in scope.descendants():
                    if test(element):
                        matches.setdefault(id(element), element)
            found = list(matches.values())
        return found


def _matcher(compound: str):
    match = _COMPOUND.match(compound)
    if match is None:
        raise ValueError(f"tests.html does not understand the selector {compound!r}")
    tag = match["tag"] if match["tag"] not in (None, "*") else None
    element_id = match["id"][1:] if match["id"] else None
    classes = set(filter(None, match["classes"].split(".")))
    attrs = [(name, value.strip("\"'") if value else None) for name, value in _ATTR.findall(match["attrs"])]

    def test(element: Element) -> bool:
        return (
            (tag is None or element.tag == tag.lower())  # the parser lower-cases tags
            and (element_id is None or element.attrs.get("id") == element_id)
            and classes <= set(element.attrs.get("class", "").split())
            and all(name in element.attrs and (value is None or element.attrs[name] == value) for name, value in attrs)
        )

    return test


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.open[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        # Close up to the matching open element; a stray end tag closes nothing.
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        self.open[-1].children.append(data)


def parse(page: str | bytes) -> Element:
    """The document as a tree of Elements (a test client's response.data will do)."""
    builder = _TreeBuilder()
    builder.feed(page.decode() if isinstance(page, bytes) else page)
    builder.close()
    return builder.root


def select(page: str | bytes | Element, selector: str) -> list[Element]:
    return (page if isinstance(page, Element) else parse(page)).select(selector)


def texts_of(page: str | bytes | Element, selector: str) -> list[str]:
    """The text of every element matching `selector`, in document order (empty when none does)."""
    return [element.text for element in select(page, selector)]


def text_of(page: str | bytes | Element, selector: str) -> str:
    """The text of the one element matching `selector`; an AssertionError when none or several do."""
    found = select(page, selector)
    assert len(found) == 1, f"{len(found)} elements match {selector!r}, not one"
    return found[0].text


def rows_of(page: str | bytes | Element, selector: str) -> list[list[str]]:
    """The cells' text of each row in the body of the one table matching `selector` (every row without a tbody)."""
    found = select(page, selector)
    assert len(found) == 1, f"{len(found)} elements match {selector!r}, not one"
    body = found[0].select("tbody") or [found[0]]
    return [
        [cell.text for cell in row.children if isinstance(cell, Element) and cell.tag in ("td", "th")]
        for part in body
        for row in part.select("tr")
    ]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(html: str | bytes) -> list[tuple[str, dict]]:
    """Every element a browser would build from `html`, as (tag, attributes), in order."""
    parser = _Elements()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.found
