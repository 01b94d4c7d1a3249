"""Export what the browser engine needs from a whoosh index generation, as one script file.

The site is opened from disk, where a classic ``<script src>`` is the one way to read data
(``fetch``, modules and ``new Worker(file)`` fail from ``file://``). So the index is written as
``var portalSearchIndex = {...};`` and ``portal-search-engine.js`` ranks with it exactly as
:mod:`builder.search.engine` ranks with whoosh: the same postings and their weights, each
page's field lengths as whoosh's one-byte encoding reads them back, whoosh's idf (it depends
only on a term's document frequency, so one table serves every term), the synonym phrases
matched at index time with whoosh's own scores. Stems are not exported: the browser stems with
a port of whoosh's Porter stemmer, which a test holds to whoosh on every word of the index and
its usual inflections. Values are those of the index: read back from it, or taken from the
analysed documents the index was written from (:mod:`builder.search.segment`), which a test
holds to the same file.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh import index
from whoosh.scoring import BM25F

from builder.fsutil import write_text
from builder.model import LOCAL_LABEL
from builder.search.fields import TEXT_FIELDS
from builder.search.intent import (
    AFTER,
    BEFORE,
    COUNTERPART_SHARE,
    EXACT_TITLE_BOOST,
    FRAMEWORK_BOOST,
    LOCAL_TIE,
    MARKERS,
    TEMPLATE_FACTOR,
    TEMPLATE_WORDS,
)
from builder.search.segment import Analysed
from builder.search.store import (
    BROWSER_INDEX,
    IndexMeta,
    read_intent,
    read_phrases,
    read_spelling,
)

__all__ = ["export_index", "pack"]

#: Prose kept per page for snippets in the browser (characters, cut at a sentence end).
PROSE_LIMIT = 2000


def export_index(generation: Path, analysed: Analysed | None = None) -> Path:
    """Write ``generation/portal-search-index.js`` from the index there; return its path.

    ``analysed`` is what the index was written from: given, the postings, lengths and stored
    fields are taken from it instead of being read back from the index.
    """
    meta = IndexMeta.read(generation)
    ix = index.open_dir(str(generation))
    if analysed is not None:
        data = _index_data(_AnalysedView(analysed, ix.schema), meta, generation)
    else:
        with ix.searcher() as searcher:
            data = _index_data(_IndexView(searcher), meta, generation)
    intent = read_intent(generation)
    number = {doc[0]: d for d, doc in enumerate(data["docs"])}
    data["intent"] = {
        "boost": FRAMEWORK_BOOST,
        "share": COUNTERPART_SHARE,
        "exact": EXACT_TITLE_BOOST,
        "before": sorted(BEFORE),
        "after": sorted(AFTER),
        "markers": sorted(MARKERS),
        "template": TEMPLATE_FACTOR,
        "templateWords": sorted(TEMPLATE_WORDS),
        "names": intent["names"],
        "counterparts": [
            [number[a], number[b], strength]
            for a, b, strength in intent["counterparts"]
            if a in number and b in number
        ],
        "localTie": LOCAL_TIE,
        "local": [number[page] for page in intent["local"] if page in number],
    }
    # The badge the results list shows on the organisation's own pages.
    data["localLabel"] = LOCAL_LABEL
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    path = generation / BROWSER_INDEX
    write_text(path, f"var portalSearchIndex = {text};\n")
    return path


# -----------------------------------------------------------------------------
# Helpers


def _index_data(view: Any, meta: IndexMeta, generation: Path) -> dict[str, Any]:
    count = view.count
    terms = {field: view.postings(field) for field in TEXT_FIELDS}
    stoplist = analyzer_stoplist(view.schema["body"].analyzer)
    return {
        # 2: pages of an overlay are listed (intent.local) and win ties (intent.localTie).
        # 3: no stem table; the browser stems every word itself.
        "version": 3,
        "count": count,
        "K1": view.weighting.K1,
        "B": view.weighting.B,
        "boosts": TEXT_FIELDS,
        # Whoosh's idf: log(N / (df + 1)) + 1, one value per document frequency.
        "idf": [math.log(count / (df + 1)) + 1 for df in range(count + 1)],
        "avgfl": {f: view.avg_field_length(f) or 1 for f in TEXT_FIELDS},
        "lengths": {f: view.lengths(f) for f in TEXT_FIELDS},
        "terms": terms,
        "phrases": {
            field: {key: [ids, scores] for key, (ids, scores) in known.items()}
            for field, known in read_phrases(generation).items()
        },
        "synonyms": meta.synonyms,
        "filters": meta.filters,
        "stop": sorted(stoplist),
        "spell": _spell_groups(read_spelling(generation)),
        "docs": [_doc(view.stored(d)) for d in range(count)],
    }


class _IndexView:
    """What the export reads, from a written index."""

    def __init__(self, searcher: Any) -> None:
        self._searcher = searcher
        self._reader = searcher.reader()
        self.count: int = searcher.doc_count_all()
        self.schema = searcher.schema
        self.weighting = searcher.weighting

    def postings(self, field: str) -> dict[str, str]:
        return {
            raw.decode("utf-8"): _postings(self._reader, field, raw.decode("utf-8"))
            for raw in self._reader.lexicon(field)
        }

    def avg_field_length(self, field: str) -> float | None:
        found: float | None = self._searcher.avg_field_length(field)
        return found

    def lengths(self, field: str) -> list[int | None]:
        return [self._searcher.doc_field_length(d, field, 1) for d in range(self.count)]

    def stored(self, docnum: int) -> dict[str, Any]:
        found: dict[str, Any] = self._reader.stored_fields(docnum)
        return found


class _AnalysedView:
    """What the export reads, from the analysed documents an index was written from."""

    def __init__(self, analysed: Analysed, schema: Any) -> None:
        self._analysed = analysed
        self.count = len(analysed.docs)
        self.schema = schema
        self.weighting = BM25F()  # a searcher's default

    def postings(self, field: str) -> dict[str, str]:
        boost = TEXT_FIELDS[field]
        out: dict[str, str] = {}
        for text, plist in self._analysed.postings.get(field, {}).items():
            numbers: list[int] = []
            previous = 0
            for docnum, freq, weight, _ in plist:
                if freq * boost != weight:
                    msg = f"{field}:{text} has weight {weight}, not {freq} x {boost}"
                    raise ValueError(msg)
                numbers += [docnum - previous, freq]
                previous = docnum
            out[text] = pack(numbers)
        return out

    def avg_field_length(self, field: str) -> float | None:
        if not self.schema[field].scorable:
            return None
        return sum(self._analysed.lengths.get(field, [])) / (self.count or 1)

    def lengths(self, field: str) -> list[int | None]:
        # As whoosh reads them back: one byte, rounded; None for an empty field; 1 (the
        # default asked for) when no document has the field.
        found = self._analysed.lengths.get(field, [])
        if not any(found):
            return [1] * self.count
        return [self._analysed.read_length(d, field) or None for d in range(self.count)]

    def stored(self, docnum: int) -> dict[str, Any]:
        return self._analysed.stored(docnum)


def analyzer_stoplist(analyzer: Any) -> frozenset[str]:
    """The stop words of a whoosh StemmingAnalyzer chain."""
    for item in analyzer.items:
        if hasattr(item, "stops"):
            return frozenset(item.stops)
    return frozenset()


#: Digits of a packed number: the first 32 end a number, the last 32 say more digits follow.
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"


def pack(numbers: Iterable[int]) -> str:
    """Write non-negative integers as base-32 digits, lowest first, one character each.

    >>> pack([0, 31, 32, 1000])
    '0VW1eV'
    """
    out: list[str] = []
    for n in numbers:
        while n >= 32:
            out.append(DIGITS[32 + n % 32])
            n //= 32
        out.append(DIGITS[n])
    return "".join(out)


def _postings(reader: Any, field: str, text: str) -> str:
    """A term's postings packed: docnum gap, then count; whoosh's weight is count x boost."""
    numbers: list[int] = []
    m = reader.postings(field, text)
    previous, boost = 0, TEXT_FIELDS[field]
    while m.is_active():
        d, weight = m.id(), m.weight()
        count = int(weight / boost)
        if count * boost != weight:
            msg = f"{field}:{text} has weight {weight}, not a whole number of {boost}"
            raise ValueError(msg)
        numbers += [d - previous, count]
        previous = d
        m.next()
    return pack(numbers)


def _spell_groups(spell: dict[str, int]) -> dict[str, str]:
    """{page count: "word word ..."}: each word of the spelling table under its frequency."""
    groups: dict[int, list[str]] = {}
    for word, freq in sorted(spell.items()):
        groups.setdefault(freq, []).append(word)
    return {str(freq): " ".join(words) for freq, words in sorted(groups.items())}


_SPACE = re.compile(r"\s+")


def _doc(fields: dict[str, Any]) -> list[Any]:
    """[id, title, kind, framework, stages, roles, summary, prose, aliases] of one page."""
    prose = fields.get("prose") or ""
    if len(prose) > PROSE_LIMIT:
        cut = max(prose.rfind(". ", 0, PROSE_LIMIT), prose.rfind("? ", 0, PROSE_LIMIT))
        prose = prose[: cut + 1] if cut > 0 else prose[:PROSE_LIMIT]
    return [
        fields["id"],
        fields["title"],
        fields["kind"],
        fields["framework"],
        fields["stage"],
        fields["roles"],
        _SPACE.sub(" ", fields.get("summary") or ""),
        prose,
        fields.get("aliases") or "",
    ]
