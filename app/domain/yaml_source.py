"""YAML parsed into plain data, remembering where every value came from.

`Located.where(path)` gives the (line, column) of the value at a path such as
('items', 3, 'options', 1, 'key'), falling back to the nearest enclosing value, so every
validation message can point into the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from yaml.constructor import SafeConstructor

Path = tuple[str | int, ...]


@dataclass
class Located:
    data: object
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    duplicate_keys: list[tuple[Path, int, int]] = field(default_factory=list)

    def where(self, path: Path) -> tuple[int, int]:
        path = tuple(path)
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))


class YamlSyntaxError(ValueError):
    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.line = line
        self.column = column


def parse(text: str) -> Located:
    """Parse one YAML document; raise YamlSyntaxError with the position of the problem."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlSyntaxError(f"malformed YAML: {error.problem or error.context}", line, column) from None
    located = Located(None)
    if node is None:
        return located
    located.data = _build(node, (), located, SafeConstructor())
    return located


def _build(node: yaml.Node, path: Path, located: Located, constructor: SafeConstructor):
    located.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            key = key if isinstance(key, str | int) else str(key)
            if key in result:
                located.duplicate_keys.append(
                    (path + (key,), key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                )
            result[key] = _build(value_node, path + (key,), located, constructor)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, path + (i,), located, constructor) for i, child in enumerate(node.value)]
    return constructor.construct_object(node, deep=True)
