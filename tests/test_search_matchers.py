"""builder.search.matchers: whoosh's private internals, held to whoosh's own results."""

from __future__ import annotations

import pytest
from test_search import FILES

from builder.search.engine import build_query, clean_query, ensure_index


@pytest.fixture
def cfg(make_project):
    return make_project(FILES, minimal=True)


@pytest.mark.parametrize(
    "text",
    ["CAB", "change advisory board", "restore nightly backup databases", "KEDB workaround"],
)
def test_fast_scoring_returns_whooshs_hits_and_scores(cfg, text):
    """ScoreArrayOr, CachedLengthsBM25F and the synonym phrases matched at index time are
    speed-ups only: whoosh's stock OR, Phrase and BM25F must rank the same pages with the
    same scores."""
    from whoosh import index as wix
    from whoosh import query as wq

    from builder.search.matchers import CachedLengthsBM25F, KnownPhrase
    from builder.search.store import read_phrases

    generation, meta, _ = ensure_index(cfg)
    ix = wix.open_dir(str(generation))
    phrases = read_phrases(generation)
    fast = build_query(ix.schema, clean_query(text), meta.synonyms, phrases=phrases)
    known = [leaf for leaf in fast.leaves() if isinstance(leaf, KnownPhrase)]

    def stock(query):
        if isinstance(query, wq.Or):
            return wq.Or([stock(sub) for sub in query.subqueries], boost=query.boost)
        if isinstance(query, KnownPhrase):
            return wq.Phrase(query.fieldname, query.words, slop=1, boost=query.boost)
        return query

    with ix.searcher() as plain, ix.searcher(weighting=CachedLengthsBM25F()) as ours:
        expected = [(h["id"], h.score) for h in plain.search(stock(fast), limit=None)]
        got = [(h["id"], h.score) for h in ours.search(fast, limit=None, optimize=False)]
    assert expected, "the query matched nothing: the comparison proves nothing"
    assert got == expected
    # "CAB" and "KEDB" expand to phrases that were matched when the index was written.
    assert bool(known) == (text in ("CAB", "KEDB workaround"))
