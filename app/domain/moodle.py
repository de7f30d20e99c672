"""Moodle question files in and out (issue 11): Moodle XML and GIFT to Cartera item drafts, and
Cartera items to Moodle XML.

| Moodle | Cartera |
|---|---|
| multichoice, one answer | single_choice (fraction → key 0–3) |
| multichoice, several answers | multi_select (positive fraction → correct) |
| truefalse | single_choice (two options) |
| essay | open_response (its rubric chosen before publishing) |
| numerical | numeric (the first answer and its tolerance) |
| matching, cloze, short answer, others | skipped, each with its reason |

An imported item is a **draft**: Moodle questions are in one language and carry no competency
mapping, so `missing()` lists what a trainer completes before it can be published (the other
language, competencies, feedback, a rubric). Categories become tags. XML is parsed with
defusedxml (no external entities, no entity expansion); a malformed file raises MoodleError
with its line. Pure: text in, plain data out.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from xml.etree.ElementTree import Element, ParseError, SubElement, tostring  # noqa: S405  (writing only)

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from app.domain import rich_text

KEYS = 3  # Cartera's effectiveness keys run 0..3


class MoodleError(ValueError):
    """The file cannot be read; `line` says where, when known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(f"line {line}: {message}" if line else message)
        self.problem, self.line = message, line


@dataclass(frozen=True)
class Skipped:
    name: str
    moodle_type: str
    reason: str


@dataclass
class Imported:
    items: list[dict] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


# --- text ------------------------------------------------------------------------------------


class _Text(HTMLParser):
    BREAKS = {"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BREAKS and self.parts:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def plain(text: str, text_format: str = "html") -> str:
    """Moodle text as plain text: HTML tags dropped (never kept: authored HTML is not trusted)."""
    if text_format in ("html", "moodle_auto_format") and "<" in text:
        parser = _Text()
        parser.feed(text)
        text = "".join(parser.parts)
    else:
        text = html.unescape(text)
    return re.sub(r"[ \t]+", " ", re.sub(r"\n\s*\n+", "\n", text)).strip()


def slug(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "item"
    base = base if base.startswith("moodle-") else f"moodle-{base}"  # an exported Cartera id comes back as itself
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _key(fraction: float) -> int:
    return max(0, min(KEYS, round(fraction / 100 * KEYS)))


def _options(answers: list[tuple[str, float, str]], language: str, multiple: bool) -> list[dict]:
    options = []
    for n, (text, fraction, feedback) in enumerate(answers):
        option = {"id": "abcdefghij"[n], "text": {language: text}}
        if feedback:
            option["feedback"] = {language: feedback}
        if multiple:
            option["correct"] = fraction > 0
        else:
            option["key"] = _key(fraction)
        options.append(option)
    return options


def _draft(item_id: str, item_type: str, stem: str, language: str, tags: list[str], **fields) -> dict:
    return {"id": item_id, "type": item_type, "stem": {language: stem}, "tags": tags, **fields}


# --- Moodle XML ------------------------------------------------------------------------------


def _text_of(element: Element | None, tag: str = "text") -> str:
    if element is None:
        return ""
    found = element.find(tag)
    return (found.text or "") if found is not None else ""


def _formatted(element: Element | None) -> str:
    return plain(_text_of(element), element.get("format", "html") if element is not None else "html")


def read_xml(data: str | bytes, language: str = "es") -> Imported:
    try:
        root = fromstring(data)
    except DefusedXmlException as unsafe:
        raise MoodleError(f"refused: {type(unsafe).__name__} (entities are not allowed)") from None
    except ParseError as error:
        raise MoodleError(f"not well-formed XML ({error.msg})", error.position[0]) from None
    if root.tag != "quiz":
        raise MoodleError(f"a Moodle XML file starts with <quiz>, not <{root.tag}>", 1)
    result, taken, tags = Imported(), set(), []
    for question in root.iter("question"):
        kind = question.get("type", "")
        if kind == "category":
            path = _text_of(question.find("category"))
            tags = [part for part in path.split("/") if part and not part.startswith("$")]
            continue
        name = plain(_text_of(question.find("name")), "plain_text") or kind
        stem = _formatted(question.find("questiontext"))
        answers = [
            (
                _formatted(answer),
                float(answer.get("fraction", "0")),
                _formatted(answer.find("feedback")),
            )
            for answer in question.findall("answer")
        ]
        item_id = slug(name, taken)
        if kind == "multichoice":
            multiple = (question.findtext("single") or "true").strip().lower() in ("false", "0")
            item_type = "multi_select" if multiple else "single_choice"
            result.items.append(
                _draft(item_id, item_type, stem, language, tags, options=_options(answers, language, multiple))
            )
        elif kind == "truefalse":
            result.items.append(
                _draft(item_id, "single_choice", stem, language, tags, options=_options(answers, language, False))
            )
        elif kind == "essay":
            result.items.append(_draft(item_id, "open_response", stem, language, tags))
        elif kind == "numerical":
            first = question.find("answer")
            value = float(_text_of(first) or "nan") if first is not None else float("nan")
            tolerance = float(first.findtext("tolerance") or 0) if first is not None else 0.0
            result.items.append(_draft(item_id, "numeric", stem, language, tags, answer=value, tolerance=tolerance))
        else:
            result.skipped.append(Skipped(name, kind, SKIP_REASONS.get(kind, "no Cartera item type does this")))
    return result


SKIP_REASONS = {
    "matching": "matching pairs have no Cartera item type",
    "cloze": "embedded answers (cloze) have no Cartera item type",
    "multianswer": "embedded answers (cloze) have no Cartera item type",
    "shortanswer": "a typed word checked against a list has no Cartera item type",
    "description": "a description is not a question",
    "ddwtos": "drag-and-drop has no Cartera item type",
    "calculated": "calculated questions have no Cartera item type",
}


# --- GIFT ------------------------------------------------------------------------------------

_FORMAT = re.compile(r"^\[(html|plain|markdown|moodle)\]")


def _unescape(text: str) -> str:
    return re.sub(r"\\([~=#{}:\\])", r"\1", text).strip()


def _gift_text(text: str) -> str:
    text = text.strip()
    match = _FORMAT.match(text)
    text_format = match.group(1) if match else "moodle"
    text = _unescape(text[match.end() :] if match else text)
    return plain(text, "html" if text_format == "html" else "plain_text")


def _split(text: str, marks: str) -> list[tuple[str, str]]:
    """Split on unescaped marks: [(mark, chunk), …] (the first mark is '' for text before any)."""
    parts, current, mark, i = [], [], "", 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if char in marks:
            parts.append((mark, "".join(current)))
            current, mark = [], char
        else:
            current.append(char)
        i += 1
    parts.append((mark, "".join(current)))
    return parts


def _blocks(text: str) -> list[tuple[int, str]]:
    """Questions separated by blank lines, comments dropped, each with its first line number."""
    blocks, current, start = [], [], 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith("//"):
            continue
        if not line.strip():
            if current:
                blocks.append((start, "\n".join(current)))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks


def read_gift(text: str, language: str = "es") -> Imported:
    result, taken, tags = Imported(), set(), []
    for line, block in _blocks(text):
        if block.startswith("$CATEGORY:"):
            tags = [part for part in block.split(":", 1)[1].strip().split("/") if part and not part.startswith("$")]
            continue
        name = ""
        match = re.match(r"::(.*?)::", block, re.S)
        if match:
            name, block = match.group(1).strip(), block[match.end() :]
        opening = re.search(r"(?<!\\)\{", block)
        closing = re.search(r"(?<!\\)\}", block[opening.end() :]) if opening else None
        if opening is None or closing is None:
            raise MoodleError("a GIFT question needs its answers between { and }", line)
        answers = block[opening.end() : opening.end() + closing.start()].strip()
        after = block[opening.end() + closing.end() :].strip().strip('";').strip()
        stem = _gift_text(block[: opening.start()] + (" _____ " + after if after else ""))
        item_id = slug(name or stem[:40], taken)
        name = name or stem[:40]
        kind, item = _gift_answers(answers, stem, item_id, language, tags)
        if item is None:
            result.skipped.append(Skipped(name, kind, SKIP_REASONS.get(kind, "no Cartera item type does this")))
        else:
            result.items.append(item)
    return result


def _gift_answers(answers: str, stem: str, item_id: str, language: str, tags: list[str]) -> tuple[str, dict | None]:
    if not answers:
        return "essay", _draft(item_id, "open_response", stem, language, tags)
    head = answers.split("#", 1)[0].strip().upper()
    if head in ("T", "TRUE", "F", "FALSE"):
        truth = head.startswith("T")
        # {TRUE#feedback when answered wrong#feedback when answered right####general feedback}
        feedback = [_gift_text(chunk) for _mark, chunk in _split(answers, "#")[1:3]] + ["", ""]
        true = {"id": "a", "text": {language: "Verdadero" if language == "es" else "True"}, "key": KEYS if truth else 0}
        false = {"id": "b", "text": {language: "Falso" if language == "es" else "False"}, "key": 0 if truth else KEYS}
        right, wrong = (true, false) if truth else (false, true)
        for option, text in ((wrong, feedback[0]), (right, feedback[1])):
            if text:
                option["feedback"] = {language: text}
        return "truefalse", _draft(item_id, "single_choice", stem, language, tags, options=[true, false])
    if answers.startswith("#"):
        first = answers[1:].split("~")[0].split("=")[0].split("#")[0].strip()
        if ".." in first:
            low, high = (float(x) for x in first.split(".."))
            value, tolerance = (low + high) / 2, (high - low) / 2
        else:
            value, _, tol = first.partition(":")
            value, tolerance = float(value), float(tol or 0)
        return "numerical", _draft(item_id, "numeric", stem, language, tags, answer=value, tolerance=tolerance)
    choices = [(mark, chunk) for mark, chunk in _split(answers, "=~") if mark]
    if any("->" in chunk for _mark, chunk in choices):
        return "matching", None
    parsed = []
    for mark, chunk in choices:
        weight = re.match(r"\s*%(-?\d+(?:\.\d+)?)%", chunk)
        fraction = float(weight.group(1)) if weight else (100.0 if mark == "=" else 0.0)
        body = chunk[weight.end() :] if weight else chunk
        pieces = [piece for _mark, piece in _split(body, "#")]
        feedback = pieces[1] if len(pieces) > 1 else ""
        parsed.append((_gift_text(pieces[0]), fraction, _gift_text(feedback), mark))
    if all(mark == "=" for *_rest, mark in parsed):
        return "shortanswer", None
    answers_ = [(text, fraction, feedback) for text, fraction, feedback, _mark in parsed]
    multiple = sum(fraction > 0 for _t, fraction, _f in answers_) > 1 or any(0 < f < 100 for _t, f, _fb in answers_)
    item_type = "multi_select" if multiple else "single_choice"
    return "multichoice", _draft(
        item_id, item_type, stem, language, tags, options=_options(answers_, language, multiple)
    )


# --- what an imported draft still needs ------------------------------------------------------


def missing(item: dict, languages: tuple[str, ...] = ("es", "en")) -> list[str]:
    """What a trainer completes before an imported draft can be published."""
    needs = []
    texts = [item["stem"], *[o["text"] for o in item.get("options", [])]]
    for language in languages:
        if any(not t.get(language) for t in texts):
            needs.append(f"the {language} text")
    if item["type"] == "open_response":
        if "rubric" not in item:
            needs.append("a rubric")
    elif "competencies" not in item:
        needs.append("competencies")
    if any(
        "feedback" not in o or any(not o["feedback"].get(lang) for lang in languages) for o in item.get("options", [])
    ):
        needs.append("feedback for every option")
    return needs


# --- Moodle XML out --------------------------------------------------------------------------

EXPORTABLE = ("single_choice", "multi_select", "numeric", "open_response")


def _html(text: str) -> str:
    """Cartera's Markdown as the HTML Moodle shows, sanitised like every page (line breaks kept)."""
    return rich_text.to_html(text)


def _text_element(parent: Element, tag: str, text: str, text_format: str | None = "html") -> Element:
    element = SubElement(parent, tag)
    if text_format:
        element.set("format", text_format)
    SubElement(element, "text").text = text
    return element


def _fraction(value: float) -> str:
    return f"{value:.7f}".rstrip("0").rstrip(".") or "0"


def write_xml(items: list[dict], language: str, category: str | None = None) -> tuple[str, list[Skipped]]:
    """Moodle XML for the items Moodle has a type for, in one language; the rest listed as skipped."""
    quiz, skipped = Element("quiz"), []
    if category:
        question = SubElement(quiz, "question", type="category")
        _text_element(question, "category", f"$course$/{category}", None)
    for item in items:
        kind = item["type"]
        if kind not in EXPORTABLE:
            skipped.append(Skipped(item["id"], kind, f"Moodle has no question type for {kind}"))
            continue
        moodle_type = {"single_choice": "multichoice", "multi_select": "multichoice"}.get(
            kind, {"numeric": "numerical", "open_response": "essay"}.get(kind)
        )
        question = SubElement(quiz, "question", type=moodle_type)
        _text_element(question, "name", item["id"], None)
        _text_element(question, "questiontext", _html(item["stem"].get(language, "")))
        if kind in ("single_choice", "multi_select"):
            SubElement(question, "single").text = "true" if kind == "single_choice" else "false"
            options = item["options"]
            right = [o for o in options if o.get("correct")]
            wrong = [o for o in options if not o.get("correct")]
            top = max((o.get("key", 0) for o in options), default=0) or 1
            for option in options:
                if kind == "single_choice":
                    fraction = option["key"] / top * 100
                else:
                    fraction = 100 / len(right) if option["correct"] else -100 / len(wrong)
                answer = _text_element(question, "answer", _html(option["text"].get(language, "")))
                answer.set("fraction", _fraction(fraction))
                _text_element(answer, "feedback", _html((option.get("feedback") or {}).get(language, "")))
        elif kind == "numeric":
            answer = _text_element(question, "answer", _fraction(item["answer"]), None)
            answer.set("fraction", "100")
            SubElement(answer, "tolerance").text = _fraction(item.get("tolerance", 0))
        else:
            SubElement(question, "responseformat").text = "editor"
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(quiz, encoding="unicode") + "\n", skipped
