"""Whoosh's private matcher internals, kept in this one module (whoosh-reloaded is pinned exactly).

Everything here reaches below whoosh's public query API (``W3LeafMatcher``, a matcher's
``_ids``/``_weights``/``_i``, ``ArrayUnionMatcher._read_part``) to score faster; each piece
returns exactly what whoosh's own classes return, and ``tests/test_search_matchers.py`` holds
them to that. Nothing else in the builder imports a private whoosh name.
"""

from __future__ import annotations

import weakref
from array import array
from typing import Any, ClassVar

from whoosh import matching
from whoosh import query as q
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.scoring import BM25F, BM25FScorer, bm25

__all__ = ["CachedLengthsBM25F", "KnownPhrase", "ScoreArrayOr"]

#: A phrase's matches in one field: (document numbers, whoosh's scores at boost 1), in order.
PhraseMatches = tuple[list[int], list[float]]


class ScoreArrayOr(q.Or):  # type: ignore[misc]
    """An OR that adds its terms' scores up in one array as long as the index.

    It returns the hits and scores of whoosh's own OR (tests compare them), faster:

    - whoosh picks an array matcher for small indexes too, but with a fixed 2,048 slots that
      it clears for every term; this one sizes the array to the index. (Past 2,048 documents
      whoosh's array matcher works in parts and, on the 10x benchmark corpus, lost matches;
      this one agrees there with whoosh's tree of unions, to the last bits of the sums.)
    - for a plain term, it reads each block of postings at once and scores it with whoosh's
      BM25F formula and the field lengths read once per reader, instead of a dozen method
      calls for every posting; a synonym phrase adds the scores stored with the index
      (:class:`KnownPhrase`). Anything else goes through whoosh's own matchers.
    """

    def _matcher(self, subs: Any, searcher: Any, context: Any) -> Any:
        if context is not None and context.needs_current:
            return super()._matcher(subs, searcher, context)
        doccount = searcher.doc_count_all()
        return _ScoreArray(
            [sub.matcher(searcher, context) for sub in subs],
            doccount,
            boost=self.boost,
            scored=context is None or context.weighting is not None,
            partsize=max(doccount, 1),
            lengths=_FieldLengths(searcher),
        )


class CachedLengthsBM25F(BM25F):  # type: ignore[misc]
    """Whoosh's BM25F, reading each document's field length from a list made once per reader
    (whoosh reads it from the column file for every posting it scores)."""

    def scorer(self, searcher: Any, fieldname: str, text: Any, qf: float = 1) -> Any:
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if type(scorer) is BM25FScorer:
            scorer.dfl = _FieldLengths(searcher).of(fieldname).__getitem__
        return scorer


class _FieldLengths:
    """Every document's length in a field, as whoosh's BM25F reads it, kept per reader."""

    _cache: ClassVar[weakref.WeakKeyDictionary[Any, dict[str, list[float]]]] = (
        weakref.WeakKeyDictionary()
    )

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        self.known = self._cache.setdefault(searcher.reader(), {})

    def of(self, fieldname: str) -> list[float]:
        found = self.known.get(fieldname)
        if found is None:
            length = self.searcher.doc_field_length
            count = self.searcher.doc_count_all()
            found = self.known[fieldname] = [length(d, fieldname, 1) for d in range(count)]
        return found


class _ScoreArray(matching.ArrayUnionMatcher):  # type: ignore[misc]
    def __init__(self, submatchers: list[Any], doccount: int, **kwargs: Any) -> None:
        self._lengths: _FieldLengths = kwargs.pop("lengths")
        super().__init__(submatchers, doccount, **kwargs)

    def _read_part(self) -> None:
        limit = min(self._docnum + self._partsize, self._doccount)
        offset = self._docnum
        a = self._a = array("d", bytes(8 * self._partsize))
        boost = self._boost
        for m in self._submatchers:
            if self._scored and type(m) is _KnownPhraseMatcher:
                ids, scores, factor = m._ids, m._weights, m.boost
                while m._i < len(ids) and ids[m._i] < limit:
                    a[ids[m._i] - offset] += scores[m._i] * factor * boost
                    m._i += 1
                continue
            if self._scored and self._add_term(m, a, offset, limit):
                continue
            # Whoosh's own loop (ArrayUnionMatcher._read_part).
            while m.is_active() and m.id() < limit:
                if self._scored:
                    a[m.id() - offset] += m.score() * boost
                else:
                    a[m.id() - offset] = 1
                m.next()
        self._offset = offset
        self._limit = limit

    def _add_term(self, m: Any, a: array[float], offset: int, limit: int) -> bool:
        """Add a term's BM25F scores block by block; False when ``m`` is not a plain term."""
        factor = 1.0  # x * 1.0 == x exactly, so unwrapped terms score as whoosh scores them
        if type(m) is matching.WrappingMatcher:
            factor, m = m.boost, m.child
        if type(m) is not W3LeafMatcher or type(m.scorer) is not BM25FScorer:
            return False
        sc, boost = m.scorer, self._boost
        lengths = self._lengths.of(m.term()[0])
        while m.is_active():
            if m._ids is None:
                m._read_ids()
            if m._weights is None:
                m._read_weights()
            ids, weights = m._ids, m._weights
            for j in range(m._i, m._blocklength):
                d = ids[j]
                if d >= limit:
                    m._i = j
                    return True
                score = bm25(sc.idf, weights[j], lengths[d], sc.avgfl, sc.B, sc.K1)
                a[d - offset] += score * factor * boost
            m._i = m._blocklength
            m._next_block()
        return True


class KnownPhrase(q.Phrase):  # type: ignore[misc]
    """A phrase whose matches were stored with the index (see :func:`known_phrases`)."""

    def __init__(self, fieldname: str, words: list[str], matches: PhraseMatches, boost: float):
        super().__init__(fieldname, words, slop=1, boost=boost)
        self.matches = matches

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        ids, scores = self.matches
        if not ids:
            return matching.NullMatcher()
        return _KnownPhraseMatcher(ids, scores, self.boost)


class _KnownPhraseMatcher(matching.ListMatcher):  # type: ignore[misc]
    def __init__(self, ids: list[int], scores: list[float], boost: float) -> None:
        super().__init__(ids, weights=scores)
        self.boost = boost

    def score(self) -> float:
        # As whoosh's WrappingMatcher scores a phrase with a boost.
        return float(self._weights[self._i] * self.boost)

    def supports_block_quality(self) -> bool:
        return False

    def copy(self) -> _KnownPhraseMatcher:
        return _KnownPhraseMatcher(self._ids, self._weights, self.boost)
