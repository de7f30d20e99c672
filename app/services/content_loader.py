"""Validating, syncing and exporting the content bank."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from flask import current_app

from app.domain.content_schema import ContentError, load_bank
from app.services.content_files import read_sources


def content_root() -> Path:
    return Path(current_app.config["CONTENT_ROOT"])


def validate(paths: Iterable[str] = ()) -> tuple[list[ContentError], int]:
    """Every problem in the given files (default: the whole bank), and how many files were read.

    Named files are checked against the rest of the bank, so references to items and rubrics
    defined elsewhere resolve; only the named files' problems are reported.
    """
    root = content_root()
    if not paths:
        sources = read_sources(root)
        return load_bank(sources)[1], len(sources)
    targets = read_sources(root, [Path(p) for p in paths])
    context = {name: text for name, text in read_sources(root).items() if name not in targets}
    _bank, errors = load_bank({**context, **targets})
    return [e for e in errors if e.file in targets], len(targets)
