"""Query the whoosh index: synonyms, typo tolerance, filters and highlighted snippets.

Queries are never handed raw to whoosh's parser: the text is reduced to words and quoted
phrases first, so that no input (brackets, ``field:``, control characters, a 10,000-character
paste) can raise. The index is rebuilt first when the sources changed since it was written.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index, spelling
from whoosh import query as q

from builder.config import BuildConfig
from builder.errors import SearchError
from builder.search.fields import TEXT_FIELDS, PhraseMatches, synonym_phrase_fields
from builder.search.intent import TEMPLATE_WORDS, adjust, norm_words, read_intent
from builder.search.matchers import CachedLengthsBM25F, KnownPhrase, ScoreArrayOr
from builder.search.store import (
    IndexMeta,
    content_hash,
    current_generation,
    index_dir,
    publish_generation,
    read_phrases,
    read_spelling,
)
from builder.search.store import (
    read_intent as read_intent_file,
)
from builder.search.text import sentence_bounds

__all__ = [
    "FILTERS",
    "Hit",
    "SearchEngine",
    "SearchError",
    "SearchResult",
    "ensure_index",
    "search",
]

log = logging.getLogger(__name__)

FILTERS = ("framework", "kind", "role", "stage")
_FILTER_FIELDS = {"framework": "framework", "kind": "kind", "role": "roles", "stage": "stage"}
MAX_QUERY = 500
_PHRASE = re.compile(r'"([^"]+)"')
_WORD = re.compile(r"\w+(?:[-'\u2019]\w+)*")


@dataclass(frozen=True, slots=True)
class Hit:
    """One result, best first."""

    id: str
    title: str
    url: str
    kind: str
    framework: str
    score: float
    snippet: str


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The hits of a query, with what the engine did to find them."""

    query: str
    hits: list[Hit] = field(default_factory=list)
    did_you_mean: str | None = None
    fuzzy: bool = False
    rebuilt: bool = False

    def to_json(self) -> list[dict[str, Any]]:
        return [asdict(h) for h in self.hits]


# -----------------------------------------------------------------------------
# Public API


def ensure_index(cfg: BuildConfig) -> tuple[Path, IndexMeta, bool]:
    """Return the current index generation and its meta, rebuilding it when it is stale.

    Returns:
        (generation folder, meta, whether the index was rebuilt).

    Raises:
        ValidationFailed: the sources have errors, so no index can be built.
    """
    search_dir = index_dir(cfg)
    digest = content_hash(cfg)
    generation = current_generation(search_dir)
    if generation is not None:
        meta = IndexMeta.read(generation)
        if meta.content_hash == digest:
            return generation, meta, False
    log.info("the search index is missing or older than the content; rebuilding it")
    # Imported here: the whole pipeline is only needed when the index must be rebuilt.
    from builder.pipeline import check
    from builder.search.index import write_index

    checked = check(cfg)
    generation = write_index(checked.corpus, checked.graph, search_dir, digest)
    publish_generation(search_dir, generation)
    return generation, IndexMeta.read(generation), True


def search(
    cfg: BuildConfig,
    text: str,
    *,
    filters: dict[str, str] | None = None,
    limit: int = 10,
) -> SearchResult:
    """Search the portal for ``text``; ``filters`` maps framework/kind/role/stage to a value.

    Opens the index (rebuilding it first when stale) for this one query; use
    :class:`SearchEngine` to run many queries.

    Raises:
        SearchError: an empty query or an unknown filter value (the valid ones are listed).
    """
    with SearchEngine(cfg) as engine:
        return engine.search(text, filters=filters, limit=limit)


class SearchEngine:
    """An open index: check freshness once, then answer many queries quickly."""

    def __init__(self, cfg: BuildConfig) -> None:
        generation, self.meta, self.rebuilt = ensure_index(cfg)
        self.index = index.open_dir(str(generation))
        self.searcher = self.index.searcher(weighting=CachedLengthsBM25F())
        self.corrector = SpellCorrector(functools.partial(read_spelling, generation))
        # Words of acronym expansions and aliases are never "corrected".
        self.vocabulary = {w for phrase in self.meta.synonyms for w in phrase.split()}
        self.vocabulary |= {
            w
            for alts in self.meta.synonyms.values()
            for alt in alts
            for w in alt.lstrip("^").split()
        }
        # FileIndex.schema reads the table of contents from disk on every access.
        self.schema = self.index.schema
        self.analyzer = self.schema["body"].analyzer
        self.generation = generation

    @functools.cached_property
    def phrases(self) -> dict[str, dict[str, PhraseMatches]]:
        """The synonym phrases matched when the index was written (read on first use)."""
        return read_phrases(self.generation)

    @functools.cached_property
    def pages(self) -> _Pages:
        """Each page's framework, names and alignments, by document number."""
        return _Pages(read_intent_file(self.generation))

    @functools.cached_property
    def lexicons(self) -> dict[str, list[str]]:
        """Every term of each text field, in order (for the fuzzy retry)."""
        reader = self.searcher.reader()
        return {f: [t.decode("utf-8") for t in reader.lexicon(f)] for f in TEXT_FIELDS}

    def _query(self, text: str, *, fuzzy: bool = False) -> q.Query | None:
        """The query for cleaned ``text``; the stored synonym phrases are read only when it
        has a synonym (a query without one does not pay for reading them)."""
        synonyms = self.meta.synonyms
        known = self.phrases if synonyms_in(text, synonyms) else None
        lexicons = self.lexicons if fuzzy else None
        return build_query(self.schema, text, synonyms, lexicons=lexicons, phrases=known)

    def __enter__(self) -> SearchEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.searcher.close()

    def search(
        self, text: str, *, filters: dict[str, str] | None = None, limit: int = 10
    ) -> SearchResult:
        """Search for ``text``; see :func:`search`."""
        cleaned = clean_query(text)
        if not cleaned:
            msg = "empty query: give one or more words to search for"
            raise SearchError(msg)
        restrict = _filter_query(filters or {}, self.meta)
        allowed = None if restrict is None else set(self.searcher.docs_for_query(restrict))
        if self._query(cleaned) is None:
            msg = f"no searchable words in {cleaned!r} (only common words like 'the' or 'how')"
            raise SearchError(msg)
        did_you_mean = _correction(self.corrector, cleaned, self.vocabulary)
        # Misspelt words match nothing, so the corrected query is the better one to run; then
        # the words as typed; then each word of four letters or more one edit away.
        scores: dict[int, float] = {}
        fuzzy = False
        for attempt, fuzzy in ((did_you_mean, False), (cleaned, False), (cleaned, True)):
            if attempt is not None:
                scores = self._scores(attempt, allowed, fuzzy=fuzzy)
                if scores:
                    break
        # Best first, ties to the earlier page, as whoosh's collector orders them.
        pool = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        ranked = _rerank(pool[: max(limit, RERANK_POOL)], self.pages.kinds, cleaned)[:limit]
        found = [alt.lstrip("^") for alt in synonyms_in(cleaned, self.meta.synonyms)]
        words = " ".join([did_you_mean or cleaned, *found])
        marker = _marker({t.text for t in self.analyzer(words)})
        stored = self.searcher.stored_fields
        hits = [_hit(stored(d), score, marker) for d, score in ranked]
        return SearchResult(cleaned, hits, did_you_mean, fuzzy and bool(hits), self.rebuilt)

    def _scores(self, text: str, allowed: set[int] | None, *, fuzzy: bool) -> dict[int, float]:
        """Every matching page's final score for ``text`` (see :mod:`builder.search.intent`)."""
        pages = self.pages
        intent = read_intent(text, pages.names)
        query = self._query(" ".join(intent.words) if intent else text, fuzzy=fuzzy)
        if query is None:
            return {}
        # optimize=False: whoosh's block-quality skipping rescans the whole score array for
        # every hit; on an index this size the plain scan returns the same hits in less time.
        results = self.searcher.search(query, limit=None, optimize=False)
        base = {docnum: score for score, docnum in results.top_n}
        words = norm_words(text)
        exact = pages.exact.get(" ".join(words), [])
        templates = [] if TEMPLATE_WORDS.intersection(words) else pages.templates
        final = adjust(
            base, intent, pages.frameworks, pages.counterparts, exact, templates, pages.local
        )
        if allowed is None:
            return final
        return {d: score for d, score in final.items() if d in allowed}


class _Pages:
    """What the intent step reads about each page, by document number (pages in id order)."""

    def __init__(self, data: dict[str, Any]) -> None:
        ids = sorted(data["frameworks"])
        number = {page: d for d, page in enumerate(ids)}
        self.names: dict[str, str] = data["names"]
        self.frameworks = [data["frameworks"][page] for page in ids]
        self.kinds = [data["kinds"][page] for page in ids]
        self.templates = [d for d, kind in enumerate(self.kinds) if kind == "template"]
        #: The organisation's own pages (an overlay's), which win ties with standard ones.
        self.local = [number[page] for page in data["local"] if page in number]
        self.counterparts: dict[int, list[tuple[int, int]]] = {}
        for page, other, strength in data["counterparts"]:
            if page in number and other in number:
                self.counterparts.setdefault(number[page], []).append((number[other], strength))
        self.exact = {name: [number[p] for p in pages] for name, pages in data["exact"].items()}


#: How many hits are re-ranked before the top ``limit`` are kept.
RERANK_POOL = 20
#: "How do I ..." questions are asking for a procedure: tasks get this factor.
HOW_TO = re.compile(r"^(how|what|when|who)\b.*\b(do|does|should|can|to)\b|^how\b", re.IGNORECASE)
TASK_FACTOR = 1.35


def _rerank(
    hits: list[tuple[int, float]], kinds: list[str], cleaned: str
) -> list[tuple[int, float]]:
    """Prefer step-by-step tasks for how-to questions; otherwise keep the order.

    >>> hits, kinds = [(0, 1.0), (1, 0.9)], ["process", "task"]
    >>> _rerank(hits, kinds, "how do I do it"), _rerank(hits, kinds, "change")
    ([(1, 0.9), (0, 1.0)], [(0, 1.0), (1, 0.9)])
    """
    if not HOW_TO.search(cleaned):
        return hits
    return sorted(hits, key=lambda h: -h[1] * (TASK_FACTOR if kinds[h[0]] == "task" else 1.0))


def clean_query(text: str) -> str:
    """Reduce user text to words and balanced quoted phrases, at most 500 characters.

    >>> clean_query('how (do) I "approve  an" RFC?* field:x \\x00')
    'how do I "approve an" RFC field x'
    """
    text = "".join(
        ch if unicodedata.category(ch)[0] != "C" else " " for ch in text[: MAX_QUERY * 4]
    )
    parts: list[str] = []
    pos = 0
    for m in _PHRASE.finditer(text):
        parts.extend(_WORD.findall(text[pos : m.start()]))
        words = _WORD.findall(m.group(1))
        if words:
            parts.append('"' + " ".join(words) + '"')
        pos = m.end()
    parts.extend(_WORD.findall(text[pos:]))
    cleaned = " ".join(parts)
    return cleaned[:MAX_QUERY].rsplit(" ", 1)[0] if len(cleaned) > MAX_QUERY else cleaned


#: At most this many synonym phrases are added to a query (acronym expansions first).
MAX_ALTERNATIVES = 6


def build_query(
    schema: Any,
    cleaned: str,
    synonyms: dict[str, list[str]],
    *,
    lexicons: Mapping[str, list[str]] | None = None,
    phrases: Mapping[str, Mapping[str, PhraseMatches]] | None = None,
) -> q.Query | None:
    """Return the whoosh query for cleaned text, with synonym phrases ORed in; None if empty.

    ``phrases`` holds the synonym phrases matched when the index was written (see
    :func:`builder.search.fields.known_phrases`); a phrase found there is not matched again.
    With ``lexicons`` (every term of each field), each word of four letters or more also
    matches the terms one edit from its stem: the fuzzy retry.
    """
    main = field_query(schema, cleaned, TEXT_FIELDS, lexicons)
    if main is None:
        return None
    found = sorted(synonyms_in(cleaned, synonyms), key=lambda alt: alt.startswith("^"))
    alternatives = [
        field_query(schema, f'"{alt.lstrip("^")}"', synonym_phrase_fields(alt))
        for alt in found[:MAX_ALTERNATIVES]
    ]
    found_alternatives = [_known(a, phrases or {}) for a in alternatives if a is not None]
    if not found_alternatives:
        return main
    # When the whole query is an acronym or its expansion, its equivalent counts as much as
    # the words typed; a synonym of part of the query counts a little less.
    whole = " ".join(w.lower() for w in _WORD.findall(cleaned)) in synonyms
    factor = 3.0 if whole else 1.2
    for alternative in found_alternatives:
        for leaf in alternative.leaves():  # whoosh applies boosts on leaf queries
            leaf.boost *= factor
    return ScoreArrayOr([main, *found_alternatives])


def _known(query: q.Query, phrases: Mapping[str, Mapping[str, PhraseMatches]]) -> q.Query:
    """The query with each phrase that was matched at index time replaced by its matches."""
    if isinstance(query, q.Or):
        return ScoreArrayOr([_known(sub, phrases) for sub in query.subqueries], boost=query.boost)
    if type(query) is q.Phrase and query.slop == 1:
        matches = phrases.get(query.fieldname, {}).get(" ".join(query.words))
        if matches is not None:
            return KnownPhrase(query.fieldname, query.words, matches, query.boost)
    return query


_PART = re.compile(r'"[^"]*"|\S+')


def field_query(
    schema: Any,
    cleaned: str,
    fields: dict[str, float],
    lexicons: Mapping[str, list[str]] | None = None,
) -> q.Query | None:
    """Return the query whoosh's MultifieldParser (OR group) makes of cleaned text, or None.

    Cleaned text holds only words and quoted phrases, so the query is built directly: a word
    becomes one term per field and stem, a phrase one phrase per field (a phrase of one stem a
    plain term, as the parser does). Parsing costs more than searching on an index this size.

    >>> from builder.search.index import SCHEMA
    >>> field_query(SCHEMA, 'approving "the CAB"', {"title": 5.0, "body": 1.0})
    ScoreArrayOr([Term('title', 'approv', boost=5.0), Term('body', 'approv'), Term('title', 'cab'), Term('body', 'cab')])
    """
    analyzer = schema["body"].analyzer  # title, aliases, summary and body share one analyzer
    leaves: list[q.Query] = []
    for part in _PART.findall(cleaned):
        stems = [t.text for t in analyzer(part.strip('"'))]
        if part.startswith('"') and len(stems) > 1:
            leaves.extend(q.Phrase(f, stems, slop=1, boost=boost) for f, boost in fields.items())
        elif part.startswith('"') and stems:
            leaves.extend(q.Term(f, stems[0]) for f in fields)
        elif lexicons is not None and len(part) >= 4:
            leaves.extend(
                q.Term(f, near, boost=boost)
                for f, boost in fields.items()
                for st in stems
                for near in _near(st, lexicons[f])
            )
        else:
            leaves.extend(q.Term(f, st, boost=boost) for f, boost in fields.items() for st in stems)
    leaves = list(dict.fromkeys(leaves))  # a word typed twice counts once, as whoosh does
    if not leaves:
        return None
    return leaves[0] if len(leaves) == 1 else ScoreArrayOr(leaves)


def _near(stem: str, lexicon: list[str]) -> list[str]:
    """The terms of ``lexicon`` at most one edit from ``stem`` that share its first letter.

    >>> _near("incidnet", ["incid", "incident", "incidnet", "indent"])
    ['incident', 'incidnet']
    """
    return [t for t in lexicon if t[:1] == stem[:1] and _edit_distance(stem, t, 1) <= 1]


def synonyms_in(cleaned: str, synonyms: dict[str, list[str]]) -> list[str]:
    """Return the equivalent phrases of every phrase of ``cleaned`` found in ``synonyms``.

    >>> synonyms_in("who sits on the CAB", {"cab": ["change advisory board"]})
    ['change advisory board']
    """
    words = [w.lower() for w in _WORD.findall(cleaned)]
    found: list[str] = []
    for size in range(min(6, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            for alt in synonyms.get(" ".join(words[start : start + size]), ()):
                if alt not in found:
                    found.append(alt)
    return found


# -----------------------------------------------------------------------------
# Helpers


def _is_null(query: q.Query) -> bool:
    """Whoosh's NullQuery is a singleton instance, not a class."""
    return query is q.NullQuery or type(query) is type(q.NullQuery)


def _filter_query(filters: dict[str, str], meta: IndexMeta) -> q.Query | None:
    terms: list[q.Query] = []
    for name, value in sorted(filters.items()):
        if not value:
            continue
        valid = meta.filters.get(name, [])
        resolved = _resolve(value, valid)
        if resolved is None:
            shown = ", ".join(valid) if valid else "(none in this portal yet)"
            msg = f"unknown {name} {value!r}; use one of: {shown}"
            raise SearchError(msg)
        terms.append(q.Term(_FILTER_FIELDS[name], resolved))
    return q.And(terms) if terms else None


def _resolve(value: str, valid: list[str]) -> str | None:
    """Accept an exact value, or a unique value that ends with ``-value`` (stage short names)."""
    value = value.strip().lower()
    if value in valid:
        return value
    tail = [v for v in valid if v.endswith("-" + value)]
    return tail[0] if len(tail) == 1 else None


class SpellCorrector(spelling.Corrector):  # type: ignore[misc]
    """Whoosh corrector over the index's spelling table (each word of the pages -> the number of
    pages that use it), ranked by edit distance, then frequency.

    Whoosh's own ReaderCorrector builds a Levenshtein automaton per word, 30 to 60 ms in pure
    Python at distance 2. This one looks words up in a table of every word with one letter
    deleted (built on first use), so a word with one or two typos, a swapped pair of letters
    included, is corrected in about a millisecond.

    >>> c = SpellCorrector.from_words({"change": 9, "charge": 2, "chance": 1, "review": 4})
    >>> c.suggest("chnage", limit=1), c.suggest("reveiw", limit=1), c.suggest("xyzzy", limit=1)
    (['change'], ['review'], [])
    """

    def __init__(self, read: Callable[[], dict[str, int]]) -> None:
        #: Reads the spelling table, on first use.
        self._read = read

    @classmethod
    def from_words(cls, frequency: dict[str, int]) -> SpellCorrector:
        return cls(lambda: frequency)

    @functools.cached_property
    def frequency(self) -> dict[str, int]:
        """Each known word -> the number of pages that use it."""
        return self._read()

    @functools.cached_property
    def _deletes(self) -> dict[str, list[str]]:
        deletes: dict[str, list[str]] = {}
        for word in self.frequency:
            for key in {word, *_deletions(word)}:
                deletes.setdefault(key, []).append(word)
        return deletes

    def knows(self, word: str) -> bool:
        """Whether ``word`` (lowercase) is used on some page."""
        return word in self.frequency

    def _suggestions(self, text: str, maxdist: int, prefix: int) -> Any:
        keys = {text, *_deletions(text)}
        if maxdist > 1:
            keys |= {d2 for d1 in tuple(keys) for d2 in _deletions(d1)}
        candidates = {w for key in keys for w in self._deletes.get(key, ())}
        for word in candidates:
            if word == text or word[:prefix] != text[:prefix]:
                continue
            distance = _edit_distance(text, word, maxdist)
            if distance <= maxdist:
                # Higher is better: fewer edits first, then the more frequent word.
                yield (-distance - 1.0 / (1.0 + self.frequency[word]), word)


def _deletions(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours is one edit), capped at limit+1.

    >>> _edit_distance("chnage", "change", 2), _edit_distance("servce", "service", 2)
    (1, 1)
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _correction(
    corrector: SpellCorrector, cleaned: str, vocabulary: Collection[str] = frozenset()
) -> str | None:
    """Return the query with misspelt words corrected, or None when nothing changes."""
    words = cleaned.split()
    fixed: list[str] = []
    changed = False
    for word in words:
        plain = word.strip('"').lower()
        if len(plain) < 4 or not plain.isalpha() or plain in vocabulary or corrector.knows(plain):
            fixed.append(word)
            continue
        suggestions = corrector.suggest(plain, limit=1, maxdist=2)
        if suggestions and suggestions[0] != plain:
            fixed.append(suggestions[0])
            changed = True
        else:
            fixed.append(word)
    return " ".join(fixed) if changed else None


def _marker(stems: set[str]) -> re.Pattern[str] | None:
    """A pattern that finds the words of a text that start with one of the query's stems."""
    useful = sorted((st for st in stems if len(st) >= 2), key=len, reverse=True)
    if not useful:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(st) for st in useful) + r")\w*", re.IGNORECASE)


@functools.lru_cache(maxsize=64)
def _case_sensitive(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def snippet(
    text: str, marker: re.Pattern[str] | None, width: int = 220, bounds: list[int] | None = None
) -> str:
    """Return the sentence of ``text`` that matches most query words, with them in **bold**.

    Ties go to the shorter sentence, then the earlier one; with no match, the shortest sentence.
    ``bounds`` is :func:`sentence_bounds` of the text, when it is known already.

    >>> snippet("Plans are kept. Approve each change at the board. Close it.", re.compile(r"\\b(?:approv|chang)\\w*", re.I))
    '**Approve** each **change** at the board.'
    """
    if bounds is None:
        bounds = sentence_bounds(text)
    half = len(bounds) // 2
    starts, ends = bounds[:half], bounds[half:]
    # One pass over the text: which query words each sentence holds. Matching the lowercased
    # text without IGNORECASE finds the same words faster (when lowercasing keeps positions).
    found: dict[int, set[str]] = {}
    matches: Any = ()
    if marker is not None:
        lowered = text.lower()
        if len(lowered) == len(text):
            matches = _case_sensitive(marker.pattern).finditer(lowered)
        else:
            matches = marker.finditer(text)
    for m in matches:
        found.setdefault(bisect.bisect_right(starts, m.start()) - 1, set()).add(m.group(0).lower())
    if marker is None:
        i = 0
    elif found:
        i = max(found, key=lambda k: (len(found[k]), starts[k] - ends[k], -k))
    else:
        i = min(range(len(starts)), key=lambda k: (ends[k] - starts[k], k))
    best = text[starts[i] : ends[i]]
    if len(best) > width:
        best = best[: width - 1].rsplit(" ", 1)[0] + "…"
    return marker.sub(lambda m: f"**{m.group(0)}**", best) if marker else best


def _hit(fields: dict[str, Any], score: float, marker: re.Pattern[str] | None) -> Hit:
    prose = fields.get("prose")
    if prose:
        found = snippet(prose, marker, bounds=fields.get("sentences"))
    else:
        found = snippet(fields["summary"], marker)
    if marker is not None and "**" not in found:
        found = snippet(fields["summary"], marker)
    return Hit(
        id=fields["id"],
        title=fields["title"],
        url=fields["url"],
        kind=fields["kind"],
        framework=fields["framework"],
        score=round(float(score), 3),
        snippet=" ".join(found.split()),
    )
