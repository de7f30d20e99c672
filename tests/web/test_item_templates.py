"""Each item type's template posts what its parser reads back: the answer a page shows is the
answer the next save stores (every type of the registry, on its own example, in both languages)."""

from html.parser import HTMLParser

import pytest
from flask_babel import refresh
from werkzeug.datastructures import MultiDict

from app.domain import items


class FormFields(HTMLParser):
    """The fields a browser would post from a rendered form (no JavaScript)."""

    def __init__(self):
        super().__init__()
        self.fields = MultiDict()
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name"):
            if a.get("type") in ("radio", "checkbox"):
                if "checked" in a:
                    self.fields.add(a["name"], a.get("value", "on"))
            else:
                self.fields.add(a["name"], a.get("value", ""))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields.add(self._select, a.get("value", ""))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.add(self._textarea, self._text)
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text += data


SHOWN = {"likert": 4, "open_response": "Visitaré al cliente el martes con su balance."}


def shown_answer(item_type):
    item = item_type.example()
    return item, SHOWN.get(item_type.name) or items.keyed_answer(item)


@pytest.mark.parametrize("locale", ["es", "en"])
@pytest.mark.parametrize("item_type", list(items.TYPES.values()), ids=lambda t: t.name)
def test_what_a_player_shows_posts_back_as_the_same_answer(app, item_type, locale):
    item, answer = shown_answer(item_type)
    option_ids = [o["id"] for o in reversed(item.get("options", []))]  # shown in another order
    with app.test_request_context(headers={"Accept-Language": locale}):
        template = app.jinja_env.get_template(f"items/{item_type.name}.html")
        kind = template.make_module({"current_locale": locale})
        by_id = {o["id"]: o for o in item.get("options", [])}
        html = str(kind.player(item, [by_id[i] for i in option_ids], answer, None, f"answer-{item['id']}"))
    parser = FormFields()
    parser.feed(html)
    assert items.parse(item, parser.fields, option_ids, locale) == (answer, None), html


@pytest.mark.parametrize("item_type", list(items.TYPES.values()), ids=lambda t: t.name)
def test_a_blank_player_posts_no_answer(app, item_type):
    item = item_type.example()
    option_ids = [o["id"] for o in item.get("options", [])]
    with app.test_request_context():
        kind = app.jinja_env.get_template(f"items/{item_type.name}.html").make_module({"current_locale": "es"})
        by_id = {o["id"]: o for o in item.get("options", [])}
        html = str(kind.player(item, [by_id[i] for i in option_ids], None, None, f"answer-{item['id']}"))
    parser = FormFields()
    parser.feed(html)
    assert items.parse(item, parser.fields, option_ids, "es") == (None, None)


@pytest.mark.parametrize("item_type", list(items.TYPES.values()), ids=lambda t: t.name)
def test_every_type_has_a_label_in_both_languages(app, item_type):
    labels = {}
    for locale in ("es", "en"):
        with app.test_request_context(headers={"Accept-Language": locale}):
            refresh()  # the locale is kept per app context, which the two requests may share
            kind = app.jinja_env.get_template(f"items/{item_type.name}.html").make_module({"current_locale": locale})
            labels[locale] = str(kind.label()).strip()
    assert labels["es"] and labels["en"] and labels["es"] != labels["en"], labels


def test_every_problem_a_type_reports_has_words():
    """Each problem code an item type's parser returns is worded for the manager."""
    import inspect
    import re

    from app.learner import messages

    codes = {
        code
        for item_type in items.TYPES.values()
        for code in re.findall(r'return None, "(\w+)"', inspect.getsource(type(item_type)))
    }
    assert "group_incomplete" in codes and codes <= set(messages.PROBLEMS), codes - set(messages.PROBLEMS)


@pytest.mark.parametrize(
    "item_type", [t for t in items.TYPES.values() if t.example().get("options")], ids=lambda t: t.name
)
def test_every_key_mark_of_a_type_has_words(app, item_type):
    item = item_type.example()
    with app.test_request_context():
        kind = app.jinja_env.get_template(f"items/{item_type.name}.html").make_module({"current_locale": "en"})
        for option in item["options"]:
            mark, value = items.key_mark(item, option["id"])
            if mark:
                assert str(kind.key_mark(mark, value)).strip()
