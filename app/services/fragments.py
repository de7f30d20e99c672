"""Rendered page fragments kept per process, for pages read far more often than what they show changes.

A fragment's key names everything it depends on besides the content bank: a version its data bumps
when it changes, the language, the month. Fragments are kept with the bank they were rendered
against (`Bank.derived`), so any content change drops them all. Each process keeps its own few
hundred, the least recently used leaving first: a miss costs one rendering, never a wrong page.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock

from markupsafe import Markup

from app.services import content_loader

KEPT = 500  # per process: a profile's body is about 20 KB


class Recent:
    """A bounded map that forgets the least recently used entry first (safe across threads)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable, make: Callable[[], object]):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()  # outside the lock: two threads may render the same fragment, never block each other
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


def kept(key: tuple, render: Callable[[], str]) -> Markup:
    """The fragment of `key`, rendered by `render` only when this process holds none for the current bank."""
    recent = content_loader.current_bank().derived(("fragments",), lambda: Recent(KEPT))
    return recent.get(key, lambda: Markup(render()))  # noqa: S704  (rendered by an autoescaping template)
