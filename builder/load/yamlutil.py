"""A YAML loader that remembers the line of every mapping and key."""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["LineDict", "load_yaml"]


class LineDict(dict[Any, Any]):
    """A dict that knows the 1-based line where it starts and where each key sits."""

    line: int = 1
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        """Return the line of ``key``, or of the mapping when the key is absent."""
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings are :class:`LineDict` with line numbers."""

    line_offset = 0

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        self.flatten_mapping(node)
        result = LineDict()
        result.line = node.start_mark.line + 1 + self.line_offset
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1 + self.line_offset
        return result


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _LineLoader.construct_mapping,
)


class _FastLineLoader(getattr(yaml, "CSafeLoader", _LineLoader)):  # type: ignore[misc]
    """The same loader on libyaml's parser (ten times faster), when PyYAML was built with it."""

    line_offset = 0
    construct_mapping = _LineLoader.construct_mapping


_FastLineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _FastLineLoader.construct_mapping,
)


def load_yaml(text: str, line_offset: int = 0) -> Any:
    """Parse ``text``; line numbers of mappings are shifted by ``line_offset``.

    Raises:
        yaml.YAMLError: on malformed YAML (its marks are *not* shifted).
    """
    try:
        return _load(_FastLineLoader, text, line_offset)
    except yaml.YAMLError:
        # The pure-Python parser says more about what it expected: parse again for the message.
        return _load(_LineLoader, text, line_offset)


def _load(loader_class: type[Any], text: str, line_offset: int) -> Any:
    loader = loader_class(text)
    loader.line_offset = line_offset
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def yaml_error_position(exc: yaml.YAMLError, line_offset: int = 0) -> tuple[int, int, str]:
    """Return (line, column, reason) of a YAML error, lines shifted by ``line_offset``."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    reason = getattr(exc, "problem", None) or str(exc)
    if mark is None:
        return 1 + line_offset, 1, reason
    return mark.line + 1 + line_offset, mark.column + 1, reason
