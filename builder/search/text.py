"""Small text helpers shared by the index writer and the search engine."""

from __future__ import annotations

import re

__all__ = ["sentence_bounds"]

_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")


def sentence_bounds(text: str) -> list[int]:
    """Return where each sentence of ``text`` starts, then where each ends (the index stores
    this beside the prose, so that a snippet does not split the text again).

    >>> sentence_bounds("One. Two!  Three")
    [0, 5, 11, 4, 9, 16]
    """
    breaks = list(_SENTENCE_BREAK.finditer(text))
    return [0, *(m.end() for m in breaks), *(m.start() for m in breaks), len(text)]
