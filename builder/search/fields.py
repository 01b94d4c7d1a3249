"""The text fields a query searches, their boosts, and the synonym phrases matched at index time.

Both runtimes read these: ``portal search`` directly, the browser through the export.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as q

__all__ = ["HEAD_FIELDS", "TEXT_FIELDS", "PhraseMatches", "known_phrases", "synonym_phrase_fields"]

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
    found: dict[str, dict[str, PhraseMatches]] = {}
    for alternative in sorted({a for alts in synonyms.values() for a in alts}):
        stems = [t.text for t in analyzer(alternative.lstrip("^"))]
        if len(stems) < 2:
            continue  # searched as a plain term
        for field in synonym_phrase_fields(alternative):
            known = found.setdefault(field, {})
            key = " ".join(stems)
            if key not in known:
                hits = searcher.search(q.Phrase(field, stems, slop=1), limit=None)
                pairs = sorted((hit.docnum, hit.score) for hit in hits)
                known[key] = ([d for d, _ in pairs], [sc for _, sc in pairs])
    return found
