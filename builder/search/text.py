"""Small text helpers shared by the index writer and the search engine."""

from __future__ import annotations

import re

__all__ = ["sentence_bounds"]

#: The spaces after a full stop, question or exclamation mark (group 1). Matching the mark
#: itself lets the engine skip to the marks, where a lookbehind would be tried everywhere.
_SENTENCE_BREAK = re.compile(r"[.!?](\s+)")


def sentence_bounds(text: str) -> list[int]:
    """Return where each sentence of ``text`` starts, then where each ends (the index stores
    this beside the prose, so that a snippet does not split the text again).

    >>> sentence_bounds("One. Two!  Three")
    [0, 5, 11, 4, 9, 16]
    """
    breaks = [m.span(1) for m in _SENTENCE_BREAK.finditer(text)]
    return [0, *(end for _, end in breaks), *(start for start, _ in breaks), len(text)]
