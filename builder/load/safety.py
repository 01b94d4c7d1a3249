"""What a page body may not contain: scripts, event handlers, and links that leave the sources.

Shared by the checks of content/ (:mod:`builder.validate`) and of overlays
(:mod:`builder.load.overlays`), so that the same fault reads the same in both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from builder.load.content import body_lines

__all__ = ["OUTSIDE", "UNSAFE", "Rule", "unsafe_lines"]


class Rule(NamedTuple):
    """A forbidden thing: its pattern (case-insensitive), and what the problem says."""

    pattern: re.Pattern[str]
    what: str
    #: Text that every match contains, without letters (the pattern ignores case, and in
    #: Unicode more letters than ``str.lower`` maps): a body without it is not searched.
    needle: str = ""


UNSAFE: tuple[Rule, ...] = (
    Rule(
        re.compile(r"<\s*script\b", re.IGNORECASE),
        "a <script> element; pages may not run scripts",
        "<",
    ),
    Rule(
        re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE),
        "an inline event handler (on...=); pages may not run scripts",
        "<",
    ),
    Rule(
        re.compile(r"javascript\s*:", re.IGNORECASE),
        "a javascript: URL; pages may not run scripts",
        ":",
    ),
    Rule(
        re.compile(r"\]\(\s*\.\./|\b(?:href|src)\s*=\s*[\"']?\.\./", re.IGNORECASE),
        "a link that leaves content/ (../); link pages with [[id]]",
        "../",
    ),
)
#: Overlays may not point outside the portal either: the site must work with no network.
_SCHEME = r"(?:(?!mailto:|tel:)[a-z][a-z0-9+.-]*:|//)"
OUTSIDE: tuple[Rule, ...] = (
    Rule(
        re.compile(
            rf"\]\(\s*<?{_SCHEME}|\b(?:href|src)\s*=\s*[\"']?{_SCHEME}|<(?:https?|ftp)://",
            re.IGNORECASE,
        ),
        "a link outside the portal; overlays link pages with [[id]] and name other places "
        "in plain text (mailto: and tel: links are allowed)",
    ),
)


def unsafe_lines(body: str, *, outside: bool = False) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, what)`` for each forbidden thing in ``body``, code blocks aside.

    ``outside`` also forbids links to other sites (overlays). ``offset`` counts lines from 0,
    to the line where the thing starts: a tag may spread its attributes over several lines,
    and Markdown passes it through all the same. Each line is reported once per rule, in
    order of lines.

    >>> list(unsafe_lines("ok\\n<b onclick='x()'>no</b>"))
    [(1, 'an inline event handler (on...=); pages may not run scripts')]
    >>> list(unsafe_lines("ok\\n<img src='x.png'\\n  onerror='x()'>"))
    [(1, 'an inline event handler (on...=); pages may not run scripts')]
    >>> [o for o, _ in unsafe_lines("[a](https://x.org) [b](mailto:a@b.c)", outside=True)]
    [0]
    """
    rules = [
        rule
        for rule in (UNSAFE + OUTSIDE if outside else UNSAFE)
        if rule.needle in body and rule.pattern.search(body)
    ]
    if not rules:  # most bodies: each rule's pattern was run once, over the whole body
        return
    # Code blocks may show what pages may not do: they are blanked, keeping their lines.
    text = "\n".join("" if in_code else line for line, in_code in body_lines(body))
    found = {
        (text.count("\n", 0, m.start()), index)
        for index, rule in enumerate(rules)
        for m in rule.pattern.finditer(text)
    }
    for offset, index in sorted(found):
        yield offset, rules[index].what
