"""Rendered fragments: kept until the least recently used must leave, rendered once per key."""

from app.services.fragments import Recent


def test_a_key_is_rendered_once_and_the_least_recently_used_leaves_first():
    rendered = []

    def make(key):
        return lambda: rendered.append(key) or f"<p>{key}</p>"

    recent = Recent(2)
    assert recent.get("a", make("a")) == "<p>a</p>"
    assert recent.get("b", make("b")) == "<p>b</p>"
    assert recent.get("a", make("a")) == "<p>a</p>"  # kept; now the most recently used
    recent.get("c", make("c"))  # b leaves, not a
    recent.get("a", make("a"))
    recent.get("b", make("b"))
    assert rendered == ["a", "b", "c", "b"]
