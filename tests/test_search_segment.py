"""builder.search.segment: one analysis, and a segment written from it, held to whoosh's own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_search import FILES
from test_search import GLOSSARY as SEARCH_GLOSSARY

TEXTS = [
    "The CAB meets every Tuesday to weigh each request.",
    "Restoring databases: e.g. 3.5 hours, i.e. the RTO; don't re-run it!",
    "İstanbul ÉCOLE straße ﬁne ab_cd x y 42",
    "how do I approve an emergency change",
    "a an the of: x  y",
    "",
]

# The glossary of test_search, and phrases of four words and of one word twice.
GLOSSARY = (
    SEARCH_GLOSSARY
    + """\
  - term: ECAB
    expansion: Emergency Change Advisory Board
    definition: The part of the CAB that decides on emergency changes.
  - term: CC
    expansion: Change the change
    definition: A phrase whose words repeat.
"""
)

# Pages whose bodies start with stop words and one-letter words (positions then do not start
# at 0), repeat words, and use non-ASCII text; one has no aliases.
EXTRA = {
    "content/alpha/starts.md": """\
---
id: alpha-starts
kind: guide
title: The way it starts
framework: alpha
parent: alpha
summary: A an the of to a page that starts with stop words.
aliases: [İSTANBUL ÉCOLE, "the the change"]
---
The a of x change change. Change the change, e.g. 3.5 times; İstanbul ﬁne straße.
The emergency change advisory board met; the change advisory board did not. Board change
advisory emergency. The known error database, a known error and a database of errors.
""",
    "content/glossary.yaml": GLOSSARY,
}


@pytest.fixture
def cfg(make_project):
    return make_project({**FILES, **EXTRA}, minimal=True)


@pytest.mark.parametrize("text", TEXTS)
def test_fast_terms_are_each_fields_analyzer_with_its_positions(text):
    from whoosh.analysis import LowercaseFilter, RegexTokenizer

    from builder.search.index import FAST_TERMS, SCHEMA

    # The words the spelling table counts: whoosh's tokens, lowercase, stop words kept.
    typed = {token.text for token in (RegexTokenizer() | LowercaseFilter())(text)}
    for name, fast in FAST_TERMS.items():
        expected: dict[str, list[int]] = {}
        for token in SCHEMA[name].analyzer(text, positions=True):
            expected.setdefault(token.text, []).append(token.pos)
        seen = {"earlier"}
        assert fast(text, seen) == expected, name
        assert seen == typed | {"earlier"}, name


def index_content(path: Path) -> dict[Any, Any]:
    """Everything a reader can see in an index (terms, postings, statistics, stored fields),
    and the bytes of each file of its segment."""
    from whoosh import index

    ix = index.open_dir(str(path))
    found: dict[Any, Any] = {}
    # And every file of the segment, byte for byte (named without the segment's random id).
    segment = ix._segments()[0]
    files = segment.open_compound_file(ix.storage)
    for name in files.list():
        found["file", name.removeprefix(segment.segment_id())] = files.open_file(name).read()
    with ix.reader() as r:
        found["count"] = r.doc_count_all()
        for name in ix.schema.names():
            if not ix.schema[name].indexed:
                continue
            found[name] = r.field_length(name)
            for term in r.lexicon(name):
                info = r.term_info(name, term)
                postings = []
                m = r.postings(name, term)
                while m.is_active():
                    postings.append((m.id(), m.weight(), m.value()))
                    m.next()
                found[name, term] = (
                    info.weight(),
                    info.doc_frequency(),
                    info.min_length(),
                    info.max_length(),
                    info.max_weight(),
                    postings,
                )
        for d in range(r.doc_count_all()):
            found["stored", d] = r.stored_fields(d)
            for name in ix.schema.scorable_names():
                found["length", d, name] = r.doc_field_length(d, name)
    return found


def test_the_segment_is_the_one_whooshs_writer_writes(cfg, tmp_path):
    from whoosh import index

    from builder.pipeline import check
    from builder.search.index import SCHEMA, analyse_documents, documents
    from builder.search.segment import CODEC, write_segment

    checked = check(cfg)
    stock, fast = tmp_path / "stock", tmp_path / "fast"
    stock.mkdir()
    fast.mkdir()
    writer = index.create_in(str(stock), SCHEMA).writer(codec=CODEC)
    for doc in documents(checked.corpus, checked.graph):
        writer.add_document(**doc)
    writer.commit()
    write_segment(
        index.create_in(str(fast), SCHEMA), analyse_documents(checked.corpus, checked.graph)
    )
    expected, got = index_content(stock), index_content(fast)
    assert ("body", b"chang") in expected  # the pages above are in it
    assert got == expected


def test_the_export_from_the_analysed_pages_is_the_one_read_back(cfg, tmp_path):
    import shutil

    from builder.pipeline import check
    from builder.search.export import export_index
    from builder.search.index import analyse_documents, write_index
    from builder.search.store import BROWSER_INDEX

    checked = check(cfg)
    analysed = analyse_documents(checked.corpus, checked.graph)
    generation = write_index(
        checked.corpus, checked.graph, tmp_path / "search", "t", None, analysed
    )
    from_memory = (generation / BROWSER_INDEX).read_bytes()
    (generation / BROWSER_INDEX).unlink()
    shutil.copytree(generation, tmp_path / "copy")
    read_back = export_index(tmp_path / "copy").read_bytes()
    assert "i\u0307stanbul".encode() in read_back  # the page above is in it
    assert b"null" in read_back  # an empty field's length
    assert from_memory == read_back


def test_synonym_phrases_found_in_the_postings_are_whooshs_phrase_hits(cfg):
    from whoosh import index

    from builder.pipeline import check
    from builder.search.fields import analysed_phrases, known_phrases
    from builder.search.index import _STEM, SCHEMA, analyse_documents, synonym_table
    from builder.search.matchers import CachedLengthsBM25F
    from builder.search.segment import write_segment

    checked = check(cfg)
    analysed = analyse_documents(checked.corpus, checked.graph)
    path = cfg.build_dir / "phrases"
    path.mkdir(parents=True)
    ix = index.create_in(str(path), SCHEMA)
    write_segment(ix, analysed)
    synonyms = synonym_table(checked.corpus)
    with ix.searcher(weighting=CachedLengthsBM25F()) as searcher:
        expected = known_phrases(searcher, _STEM, synonyms)
    # Phrases of two, three and four words, one with a word twice, each found on some page.
    for key in ("chang advisori board", "emerg chang advisori board", "known error databas"):
        assert expected["body"][key][0], key
    assert expected["body"]["chang chang"][0]
    assert analysed_phrases(analysed, _STEM, synonyms) == expected


def test_phrase_scores_add_up_in_whooshs_tree_order():
    import operator

    from whoosh.util import make_binary_tree

    from builder.search.fields import _tree_sum

    values = [1e16, 1.0, 1.0, 0.1, 0.2, 0.3]
    for n in range(1, len(values) + 1):
        assert _tree_sum(values[:n]) == make_binary_tree(operator.add, values[:n]), n
    assert _tree_sum(values[:3]) != sum(values[:3])  # the order matters here


def test_terms_on_more_pages_than_a_block_holds_are_written_as_whoosh_writes_them(tmp_path):
    """whoosh writes a term's postings in blocks of 128: a term on 300 pages spans three."""
    from whoosh import index

    from builder.search.index import FAST_TERMS, SCHEMA
    from builder.search.segment import CODEC, analyse, write_segment

    words = ["change", "board", "release", "risk", "the", "service", "a"]
    docs = [
        {
            "id": f"p{n:03}",
            "title": f"Page {n} change",
            "aliases": "" if n % 3 else "the CAB",
            "summary": " ".join(words[n % 7 :]),
            "body": " ".join(words[(n * k) % 7] for k in range(n % 40)),
            "kind": "guide",
            "framework": "" if n % 2 else "alpha",
            "stage": "a,b" if n % 5 else "",
        }
        for n in range(300)
    ]
    stock, fast = tmp_path / "stock", tmp_path / "fast"
    stock.mkdir()
    fast.mkdir()
    writer = index.create_in(str(stock), SCHEMA).writer(codec=CODEC)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    write_segment(index.create_in(str(fast), SCHEMA), analyse(SCHEMA, docs, FAST_TERMS))
    expected = index_content(stock)
    assert len(expected["title", b"chang"][-1]) == 300
    assert index_content(fast) == expected
