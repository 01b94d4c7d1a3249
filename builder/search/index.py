"""Write the whoosh full-text index: schema, documents, synonyms and related guidance.

Each build writes a new index *generation* (see :mod:`builder.search.store`), which the caller
publishes once the site is in place.
"""

from __future__ import annotations

import heapq
import logging
import math
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import fields, index
from whoosh import scoring as wscoring
from whoosh.analysis import STOP_WORDS, StemmingAnalyzer

from builder.fsutil import write_text
from builder.graph import AUTOMATES, KIND, LINKS_TO, MAPS_TO, PART_OF, RELATION, STRENGTH
from builder.load.content import LINK, TAG
from builder.model import Corpus, Guidance
from builder.search.export import export_index
from builder.search.fields import analysed_phrases
from builder.search.intent import norm_words
from builder.search.segment import Analysed, FastTerms, analyse, write_segment
from builder.search.store import IndexMeta, write_intent, write_phrases, write_spelling
from builder.search.text import sentence_bounds
from builder.timing import Phases

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "FAST_TERMS",
    "SCHEMA",
    "analyse_documents",
    "documents",
    "find_related",
    "plain_text",
    "spelling_table",
    "synonym_table",
    "write_index",
]

log = logging.getLogger(__name__)

RELATED = 5

#: Question words carry no meaning in "how do I approve an emergency change?".
QUESTION_WORDS = frozenset(
    [
        "how",
        "do",
        "does",
        "did",
        "i",
        "what",
        "which",
        "who",
        "whom",
        "why",
        "where",
        "should",
        "must",
        "my",
        "me",
        "our",
        "i'm",
        "can",
        "could",
    ]
)
_STEM = StemmingAnalyzer(stoplist=STOP_WORDS | QUESTION_WORDS)
SCHEMA = fields.Schema(
    id=fields.ID(stored=True, unique=True),
    title=fields.TEXT(stored=True, analyzer=_STEM, field_boost=5.0),
    aliases=fields.TEXT(stored=True, analyzer=_STEM, field_boost=4.0),
    summary=fields.TEXT(stored=True, analyzer=_STEM, field_boost=2.0),
    body=fields.TEXT(analyzer=_STEM),
    # The body without tables, for snippets, and where its sentences start and end.
    prose=fields.STORED(),
    sentences=fields.STORED(),
    kind=fields.ID(stored=True),
    framework=fields.ID(stored=True),
    stage=fields.KEYWORD(stored=True, commas=True),
    roles=fields.KEYWORD(stored=True, commas=True),
    tools=fields.KEYWORD(stored=True, commas=True),
    url=fields.STORED(),
)
_FAST_STEM = FastTerms(STOP_WORDS | QUESTION_WORDS)
#: The text fields analysed in one loop instead of by their analyzer chains (tests hold each to
#: its field's analyzer).
FAST_TERMS = {
    "title": _FAST_STEM,
    "aliases": _FAST_STEM,
    "summary": _FAST_STEM,
    "body": _FAST_STEM,
}


# -----------------------------------------------------------------------------
# Public API


def analyse_documents(corpus: Corpus, G: nx.MultiDiGraph) -> Analysed:
    """Analyse every searchable page once, for the related pages, the index and the export."""
    return analyse(SCHEMA, documents(corpus.without_hidden(), G), FAST_TERMS)


def write_index(
    corpus: Corpus,
    G: nx.MultiDiGraph,
    search_dir: Path,
    digest: str,
    phase: Phases | None = None,
    analysed: Analysed | None = None,
) -> Path:
    """Write a new index generation under ``search_dir`` (not yet current) and return it.

    ``analysed`` is what :func:`analyse_documents` made of the same corpus, if it was already
    called. ``phase``, when given, times each step.
    """
    phase = phase or Phases()
    corpus = corpus.without_hidden()  # an element an overlay hid is not searched
    search_dir.mkdir(parents=True, exist_ok=True)
    generation = Path(tempfile.mkdtemp(prefix=f"gen-{digest[:12]}-", dir=search_dir))
    try:
        if analysed is None:
            with phase("analyse"):
                analysed = analyse_documents(corpus, G)
        with phase("segment"):
            ix = index.create_in(str(generation), SCHEMA)
            write_segment(ix, analysed)
        with phase("phrases"):
            meta = IndexMeta(
                content_hash=digest,
                synonyms=synonym_table(corpus),
                filters=_filter_values(corpus, analysed.docs),
                titles={n.id: n.title for n in corpus},
            )
            write_text(generation / "meta.json", meta.to_json())
            write_phrases(generation, analysed_phrases(analysed, _STEM, meta.synonyms))
            write_intent(generation, intent_data(corpus, G))
        with phase("spelling"):
            write_spelling(generation, spelling_table(analysed.words))
        with phase("export"):
            export_index(generation, analysed)
    except BaseException:
        shutil.rmtree(generation, ignore_errors=True)
        raise
    return generation


def find_related(
    corpus: Corpus, G: nx.MultiDiGraph, analysed: Analysed | None = None
) -> dict[str, list[str]]:
    """Return up to five related pages for every node (ids, best first), from more-like-this.

    This is what ``searcher.more_like(docnum, "body", numterms=10)`` finds on the search index,
    leaving out the pages a page already links or is linked from: the ten key terms of a
    page's body by whoosh's Bo1 model, then the pages with the best BM25F score (whoosh's
    formula, its idf and its one-byte field lengths) over those terms, ties to the earlier id.
    More-like-this reads only the body field, so it is computed here from the bodies' term
    counts in memory (``analysed``, from :func:`analyse_documents`, or made here), without
    the written index. Tests hold the pages it picks to whoosh's own more_like.
    """
    if analysed is None:
        analysed = analyse_documents(corpus, G)  # nor suggested as related if hidden
    count_all = len(analysed.docs)
    ids = [doc["id"] for doc in analysed.docs]
    vectors: list[dict[str, float]] = [{} for _ in range(count_all)]
    postings: dict[str, list[tuple[int, float]]] = {}
    for term, plist in analysed.postings.get("body", {}).items():
        postings[term] = [(docnum, float(freq)) for docnum, freq, _, _ in plist]
        for docnum, freq, _, _ in plist:
            vectors[docnum][term] = float(freq)
    sizes = analysed.lengths.get("body", [0] * count_all)
    field_length = sum(sizes)
    # Whoosh keeps a document's length in one byte; BM25F reads it back rounded.
    lengths = [analysed.read_length(d, "body") for d in range(count_all)] if sizes else []
    average = field_length / (count_all or 1) or 1
    # whoosh's Bo1 model scores a term as weight * log2((1 + f) / f) + log2(1 + f), where f is
    # the term's frequency in the collection over the number of pages: its two logs, per term.
    expansion: dict[str, tuple[float, float]] = {}
    for term, pages in postings.items():
        f = sum(w for _, w in pages) / count_all
        expansion[term] = (math.log((1.0 + f) / f, 2), math.log(1.0 + f, 2))
    bm25f = wscoring.BM25F()
    idf = {term: math.log(count_all / (len(plist) + 1)) + 1 for term, plist in postings.items()}
    # A term's BM25 score on each page holding it, worked out the first time a page asks.
    impacts: dict[str, list[tuple[int, float]]] = {}
    related: dict[str, list[str]] = {}
    for docnum, node_id in enumerate(ids):
        linked = set(G.successors(node_id)) | set(G.predecessors(node_id)) | {node_id}
        scores = [0.0] * count_all
        for term, weight in _key_terms(vectors[docnum].items(), expansion):
            impact = impacts.get(term)
            if impact is None:
                impact = impacts[term] = [
                    (
                        other,
                        wscoring.bm25(idf[term], tf, lengths[other], average, bm25f.B, bm25f.K1),
                    )
                    for other, tf in postings[term]
                ]
            for other, score in impact:
                # Summed in the order whoosh's OR adds them, term by term.
                scores[other] += score * weight
        scores[docnum] = 0.0
        # Best first, ties to the earlier page: nlargest keeps the order of equal keys.
        ranked = heapq.nlargest(RELATED + len(linked), range(count_all), key=scores.__getitem__)
        related[node_id] = [ids[d] for d in ranked if scores[d] > 0 and ids[d] not in linked][
            :RELATED
        ]
    return related


def documents(corpus: Corpus, G: nx.MultiDiGraph) -> Iterator[dict[str, Any]]:
    """Yield one whoosh document per node, in id order."""
    for node in sorted(corpus, key=lambda n: n.id):
        body = plain_text(node.body, corpus)
        prose = prose_text(node.body, corpus)
        yield {
            "id": node.id,
            "title": node.title,
            "aliases": " ; ".join(node.aliases),
            "summary": node.summary,
            "body": body,
            "prose": prose,
            "sentences": sentence_bounds(prose),
            "kind": node.kind,
            "framework": framework_of(node),
            "stage": ",".join(sorted(stages_of(corpus, G, node.id))),
            "roles": ",".join(sorted(_neighbours_of_kind(G, node.id, "role"))),
            "tools": ",".join(sorted(_tools_of(G, node.id))),
            "url": f"{node.id}.html",
        }


def spelling_table(words: Iterable[set[str]]) -> dict[str, int]:
    """Return each word of the pages' searched text -> the number of pages that use it: the
    spelling corrector's table, from each page's distinct words (:attr:`Analysed.words`, as
    typed: lowercase, not stemmed, stop words kept).

    >>> spelling_table([{"change", "e.g", "the"}, {"the", "plan", "rfc", "a"}])
    {'a': 1, 'change': 1, 'e.g': 1, 'plan': 1, 'rfc': 1, 'the': 2}
    """
    pages: Counter[str] = Counter()
    for distinct in words:
        pages.update(distinct)
    return dict(sorted(pages.items()))


def plain_text(body: str, corpus: Corpus) -> str:
    """Return a Markdown body as searchable text: links as their text, no markup.

    >>> plain_text("## Scope\\nSee [[a|the A page]] and <b>this</b> | x |", Corpus.of(()))
    'Scope See the A page and this x'
    >>> plain_text("|---|:--| a-b --x (-y) - z", Corpus.of(()))
    'a-b x y - z'
    """

    text = LINK.sub(_link_text(corpus), body)
    text = TAG.sub(" ", text)
    text = _RUN_HYPHEN.sub(" ", text).translate(_MARKS_AS_SPACES)
    return " ".join(text.split())


def _link_text(corpus: Corpus) -> Callable[[re.Match[str]], str]:
    """Return the replacement of a ``[[id|text]]`` link by its text, or its page's title."""

    def link_text(m: re.Match[str]) -> str:
        if m.group(2):
            return m.group(2)
        target = corpus.by_id.get(m.group(1).strip())
        return target.title if target else m.group(1)

    return link_text


#: What a snippet leaves out of a body line: a list or quote marker, emphasis and code marks.
_LINE_MARK = re.compile(r"^\s*(?:[-*+]\s+(?:\[[ xX]\]\s+)?|\d+[.)]\s+|>\s*)")
_EMPHASIS = re.compile(r"[*_`]+|!\[|\[|\]")
_LINE_END = re.compile(r"[.!?:;,]$")


def prose_text(body: str, corpus: Corpus) -> str:
    """Return a body as a snippet reads it: the running text without headings, tables or
    admonition markers, links as their text, each list item a sentence of its own, and the
    brackets and colons kept (unlike :func:`plain_text`, which only feeds the index).

    >>> prose_text("## Purpose\\nThe *Changing* quadrant\\n\\n- **CAB (board)**: advises\\n"
    ...            "  the approver\\n- [ ] done\\n| a | b |\\n!!! note\\n    Keep it", Corpus.of(()))
    'The Changing quadrant. CAB (board): advises the approver. done. Keep it.'
    """

    link_text = _link_text(corpus)
    out: list[str] = []

    def close() -> None:  # a block ends: its last sentence gets a full stop if it has none
        if out and not _LINE_END.search(out[-1]):
            out[-1] += "."

    for raw in body.split("\n"):
        line = raw.strip()
        if not line or line.startswith(("#", "|", "!!!", "???", "{:")):
            close()
            continue
        mark = _LINE_MARK.match(raw)
        if mark:
            close()
            raw = raw[mark.end() :]
        if "[[" in raw:
            raw = LINK.sub(link_text, raw)
        if "<" in raw:
            raw = TAG.sub(" ", raw)
        text = " ".join(_EMPHASIS.sub("", raw).split())
        if text:
            out.append(text)
    close()
    return " ".join(out)


def synonym_table(corpus: Corpus) -> dict[str, list[str]]:
    """Return phrase -> equivalent phrases, lowercase, from glossary acronyms and page aliases.

    An acronym finds its expansion and the expansion finds the acronym, anywhere on a page; a
    page alias finds the page title and the title finds the alias, in titles and aliases only.
    A phrase meant for titles and aliases only is stored with a leading ``^``.

    >>> from builder.errors import SourceLocation
    >>> from builder.model import Term
    >>> t = Term("CAB", "d", SourceLocation("g"), expansion="Change Advisory Board")
    >>> synonym_table(Corpus.of((), glossary=(t,)))
    {'cab': ['change advisory board'], 'change advisory board': ['cab']}
    """
    table: dict[str, set[str]] = {}

    def add(a: str, b: str, mark: str) -> None:
        a_key, b_key = _norm(a), _norm(b)
        if a_key and b_key and a_key != b_key:
            table.setdefault(a_key, set()).add(mark + b_key)
            table.setdefault(b_key, set()).add(mark + a_key)

    for term in corpus.glossary:
        if term.expansion:
            add(term.term, term.expansion, "")
    for node in corpus:
        for alias in node.aliases:
            add(alias, node.title, "^")
    # A phrase that is both a glossary and an alias synonym is searched everywhere.
    return {
        k: sorted(v for v in values if not (v.startswith("^") and v[1:] in values))
        for k, values in sorted(table.items())
    }


def _key_terms(
    vector: Iterable[tuple[str, float]], expansion: dict[str, tuple[float, float]], number: int = 10
) -> list[tuple[str, float]]:
    """Whoosh's ``Expander.expanded_terms`` for one document with the Bo1 model, unnormalised,
    as more_like asks; ``expansion`` holds each term's two logs (see :func:`find_related`)."""
    weights: dict[str, float] = {}
    for word, weight in vector:
        weights[word] = weights.get(word, 0.0) + weight
    scored = []
    for word, weight in weights.items():
        logs = expansion.get(word)
        if logs is not None:
            scored.append((weight * logs[0] + logs[1], word))
    if not scored:
        return []
    top = max(score for score, _ in scored)
    best = heapq.nsmallest(number, scored, key=lambda x: (0 - x[0], x[1]))
    return [(word, score / top) for score, word in best]


def intent_data(corpus: Corpus, G: nx.MultiDiGraph) -> dict[str, Any]:
    """What :mod:`builder.search.intent` reads: framework names, alignments, page names."""
    return {
        "names": framework_names(corpus),
        "counterparts": counterparts(G),
        "frameworks": {n.id: framework_of(n) for n in corpus},
        "kinds": {n.id: n.kind for n in corpus},
        "exact": exact_names(corpus),
        "local": sorted(n.id for n in corpus if n.is_local),
    }


def exact_names(corpus: Corpus) -> dict[str, list[str]]:
    """Each page title and alias as lowercase words -> the pages that carry it, in id order."""
    names: dict[str, list[str]] = {}
    for node in sorted(corpus, key=lambda n: n.id):
        for name in dict.fromkeys(" ".join(norm_words(n)) for n in (node.title, *node.aliases)):
            names.setdefault(name, []).append(node.id)
    return names


def framework_of(node: Guidance) -> str:
    """The framework a page belongs to (a framework belongs to itself)."""
    return node.framework or (node.id if node.kind == "framework" else "")


def framework_names(corpus: Corpus) -> dict[str, str]:
    """Return the names a query may call each framework by (lowercase words) -> framework id.

    A framework is named by its id, its title, and each alias that holds an acronym
    ("MOF 4.0", "ITIL V3"); an alias of plain words ("service lifecycle") is a topic, not a
    name. A name shared by two frameworks belongs to the first alias that claims it.

    >>> from builder.model import Guidance
    >>> from builder.errors import SourceLocation
    >>> mof = Guidance("mof4", "framework", "MOF 4", "", SourceLocation("x"), aliases=("MOF", "Hana"))
    >>> framework_names(Corpus.of((mof,)))
    {'mof': 'mof4', 'mof 4': 'mof4', 'mof4': 'mof4'}
    """
    names: dict[str, str] = {}
    for node in sorted(corpus, key=lambda n: n.id):
        if node.kind != "framework":
            continue
        for name in (node.id, node.title, *node.aliases):
            is_name = name in (node.id, node.title) or any(
                len(w) >= 2 and w.isupper() for w in re.findall(r"\w+", name)
            )
            key = _norm(name)
            if is_name and key and key not in names:
                names[key] = node.id
    return dict(sorted(names.items()))


def counterparts(G: nx.MultiDiGraph) -> list[tuple[str, str, int]]:
    """Return every cross-framework alignment as (page, counterpart, strength), both ways."""
    best: dict[tuple[str, str], int] = {}
    for u, v, d in G.edges(data=True):
        if d[RELATION] == MAPS_TO:
            for pair in ((u, v), (v, u)):
                best[pair] = max(best.get(pair, 0), int(d[STRENGTH]))
    return [(u, v, s) for (u, v), s in sorted(best.items())]


def stages_of(corpus: Corpus, G: nx.MultiDiGraph, node_id: str) -> set[str]:
    """Return the ITIL stages a node sits in, directly or through its counterparts."""
    found: set[str] = set()
    for start in [
        node_id,
        *(v for _, v, d in G.out_edges(node_id, data=True) if d[RELATION] == MAPS_TO),
    ]:
        found |= _stage_ancestors(corpus, start)
    return found


# -----------------------------------------------------------------------------
# Helpers


#: Markup characters become spaces: every run of them but a lone hyphen ("a-b" keeps its
#: hyphen, "|---|" and "-:" go). The hyphens next to another markup character are found by
#: :data:`_RUN_HYPHEN` (on the text as it was: a hyphen's neighbour is not yet a space), the
#: rest by a translation table, which is faster than matching each character.
_MARKS = "#*_`|>[]()!:"
_ANY_MARK = f"[{re.escape(_MARKS)}-]"  # a hyphen's neighbour in a run: a mark or a hyphen
_RUN_HYPHEN = re.compile(rf"-(?:(?={_ANY_MARK})|(?<={_ANY_MARK}-))")
_MARKS_AS_SPACES = str.maketrans(dict.fromkeys(_MARKS, " "))


def _stage_ancestors(corpus: Corpus, node_id: str) -> set[str]:
    stage = next((n.id for n in corpus.lineage(node_id) if n.kind == "stage"), None)
    return {stage} if stage else set()


def _neighbours_of_kind(G: nx.MultiDiGraph, n: str, kind: str) -> Iterable[str]:
    for u, v, d in [*G.out_edges(n, data=True), *G.in_edges(n, data=True)]:
        other = v if u == n else u
        if d[RELATION] in (LINKS_TO, PART_OF) and G.nodes[other][KIND] == kind:
            yield other


def _tools_of(G: nx.MultiDiGraph, n: str) -> Iterable[str]:
    for u, _, d in G.in_edges(n, data=True):
        if d[RELATION] == AUTOMATES:
            yield u


def _filter_values(corpus: Corpus, docs: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    """The values each filter offers; the roles are those of the searched pages ``docs``."""
    roles = {r for doc in docs for r in doc["roles"].split(",") if r}
    return {
        "framework": sorted({n.id for n in corpus if n.kind == "framework"}),
        "kind": sorted({n.kind for n in corpus}),
        "role": sorted(roles),
        "stage": sorted(n.id for n in corpus if n.kind == "stage"),
    }


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))
