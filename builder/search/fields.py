"""The text fields a query searches, their boosts, and the synonym phrases matched at index time.

Both runtimes read these: ``portal search`` directly, the browser through the export.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from whoosh.scoring import BM25F, bm25

from builder.search.segment import Analysed

__all__ = [
    "HEAD_FIELDS",
    "TEXT_FIELDS",
    "PhraseMatches",
    "analysed_phrases",
    "known_phrases",
    "synonym_phrase_fields",
]

#: The text fields a query searches, with their boosts.
TEXT_FIELDS = {"title": 5.0, "aliases": 4.0, "summary": 2.0, "body": 1.0}
#: The fields a page alias is searched in (synonyms marked with a leading "^").
HEAD_FIELDS = {"title": 5.0, "aliases": 4.0}

#: A phrase's matches in one field: (document numbers, whoosh's scores at boost 1), in order.
PhraseMatches = tuple[list[int], list[float]]


def synonym_phrase_fields(alternative: str) -> dict[str, float]:
    """The fields (and boosts) a synonym alternative is searched in."""
    return HEAD_FIELDS if alternative.startswith("^") else TEXT_FIELDS


def known_phrases(
    searcher: Any, analyzer: Any, synonyms: dict[str, list[str]]
) -> dict[str, dict[str, PhraseMatches]]:
    """Match every synonym phrase in every field it is searched in: field -> stems -> matches.

    Synonym phrases are the slow part of a query (whoosh reads word positions for every page
    that holds all their words), and they come from a fixed table, so the index worker runs
    them once; a query then adds the stored scores, which are exactly whoosh's.
    """

    from whoosh.query import Phrase  # not imported by a build (see analysed_phrases)

    def match(field: str, stems: list[str]) -> PhraseMatches:
        hits = searcher.search(Phrase(field, stems, slop=1), limit=None)
        pairs = sorted((hit.docnum, hit.score) for hit in hits)
        return [d for d, _ in pairs], [sc for _, sc in pairs]

    return _each_phrase(analyzer, synonyms, match)


def analysed_phrases(
    analysed: Analysed, analyzer: Any, synonyms: dict[str, list[str]]
) -> dict[str, dict[str, PhraseMatches]]:
    """What :func:`known_phrases` finds on an index, found from the postings it was written
    from (a test holds the two equal).

    whoosh's phrase query (``SpanNear2``, slop 1, in order) matches a page where the words
    stand at consecutive positions, and scores it as the sum of each word's BM25F score on
    the page (whoosh's formula, idf and one-byte field lengths), added up the way its tree of
    intersections adds them.
    """
    count = len(analysed.docs)
    bm25f = BM25F()

    def match(field: str, stems: list[str]) -> PhraseMatches:
        terms = analysed.postings.get(field, {})
        if any(word not in terms for word in stems):
            return [], []
        postings = [analysed.postings_of(field, word) for word in stems]
        sizes = analysed.lengths[field]
        average = sum(sizes) / (count or 1) or 1
        idf = [math.log(count / (len(terms[word]) + 1)) + 1 for word in stems]
        ids, scores = [], []
        for docnum in sorted(set.intersection(*(set(p) for p in postings))):
            values = [p[docnum] for p in postings]
            starts = set(analysed.decode_positions(field, values[0][1]))
            for i, (_, vbytes) in enumerate(values[1:], 1):
                starts &= {p - i for p in analysed.decode_positions(field, vbytes)}
            if not starts:
                continue
            length = analysed.read_length(docnum, field)
            each = [
                bm25(idf[i], weight, length, average, bm25f.B, bm25f.K1)
                for i, (weight, _) in enumerate(values)
            ]
            ids.append(docnum)
            scores.append(_tree_sum(each))
        return ids, scores

    return _each_phrase(analyzer, synonyms, match)


def _each_phrase(
    analyzer: Any,
    synonyms: dict[str, list[str]],
    match: Callable[[str, list[str]], PhraseMatches],
) -> dict[str, dict[str, PhraseMatches]]:
    found: dict[str, dict[str, PhraseMatches]] = {}
    for alternative in sorted({a for alts in synonyms.values() for a in alts}):
        stems = [t.text for t in analyzer(alternative.lstrip("^"))]
        if len(stems) < 2:
            continue  # searched as a plain term
        for field in synonym_phrase_fields(alternative):
            known = found.setdefault(field, {})
            key = " ".join(stems)
            if key not in known:
                known[key] = match(field, stems)
    return found


def _tree_sum(values: list[float]) -> float:
    """Add up as whoosh's binary tree of matchers does: (first half) + (second half)."""
    if len(values) == 1:
        return values[0]
    half = len(values) // 2
    return _tree_sum(values[:half]) + _tree_sum(values[half:])
