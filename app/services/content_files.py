"""Reading the content bank's files from disk (the domain never touches the file system)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

CONTENT_DIRS = ("questions", "rubrics")


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        elif path.is_file():
            found.append(path)
    return found


def read_sources(root: Path, paths: Iterable[Path] | None = None) -> dict[str, str]:
    """{name: text}; names are relative to `root` when possible, so messages read 'questions/x.yaml'."""
    chosen = list(paths) if paths else [root / d for d in CONTENT_DIRS]
    sources = {}
    for file in yaml_files(chosen):
        resolved = file.resolve()
        try:
            name = str(resolved.relative_to(root.resolve()))
        except ValueError:
            name = str(file)
        sources[name] = resolved.read_text(encoding="utf-8")
    return sources
