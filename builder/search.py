"""Query the whoosh index: synonyms, typo tolerance, filters and highlighted snippets.

Queries are never handed raw to whoosh's parser: the text is reduced to words and quoted
phrases first, so that no input (brackets, ``field:``, control characters, a 10,000-character
paste) can raise. The index is rebuilt first when the sources changed since it was written.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from whoosh import highlight, index, qparser
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

__all__ = ["FILTERS", "Hit", "SearchError", "SearchResult", "ensure_index", "search"]

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

    Raises:
        SearchError: an empty query or an unknown filter value (the valid ones are listed).
    """
    generation, meta, rebuilt = ensure_index(cfg)
    cleaned = clean_query(text)
    if not cleaned:
        msg = "empty query: give one or more words to search for"
        raise SearchError(msg)
    restrict = _filter_query(filters or {}, meta)
    ix = index.open_dir(str(generation))
    with ix.searcher() as searcher:
        main = build_query(ix.schema, cleaned, meta.synonyms)
        if main is None:
            msg = f"no searchable words in {cleaned!r} (only common words like 'the' or 'how')"
            raise SearchError(msg)
        did_you_mean = _correction(searcher, cleaned)
        results = searcher.search(main, limit=limit, filter=restrict, terms=True)
        fuzzy = False
        if results.is_empty() and did_you_mean:
            corrected = build_query(ix.schema, did_you_mean, meta.synonyms)
            if corrected is not None:
                results = searcher.search(corrected, limit=limit, filter=restrict, terms=True)
        if results.is_empty():
            retry = build_query(ix.schema, cleaned, meta.synonyms, fuzzy=True)
            if retry is not None:
                results = searcher.search(retry, limit=limit, filter=restrict, terms=True)
                fuzzy = True
        hits = [_hit(h) for h in results]
    return SearchResult(cleaned, hits, did_you_mean, fuzzy and bool(hits), rebuilt)


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


def build_query(
    schema: Any, cleaned: str, synonyms: dict[str, list[str]], *, fuzzy: bool = False
) -> q.Query | None:
    """Return the whoosh query for cleaned text, with synonym phrases ORed in; None if empty."""
    parser = qparser.MultifieldParser(
        list(_TEXT_FIELDS), schema, fieldboosts=_TEXT_FIELDS, group=qparser.OrGroup.factory(0.9)
    )
    for plugin in (qparser.WildcardPlugin, qparser.RangePlugin, qparser.FieldsPlugin):
        parser.remove_plugin_class(plugin)
    if fuzzy:
        parser.add_plugin(qparser.FuzzyTermPlugin())
        cleaned = " ".join(
            w + "~1/1" if len(w) >= 4 and not w.startswith('"') else w for w in cleaned.split()
        )
    main = parser.parse(cleaned)
    if _is_null(main):
        return None
    alternatives = [parser.parse(f'"{alt}"') for alt in synonyms_in(cleaned, synonyms) if alt]
    alternatives = [a for a in alternatives if not _is_null(a)]
    if not alternatives:
        return main
    return q.Or([main, q.Or(alternatives, boost=0.8)])


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


def _correction(searcher: Any, cleaned: str) -> str | None:
    """Return the query with misspelt words corrected, or None when nothing changes."""
    corrector = searcher.corrector("spell")
    reader = searcher.reader()
    words = cleaned.split()
    fixed: list[str] = []
    changed = False
    for word in words:
        plain = word.strip('"').lower()
        if len(plain) < 4 or not plain.isalpha() or reader.frequency("spell", plain) > 0:
            fixed.append(word)
            continue
        suggestions = corrector.suggest(plain, limit=1, maxdist=2)
        if suggestions and suggestions[0] != plain:
            fixed.append(suggestions[0])
            changed = True
        else:
            fixed.append(word)
    return " ".join(fixed) if changed else None


class _MarkdownBold(highlight.Formatter):  # type: ignore[misc]
    """Mark matched words as ``**word**``: safe as text, bold when rendered."""

    between = " … "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"**{highlight.get_text(text, token, replace)}**"


def _hit(h: Any) -> Hit:
    h.results.fragmenter = highlight.ContextFragmenter(maxchars=160, surround=50)
    h.results.formatter = _MarkdownBold()
    snippet = (
        h.highlights("body", text=h["prose"], top=2) or h.highlights("summary") or h["summary"]
    )
    return Hit(
        id=h["id"],
        title=h["title"],
        url=h["url"],
        kind=h["kind"],
        framework=h["framework"],
        score=round(float(h.score), 3),
        snippet=" ".join(snippet.split()),
    )
