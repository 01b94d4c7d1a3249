"""Analyse documents once and write them as a whoosh segment, without whoosh's per-token work.

whoosh's ``SegmentWriter.add_document`` runs each text through its analyzer chain (a generator
per filter, per token), puts every posting in a sorting pool, sorts the pool at commit and
then reads each document's field length back from disk for every posting. For an index that a
build writes once from a few hundred pages, that overhead is most of the index's CPU.

Here the documents are analysed once, in one loop per text field (:class:`FastTerms`, which
tests hold to whoosh's chains), into postings kept in memory: the related pages, the segment
and the browser export are all made from them. :func:`write_segment` writes the same segment as
whoosh's writer (the same stored fields, field lengths, terms, weights and encoded positions),
through whoosh's own codec writers; a test compares the two indexes. This module and
:mod:`builder.search.matchers` are where the builder touches whoosh's internals
(``whoosh-reloaded`` is pinned exactly).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import compress
from typing import Any, Protocol

from whoosh import formats
from whoosh.codec.whoosh3 import W3Codec
from whoosh.lang.porter import stem
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

__all__ = ["CODEC", "Analysed", "FastTerms", "analyse", "write_segment"]


class TermPositions(Protocol):
    """A field's fast analysis: text -> {term: its positions, in order}; the text's distinct
    words, as typed (lowercase, stop words kept), are added to ``seen`` when it is given."""

    def __call__(self, value: str, seen: set[str] | None = None) -> dict[str, list[int]]: ...


#: whoosh's codec, with postings blocks left uncompressed: each block records its compression,
#: so whoosh reads them as it reads its own, and a build saves some 12,000 zlib calls (the
#: segment file grows from 4.2 to 6.8 MB, in build/ only).
CODEC = W3Codec(compression=0)

_ONE = pack_uint(1)  # Positions.encode: the count of positions, then their pickled deltas
_UINT = len(_ONE)
_TOKEN = re.compile(r"\w+(?:\.?\w+)*")  # whoosh's default tokenizer pattern


class FastTerms:
    """What whoosh's ``StemmingAnalyzer`` chain (``RegexTokenizer | LowercaseFilter |
    StopFilter(stoplist, minsize=2) | StemFilter``) makes of a text, with the positions the
    index stores, in one loop: term -> positions.

    The stop filter renumbers positions as whoosh's does: the first word kept keeps its place
    among all the words (stop words count), and each next one follows it by one.
    """

    def __init__(self, stoplist: Iterable[str]) -> None:
        self.stoplist = frozenset(stoplist)
        self._stems: dict[str, str] = {}

    def __call__(self, value: str, seen: set[str] | None = None) -> dict[str, list[int]]:
        # Lowercasing ASCII text whole tokenizes it as lowercasing each word would.
        if value.isascii():
            words = _TOKEN.findall(value.lower())
        else:
            words = [word.lower() for word in _TOKEN.findall(value)]
        if seen is not None:
            seen.update(words)
        stoplist = self.stoplist
        kept = [len(w) > 1 and w not in stoplist for w in words]
        # Positions run on from the first word kept (see the class).
        first = kept.index(True) if True in kept else 0
        stems = self._stems
        words = list(compress(words, kept))
        for word in set(words).difference(stems):
            stems[word] = stem(word)
        terms: dict[str, list[int]] = {}
        for pos, word in enumerate([stems[w] for w in words], first):
            positions = terms.get(word)
            if positions is None:
                terms[word] = [pos]
            else:
                positions.append(pos)
        return terms


@dataclass(slots=True)
class Analysed:
    """Documents analysed as whoosh would index them under ``schema``.

    Documents are numbered in the order given, as whoosh numbers them.
    """

    schema: Any
    #: The documents as given (field -> value).
    docs: list[dict[str, Any]] = field(default_factory=list)
    #: field -> term -> [(docnum, frequency, weight, encoded value)], by docnum.
    postings: dict[str, dict[str, list[tuple[int, int, float, bytes]]]] = field(
        default_factory=dict
    )
    #: Scorable field -> each document's length in terms (0 where the field is empty).
    lengths: dict[str, list[int]] = field(default_factory=dict)
    #: Each document's distinct words in its fast fields, as typed: lowercase, not stemmed,
    #: stop words kept (the spelling table is made from them).
    words: list[set[str]] = field(default_factory=list)

    def stored(self, docnum: int) -> dict[str, Any]:
        """The stored fields of a document, as ``reader.stored_fields`` returns them."""
        schema = self.schema
        return {
            name: value
            for name, value in self.docs[docnum].items()
            if value is not None and schema[name].stored
        }

    def postings_of(self, name: str, text: str) -> dict[int, tuple[float, bytes]]:
        """docnum -> (weight, encoded value) of term ``text`` in field ``name``."""
        return {d: (weight, vbytes) for d, _, weight, vbytes in self.postings[name][text]}

    def decode_positions(self, name: str, vbytes: bytes) -> list[int]:
        """The positions an encoded value of field ``name`` holds."""
        found: list[int] = self.schema[name].format.decode_positions(vbytes)
        return found

    def read_length(self, docnum: int, name: str) -> int:
        """A document's field length as whoosh reads it back (one byte, rounded)."""
        return int(byte_to_length(length_to_byte(self.lengths[name][docnum])))


def analyse(
    schema: Any, docs: Iterable[dict[str, Any]], fast: Mapping[str, TermPositions]
) -> Analysed:
    """Analyse ``docs`` field by field, as ``SegmentWriter.add_document`` would.

    A field named in ``fast`` is analysed by that function instead of the field's analyzer
    (it must make the same terms and positions); any other field by whoosh itself.
    """
    out = Analysed(schema)
    lengths: dict[str, dict[int, int]] = {}
    encoded: dict[int, bytes] = {}  # see _word_values
    for docnum, doc in enumerate(docs):
        out.docs.append(doc)
        seen: set[str] = set()
        out.words.append(seen)
        for name in sorted(doc):
            value = doc[name]
            if name.startswith("_"):
                msg = f"field {name!r}: per-document boosts and stored values are not supported"
                raise ValueError(msg)
            fieldobj = schema[name]  # a KeyError names a field the schema lacks
            if value is None or not fieldobj.indexed:
                continue
            if fieldobj.vector or fieldobj.separate_spelling() or fieldobj.column_type:
                msg = f"field {name!r}: vectors, spelling fields and columns are not supported"
                raise ValueError(msg)
            items = (
                _word_values(fieldobj.format, fast[name](value, seen), encoded)
                if name in fast
                else [
                    (text.decode("utf-8"), freq, weight, vbytes)
                    for text, freq, weight, vbytes in fieldobj.index(value)
                ]
            )
            length = 0
            if items:
                # A field is in the postings once it has a term (whoosh's writer starts a
                # field, and numbers it, at its first posting).
                terms = out.postings.setdefault(name, {})
                for text, freq, weight, vbytes in items:
                    length += freq
                    posting = (docnum, freq, weight, vbytes)
                    found = terms.get(text)
                    if found is None:
                        terms[text] = [posting]
                    else:
                        found.append(posting)
            if fieldobj.scorable:
                lengths.setdefault(name, {})[docnum] = length
    out.lengths = {
        name: [by_doc.get(d, 0) for d in range(len(out.docs))] for name, by_doc in lengths.items()
    }
    return out


def write_segment(ix: Any, analysed: Analysed) -> None:
    """Add the analysed documents to the (empty) index ``ix`` as one segment, and commit."""
    writer = _SegmentFromPostings(ix, analysed)
    try:
        writer.add_all()
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


# -----------------------------------------------------------------------------
# Helpers


def _word_values(
    fmt: Any, terms: dict[str, list[int]], encoded: dict[int, bytes]
) -> list[tuple[str, int, float, bytes]]:
    """``format.word_values`` from terms and their positions (whoosh's formats do the same).

    ``encoded`` keeps what a single position encodes to (most terms occur once in a field),
    for every field of the ``Positions`` format.
    """
    boost = fmt.field_boost
    if type(fmt) is formats.Positions:
        values = []
        for text, positions in terms.items():
            n = len(positions)
            if n == 1:
                # fmt.encode, a new object each time: pickle writes a value met twice in a
                # block as a reference, so sharing one would change the postings' bytes.
                pickled = encoded.get(positions[0])
                if pickled is None:
                    pickled = encoded[positions[0]] = fmt.encode(positions)[_UINT:]
                vbytes = _ONE + pickled
            else:
                vbytes = fmt.encode(positions)
            values.append((text, n, n * boost, vbytes))
        return values
    if type(fmt) is formats.Frequency:
        return [(t, len(p), len(p) * boost, pack_uint(len(p))) for t, p in terms.items()]
    if type(fmt) is formats.Existence:
        return [(text, 1, boost, b"") for text in terms]
    msg = f"no fast analysis for the {type(fmt).__name__} format"
    raise ValueError(msg)


class _SegmentFromPostings(SegmentWriter):  # type: ignore[misc]
    """whoosh's writer, fed whole documents' stored fields and lengths, then postings in order.

    What ``add_document`` writes per document (stored fields, field lengths) is written the
    same way; the postings skip the pool and go to the field writer sorted, with the lengths
    whoosh would read back.
    """

    def __init__(self, ix: Any, analysed: Analysed) -> None:
        super().__init__(ix, codec=CODEC)
        self._analysed = analysed

    def add_all(self) -> None:
        perdoc, schema = self.perdocwriter, self.schema
        lengths = self._analysed.lengths
        for docnum, doc in enumerate(self._analysed.docs):
            perdoc.start_doc(docnum)
            for name in sorted(doc):
                value = doc[name]
                if value is None:
                    continue
                fieldobj = schema[name]
                length = lengths[name][docnum] if name in lengths else 0
                perdoc.add_field(name, fieldobj, value if fieldobj.stored else None, length)
            perdoc.finish_doc()
            self.docnum += 1
        self._added = bool(self._analysed.docs)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        writer, analysed = self.fieldwriter, self._analysed
        for name in sorted(analysed.postings):
            terms = analysed.postings[name]
            writer.start_field(name, self.schema[name])
            read_back = (
                [_read_back(n) for n in analysed.lengths[name]]
                if name in analysed.lengths
                else None
            )
            # str order is code point order, which is the UTF-8 byte order whoosh sorts by.
            for text in sorted(terms):
                writer.start_term(text.encode("utf-8"))
                _add_postings(writer._postwriter, terms[text], read_back)
                writer.finish_term()
            writer.finish_field()
        writer.close()


def _add_postings(
    postings_writer: Any,
    postings: list[tuple[int, int, float, bytes]],
    lengths: list[int | None] | None,
) -> None:
    """``W3PostingsWriter.add_posting`` for each posting of a term, a block at a time.

    whoosh's writer buffers postings one by one and writes a full block (``_blocklimit``
    postings) when the next one arrives; ``finish_term`` writes the last. Each block is
    filled here at once with the same ids, weights, values and statistics.
    """
    limit = postings_writer._blocklimit
    for start in range(0, len(postings), limit):
        if start:
            postings_writer._write_block()
        block = postings[start : start + limit]
        weights = [weight for _, _, weight, _ in block]
        postings_writer._ids = array("I", [docnum for docnum, _, _, _ in block])
        postings_writer._weights = array("f", weights)
        postings_writer._values = [vbytes for _, _, _, vbytes in block if vbytes]
        postings_writer._maxweight = max(0, *weights)
        found = [n for n in (lengths[d] for d, _, _, _ in block) if n] if lengths else []
        postings_writer._minlength = min(found) if found else None
        postings_writer._maxlength = max(found) if found else 0


def _read_back(length: int) -> int | None:
    """A field length as whoosh's field writer gets it: rounded, or None for no length."""
    lbyte = length_to_byte(length)
    return int(byte_to_length(lbyte)) if lbyte else None
