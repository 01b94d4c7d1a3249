"""What a page body may not contain: scripts, event handlers, and links that leave the sources.

Shared by the checks of content/ (:mod:`builder.validate`) and of overlays
(:mod:`builder.load.overlays`), so that the same fault reads the same in both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.load.content import body_lines

__all__ = ["OUTSIDE", "UNSAFE", "unsafe_lines"]

UNSAFE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"<\s*script\b", re.IGNORECASE), "a <script> element; pages may not run scripts"),
    (
        re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE),
        "an inline event handler (on...=); pages may not run scripts",
    ),
    (re.compile(r"javascript\s*:", re.IGNORECASE), "a javascript: URL; pages may not run scripts"),
    (
        re.compile(r"\]\(\s*\.\./|\b(?:href|src)\s*=\s*[\"']?\.\./", re.IGNORECASE),
        "a link that leaves content/ (../); link pages with [[id]]",
    ),
)
#: Overlays may not point outside the portal either: the site must work with no network.
_SCHEME = r"(?:(?!mailto:|tel:)[a-z][a-z0-9+.-]*:|//)"
OUTSIDE: tuple[tuple[re.Pattern[str], str], ...] = (
    (
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

    ``outside`` also forbids links to other sites (overlays). ``offset`` counts lines from 0.

    >>> list(unsafe_lines("ok\\n<b onclick='x()'>no</b>"))
    [(1, 'an inline event handler (on...=); pages may not run scripts')]
    >>> [o for o, _ in unsafe_lines("[a](https://x.org) [b](mailto:a@b.c)", outside=True)]
    [0]
    """
    patterns = UNSAFE + OUTSIDE if outside else UNSAFE
    for offset, (line, in_code) in enumerate(body_lines(body)):
        if in_code:
            continue
        for pattern, what in patterns:
            if pattern.search(line):
                yield offset, what
