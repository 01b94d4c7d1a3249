"""What a query asks beyond its words: a framework it wants the answer in, an exact title.

"ITIL service desk in MOF", "MOF equivalent of problem management" and "MOF 4.0 change
management" name a framework the reader wants the answer *in*. The words that name it are
taken out of the query (every page mentions MOF), the rest is searched as usual, and then:

- each page of the wanted framework also gets a share of the score of its best aligned page
  in another framework (the ITIL Service Desk page lends its score to MOF's Customer Service
  SMF, which it is mapped to);
- pages of the wanted framework count ``FRAMEWORK_BOOST`` times.

A query that is a page's title or alias, word for word, lifts that page. An organisation's own
pages (from an overlay) count ``LOCAL_TIE`` times, last: enough to come first where they match
as well as a standard page, too little to pass a clearly better match. The browser engine
(``portal-search-engine.js``) does the same arithmetic in the same order; keep them together.
Pure functions on plain data: no whoosh here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "AFTER",
    "BEFORE",
    "COUNTERPART_SHARE",
    "EXACT_TITLE_BOOST",
    "FRAMEWORK_BOOST",
    "LOCAL_TIE",
    "MARKERS",
    "TEMPLATE_FACTOR",
    "TEMPLATE_WORDS",
    "Intent",
    "adjust",
    "norm_words",
    "read_intent",
]

#: Pages of the framework a query asks for count this many times.
FRAMEWORK_BOOST = 3.0
#: A page of that framework adds this share of its best aligned page's score (x strength/10).
COUNTERPART_SHARE = 1.0
#: A page whose title or alias is the query, word for word, counts this many times.
EXACT_TITLE_BOOST = 2.0
#: A record template counts this much unless the query asks for one (words below): someone
#: who types "KEDB" wants how to keep known errors, then the record's fields.
TEMPLATE_FACTOR = 0.3
TEMPLATE_WORDS = frozenset(["template", "templates", "form", "forms"])
#: A page of the organisation's own (an overlay's: "Our practice") counts this many times, so
#: that it ranks first among equal matches. A portal without overlays has none: its ranking is
#: the same with or without this factor.
LOCAL_TIE = 1.05
#: Words that mark the framework after or before them as the one wanted.
BEFORE = frozenset(["in", "to", "for", "within", "into"])
AFTER = frozenset(["equivalent", "equivalents", "counterpart", "counterparts", "version"])
#: Words that only say "the counterpart of": dropped with the framework's name.
MARKERS = AFTER | BEFORE | frozenset(["of"])
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Intent:
    """The frameworks a query wants its answer in, and the words left to search for."""

    frameworks: tuple[str, ...]
    words: tuple[str, ...]


def norm_words(text: str) -> list[str]:
    """Lowercase words of ``text`` ("MOF 4.0" -> mof, 4, 0).

    >>> norm_words('ITIL "service desk" in MOF 4.0')
    ['itil', 'service', 'desk', 'in', 'mof', '4', '0']
    """
    return _WORD.findall(text.lower())


def read_intent(text: str, names: Mapping[str, str]) -> Intent | None:
    """Return the framework ``text`` wants its answer in, or None.

    A framework is wanted when it is the only one named, or when it is named after "in"
    ("... in MOF") or before "equivalent" ("MOF equivalent of ..."). None when no framework
    is wanted, or when nothing but the framework's name would be left to search for.

    >>> names = {"itil": "itil", "mof": "mof4", "mof 3": "mof3"}
    >>> read_intent("ITIL service desk in MOF", names)
    Intent(frameworks=('mof4',), words=('service', 'desk'))
    >>> read_intent("MOF 3 change management", names).frameworks
    ('mof3',)
    >>> read_intent("how does MOF fit with ITIL", names) is None
    True
    >>> read_intent("MOF", names) is None
    True
    """
    words = norm_words(text)
    longest = max((len(name.split()) for name in names), default=0)
    found: list[tuple[int, int, str]] = []  # (start, end, framework)
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            framework = names.get(" ".join(words[i : i + size]))
            if framework is not None:
                found.append((i, i + size, framework))
                i += size
                break
        else:
            i += 1
    if not found:
        return None
    marked = [
        fw
        for start, end, fw in found
        if (start > 0 and words[start - 1] in BEFORE) or (end < len(words) and words[end] in AFTER)
    ]
    named = list(dict.fromkeys(fw for _, _, fw in found))
    wanted = list(dict.fromkeys(marked)) if marked else named if len(named) == 1 else []
    if not wanted:
        return None
    taken = {i for start, end, _ in found for i in range(start, end)}
    left = tuple(w for i, w in enumerate(words) if i not in taken and w not in MARKERS)
    return Intent(tuple(wanted), left) if left else None


def adjust(
    base: Mapping[int, float],
    intent: Intent | None,
    frameworks: Sequence[str],
    counterparts: Mapping[int, Sequence[tuple[int, int]]],
    exact: Sequence[int],
    templates: Sequence[int] = (),
    local: Sequence[int] = (),
) -> dict[int, float]:
    """Return the final score of every page: ``base`` scores with intent and exact titles.

    ``frameworks[d]`` is page d's framework; ``counterparts[d]`` its aligned pages in other
    frameworks as (page, strength 1-10); ``exact`` the pages whose title or alias the query
    is; ``templates`` the record templates to count ``TEMPLATE_FACTOR`` times (none when the
    query asks for a template); ``local`` the organisation's own pages, which count
    ``LOCAL_TIE`` times. Pages are visited in ascending order, as in the browser.

    >>> adjust({0: 1.0, 2: 4.0}, Intent(("m",), ("x",)), ["i", "m", "i"], {1: [(2, 5)]}, [], [2])
    {0: 1.0, 1: 6.0, 2: 1.2}
    >>> adjust({0: 2.0, 1: 2.0}, None, ["i", "i"], {}, [], local=[1])
    {0: 2.0, 1: 2.1}
    """
    scores = dict(base)
    if intent is not None:
        wanted = set(intent.frameworks)
        for d in range(len(frameworks)):
            if frameworks[d] not in wanted:
                continue
            lent = 0.0
            for other, strength in counterparts.get(d, ()):
                if frameworks[other] not in wanted:
                    lent = max(lent, base.get(other, 0.0) * strength / 10)
            own = base.get(d, 0.0) + COUNTERPART_SHARE * lent
            if own > 0:
                scores[d] = own * FRAMEWORK_BOOST
    for d in exact:
        if d in scores:
            scores[d] = scores[d] * EXACT_TITLE_BOOST
    for d in templates:
        if d in scores:
            scores[d] = scores[d] * TEMPLATE_FACTOR
    for d in local:
        if d in scores:
            scores[d] = scores[d] * LOCAL_TIE
    return dict(sorted(scores.items()))
