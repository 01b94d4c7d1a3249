"""Reading YAML sources: a loader that remembers the line of every mapping and key, and one
reader that turns undecodable bytes and malformed YAML into ``path:line`` problems.

Every loader (content front matter, mappings, glossary, questionnaire, answers) reads through
:func:`read_yaml` (or :func:`decode` and :func:`parse_yaml` when, like front matter, the YAML
is one part of the file), so that the same fault reads the same everywhere.
"""

from __future__ import annotations

from typing import Any

import yaml

from builder.errors import Problem, SourceLocation

__all__ = ["LineDict", "decode", "load_yaml", "parse_yaml", "read_yaml"]


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


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode a source file's bytes as UTF-8 (a leading byte-order mark is dropped, and Windows
    line endings become newlines, so that a file saved on Windows keeps its headings).

    Returns:
        The text, or None and the problem at the line of the first bad byte.

    >>> print(decode(b"a: 1\\nb: caf\\xe9\\n", "x.yaml")[1][0])
    x.yaml:2: not valid UTF-8 (byte 0xe9 at offset 11); save the file as UTF-8
    >>> decode(b"## Scope\\r\\n\\r\\nText.\\r\\n", "x.md")
    ('## Scope\\n\\nText.\\n', [])
    """
    try:
        return raw.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n"), []
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        msg = f"not valid UTF-8 (byte 0x{raw[e.start]:02x} at offset {e.start}); save the file as UTF-8"
        return None, [Problem(SourceLocation(path, line), "encoding", msg)]


def parse_yaml(
    text: str, path: str, *, line_offset: int = 0, what: str = "YAML"
) -> tuple[Any, list[Problem]]:
    """Parse ``text`` with line numbers; a syntax error becomes one problem.

    Args:
        text: the YAML text.
        path: the source path, for messages only.
        line_offset: lines before ``text`` in its file (front matter starts on line 2).
        what: what the text is, for the message: ``invalid {what}: {reason} (column N)``.

    Returns:
        The data (None for an empty text) and no problem, or None and the problem.

    >>> print(parse_yaml("a: [1\\n", "x.yaml")[1][0])
    x.yaml:2: invalid YAML: expected ',' or ']', but got '<stream end>' (column 1)
    """
    try:
        return load_yaml(text, line_offset), []
    except yaml.YAMLError as e:
        line, col, reason = yaml_error_position(e, line_offset)
        msg = f"invalid {what}: {reason} (column {col})"
        return None, [Problem(SourceLocation(path, line), "bad-yaml", msg)]


def read_yaml(raw: bytes, path: str, *, what: str = "YAML") -> tuple[Any, list[Problem]]:
    """Decode and parse a whole YAML (or JSON) file's bytes: :func:`decode`, then :func:`parse_yaml`.

    Returns:
        The data and no problem, or None and the one problem that stopped the reading.
    """
    text, problems = decode(raw, path)
    if text is None:
        return None, problems
    return parse_yaml(text, path, what=what)


def yaml_error_position(exc: yaml.YAMLError, line_offset: int = 0) -> tuple[int, int, str]:
    """Return (line, column, reason) of a YAML error, lines shifted by ``line_offset``."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    reason = getattr(exc, "problem", None) or str(exc)
    if mark is None:
        return 1 + line_offset, 1, reason
    return mark.line + 1 + line_offset, mark.column + 1, reason
