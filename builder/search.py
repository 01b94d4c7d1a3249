"""Query the whoosh index: synonyms, typo tolerance, filters and highlighted snippets.

Queries are never handed raw to whoosh's parser: the text is reduced to words and quoted
phrases first, so that no input (brackets, ``field:``, control characters, a 10,000-character
paste) can raise. The index is rebuilt first when the sources changed since it was written.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index, qparser
from whoosh import query as q

from builder.config import BuildConfig
from builder.errors import BuilderError
from builder.index_store import (
    IndexMeta,
    content_hash,
    current_generation,
    index_dir,
    publish_generation,
)

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
_TEXT_FIELDS = {"title": 5.0, "aliases": 4.0, "summary": 2.0, "body": 1.0}
MAX_QUERY = 500
_PHRASE = re.compile(r'"([^"]+)"')
_WORD = re.compile(r"\w+(?:[-'\u2019]\w+)*")


class SearchError(BuilderError):
    """The query or a filter cannot be used (an unknown filter value, an empty query)."""


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
    from builder.index import write_index
    from builder.pipeline import check

    checked = check(cfg)
    generation, _ = write_index(checked.corpus, checked.graph, search_dir, digest)
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
        self.searcher = self.index.searcher()
        self.corrector = self.searcher.corrector("spell")
        # Words of acronym expansions and aliases are never "corrected".
        self.vocabulary = {w for phrase in self.meta.synonyms for w in phrase.split()}
        self.vocabulary |= {
            w
            for alts in self.meta.synonyms.values()
            for alt in alts
            for w in alt.lstrip("^").split()
        }
        self.analyzer = self.index.schema["body"].analyzer

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
        schema, synonyms, searcher = self.index.schema, self.meta.synonyms, self.searcher
        main = build_query(schema, cleaned, synonyms)
        if main is None:
            msg = f"no searchable words in {cleaned!r} (only common words like 'the' or 'how')"
            raise SearchError(msg)
        did_you_mean = _correction(searcher, self.corrector, cleaned, self.vocabulary)
        # Misspelt words match nothing, so the corrected query is the better one to run.
        query = build_query(schema, did_you_mean, synonyms) if did_you_mean else None
        pool = max(limit, RERANK_POOL)
        results = searcher.search(query or main, limit=pool, filter=restrict)
        fuzzy = False
        if not results.scored_length() and query is not None:
            results = searcher.search(main, limit=pool, filter=restrict)
        if not results.scored_length():
            retry = build_query(schema, cleaned, synonyms, fuzzy=True)
            if retry is not None:
                results = searcher.search(retry, limit=pool, filter=restrict)
                fuzzy = True
        ranked = _rerank(list(results), cleaned)[:limit]
        found = [alt.lstrip("^") for alt in synonyms_in(cleaned, synonyms)]
        words = " ".join([did_you_mean or cleaned, *found])
        marker = _marker({t.text for t in self.analyzer(words)})
        hits = [_hit(h, marker) for h in ranked]
        return SearchResult(cleaned, hits, did_you_mean, fuzzy and bool(hits), self.rebuilt)


#: How many hits are re-ranked before the top ``limit`` are kept.
RERANK_POOL = 20
#: "How do I ..." questions are asking for a procedure: tasks get this factor.
HOW_TO = re.compile(r"^(how|what|when|who)\b.*\b(do|does|should|can|to)\b|^how\b", re.IGNORECASE)
TASK_FACTOR = 1.35


def _rerank(hits: list[Any], cleaned: str) -> list[Any]:
    """Prefer step-by-step tasks for how-to questions; otherwise keep whoosh's order.

    >>> hits = [{"kind": "process", "s": 1.0}, {"kind": "task", "s": 0.9}]
    >>> class H(dict):
    ...     score = property(lambda self: self["s"])
    >>> [h["kind"] for h in _rerank([H(h) for h in hits], "how do I do it")]
    ['task', 'process']
    >>> [h["kind"] for h in _rerank([H(h) for h in hits], "change")]
    ['process', 'task']
    """
    if not HOW_TO.search(cleaned):
        return hits
    return sorted(hits, key=lambda h: -h.score * (TASK_FACTOR if h["kind"] == "task" else 1.0))


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
_HEAD = {"title": 5.0, "aliases": 4.0}


def build_query(
    schema: Any, cleaned: str, synonyms: dict[str, list[str]], *, fuzzy: bool = False
) -> q.Query | None:
    """Return the whoosh query for cleaned text, with synonym phrases ORed in; None if empty."""
    parser = _parser(schema, _TEXT_FIELDS)
    if fuzzy:
        parser.add_plugin(qparser.FuzzyTermPlugin())
        cleaned = " ".join(
            w + "~1/1" if len(w) >= 4 and not w.startswith('"') else w for w in cleaned.split()
        )
    main = parser.parse(cleaned)
    if _is_null(main):
        return None
    head = _parser(schema, _HEAD)
    found = sorted(synonyms_in(cleaned, synonyms), key=lambda alt: alt.startswith("^"))
    alternatives = [
        (head if alt.startswith("^") else parser).parse(f'"{alt.lstrip("^")}"')
        for alt in found[:MAX_ALTERNATIVES]
    ]
    alternatives = [a for a in alternatives if not _is_null(a)]
    if not alternatives:
        return main
    # When the whole query is an acronym or its expansion, its equivalent counts as much as
    # the words typed; a synonym of part of the query counts a little less.
    whole = " ".join(w.lower() for w in _WORD.findall(cleaned)) in synonyms
    factor = 3.0 if whole else 1.2
    for alternative in alternatives:
        for leaf in alternative.leaves():  # whoosh applies boosts on leaf queries
            leaf.boost *= factor
    return q.Or([main, *alternatives])


def _parser(schema: Any, fields: dict[str, float]) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(
        list(fields), schema, fieldboosts=fields, group=qparser.OrGroup
    )
    for plugin in (qparser.WildcardPlugin, qparser.RangePlugin, qparser.FieldsPlugin):
        parser.remove_plugin_class(plugin)
    return parser


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


def _correction(
    searcher: Any,
    corrector: Any,
    cleaned: str,
    vocabulary: Collection[str] = frozenset(),
) -> str | None:
    """Return the query with misspelt words corrected, or None when nothing changes."""
    reader = searcher.reader()
    words = cleaned.split()
    fixed: list[str] = []
    changed = False
    for word in words:
        plain = word.strip('"').lower()
        if (
            len(plain) < 4
            or not plain.isalpha()
            or plain in vocabulary
            or reader.frequency("spell", plain) > 0
        ):
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


def snippet(text: str, marker: re.Pattern[str] | None, width: int = 220) -> str:
    """Return the sentence of ``text`` that matches most query words, with them in **bold**.

    >>> snippet("Plans are kept. Approve each change at the board. Close it.", re.compile(r"\\b(?:approv|chang)\\w*", re.I))
    '**Approve** each **change** at the board.'
    """
    sentences = re.split(r"(?<=[.!?])\s+", text)
    if marker is None:
        best = sentences[0]
    else:
        best = max(
            sentences, key=lambda snt: (len({m.lower() for m in marker.findall(snt)}), -len(snt))
        )
    if len(best) > width:
        best = best[: width - 1].rsplit(" ", 1)[0] + "…"
    return marker.sub(lambda m: f"**{m.group(0)}**", best) if marker else best


def _hit(h: Any, marker: re.Pattern[str] | None) -> Hit:
    text = h.get("prose") or h["summary"]
    found = snippet(text, marker)
    if marker is not None and "**" not in found:
        found = snippet(h["summary"], marker)
    return Hit(
        id=h["id"],
        title=h["title"],
        url=h["url"],
        kind=h["kind"],
        framework=h["framework"],
        score=round(float(h.score), 3),
        snippet=" ".join(found.split()),
    )
