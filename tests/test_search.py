"""Search: synonyms, typos, filters, JSON, stale-index rebuild, bad input, related pages."""

from __future__ import annotations

import contextlib
import json

import pytest
from click.testing import CliRunner
from conftest import page
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.cli import cli
from builder.search.engine import SearchError, build_query, clean_query, ensure_index, search
from builder.search.store import (
    current_generation,
    index_dir,
    publish_generation,
    read_spelling,
)

GLOSSARY = """\
terms:
  - term: CAB
    expansion: Change Advisory Board
    definition: The group that advises on changes.
  - term: KEDB
    expansion: Known Error Database
    definition: Where known errors and workarounds are kept.
"""


def guide(node_id: str, title: str, body: str, framework: str = "alpha") -> str:
    return page(
        node_id, "guide", title, body=body, extra=f"framework: {framework}\nparent: {framework}"
    )


FILES = {
    "content/glossary.yaml": GLOSSARY,
    "content/alpha/board.md": guide(
        "alpha-board", "Weekly board", "The CAB meets every Tuesday to weigh each request."
    ),
    "content/alpha/advisory.md": guide(
        "alpha-advisory",
        "Advisory meetings",
        "Members of the change advisory board review the schedule of upcoming work.",
    ),
    "content/alpha/errors.md": guide(
        "alpha-errors",
        "Recording workarounds",
        "Store every workaround in the KEDB with its symptoms.",
    ),
    "content/beta/backup.md": guide(
        "beta-backup", "Nightly backups", "Restore databases from the nightly backup media.", "beta"
    ),
}


@pytest.fixture
def cfg(make_project):
    return make_project(FILES, minimal=True)


def ids(result) -> list[str]:
    return [h.id for h in result.hits]


def test_acronym_finds_its_expansion_and_back(cfg):
    assert "alpha-advisory" in ids(search(cfg, "CAB"))
    assert "alpha-board" in ids(search(cfg, "change advisory board"))
    assert ids(search(cfg, "known error database"))[0] == "alpha-errors"


def test_page_alias_finds_the_page(cfg):
    assert ids(search(cfg, "AIH"))[0] == "alpha-incident"


def test_title_matches_rank_first(cfg):
    assert ids(search(cfg, "nightly backups"))[0] == "beta-backup"


def test_typo_gets_a_did_you_mean_and_results(cfg):
    result = search(cfg, "workaruond")
    assert result.did_you_mean == "workaround"
    assert ids(result)[0] == "alpha-errors"


def test_spelling_table_counts_the_pages_of_each_word_as_typed(cfg):
    generation, _, _ = ensure_index(cfg)
    table = read_spelling(generation)
    # Pages, not occurrences: "nightly" is in beta-backup's title and body.
    assert table["nightly"] == 1
    assert table["backups"] == 1 and table["backup"] == 1  # not stemmed
    assert table["with"] == 1  # a stop word is not indexed, yet it is a word of a page
    assert "workaruond" not in table
    assert search(cfg, "workaround with symptoms").did_you_mean is None


def test_fuzzy_query_matches_near_spellings(cfg):
    from whoosh import index

    generation, meta, _ = ensure_index(cfg)
    ix = index.open_dir(str(generation))
    with ix.searcher() as s:
        fields = ("title", "aliases", "summary", "body")
        lexicons = {f: [t.decode() for t in s.reader().lexicon(f)] for f in fields}
        assert build_query(ix.schema, "restor2 databses", meta.synonyms) is not None
        assert not s.search(build_query(ix.schema, "restor2 databses", meta.synonyms))
        query = build_query(ix.schema, "restor2 databses", meta.synonyms, lexicons=lexicons)
        assert next(h["id"] for h in s.search(query)) == "beta-backup"


def test_filters(cfg):
    assert set(ids(search(cfg, "backup", filters={"framework": "beta"}))) == {"beta-backup"}
    assert search(cfg, "backup", filters={"framework": "alpha"}).hits == []
    assert set(ids(search(cfg, "handling", filters={"kind": "process"}))) <= {
        "alpha-incident",
        "alpha-change",
    }


def test_unknown_filter_value_lists_the_valid_ones(cfg):
    with pytest.raises(SearchError) as info:
        search(cfg, "backup", filters={"framework": "gamma"})
    assert str(info.value) == "unknown framework 'gamma'; use one of: alpha, beta"


def test_snippets_highlight_matches(cfg):
    hit = search(cfg, "restore").hits[0]
    assert hit.snippet == "**Restore** databases from the nightly backup media."


def test_stale_index_is_rebuilt(cfg):
    assert search(cfg, "backup").rebuilt is True
    assert search(cfg, "backup").rebuilt is False
    path = cfg.content_dir / "beta" / "backup.md"
    path.write_text(path.read_text().replace("nightly backup media", "tape library"))
    result = search(cfg, "tape library")
    assert result.rebuilt is True
    assert ids(result)[0] == "beta-backup"


def test_a_reader_of_the_previous_generation_keeps_working(cfg):
    from whoosh import index

    old, _, _ = ensure_index(cfg)
    reader = index.open_dir(str(old)).searcher()
    try:
        (cfg.content_dir / "beta" / "backup.md").write_text(
            FILES["content/beta/backup.md"].replace("media", "tapes")
        )
        new, _, rebuilt = ensure_index(cfg)
        assert rebuilt and new != old
        assert current_generation(index_dir(cfg)) == new
        assert reader.doc_count() == 14  # the old generation is still readable
        assert old.exists()  # the previous generation is kept for such readers
        publish_generation(index_dir(cfg), new)
        assert sorted(p.name for p in index_dir(cfg).glob("gen-*")) == [new.name]
    finally:
        reader.close()


@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced quote',
        "(((brackets",
        "]]]",
        "title: nope",
        "nofield:value",
        "a" * 10_000,
        "control\x00\x07chars\x1b[31m",
        ".*+?^$|\\",
        "AND OR NOT",
        "~2 ^3 * ?",
    ],
)
def test_bad_input_never_raises_anything_but_search_error(cfg, text):
    with contextlib.suppress(SearchError):
        search(cfg, text)


def test_empty_and_stopword_queries_are_clear_errors(cfg):
    with pytest.raises(SearchError, match="empty query"):
        search(cfg, "  ")
    with pytest.raises(SearchError, match="no searchable words in 'the and of how'"):
        search(cfg, "the and of how")


def test_clean_query_bounds_length():
    assert len(clean_query("word " * 5000)) <= 500


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_arbitrary_text_never_crashes(cfg, text):
    try:
        result = search(cfg, text, limit=3)
    except SearchError:
        return
    assert all(h.url.endswith(".html") for h in result.hits)


def test_cli_json_shape(cfg):
    result = CliRunner().invoke(cli, ["-q", "search", "CAB", "--root", str(cfg.root), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data, "no results"
    assert set(data[0]) == {"id", "title", "url", "kind", "framework", "score", "snippet"}
    scores = [d["score"] for d in data]
    assert scores == sorted(scores, reverse=True)


def test_cli_unknown_filter_exits_1(cfg):
    result = CliRunner().invoke(
        cli, ["-q", "search", "backup", "--root", str(cfg.root), "--kind", "nope"]
    )
    assert result.exit_code == 1
    assert result.output.startswith("Error: unknown kind 'nope'; use one of: ")


def test_cli_human_output(cfg):
    result = CliRunner().invoke(
        cli, ["-q", "search", "nightly", "backups", "--root", str(cfg.root)]
    )
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == " 1. Nightly backups  (guide, beta)  beta-backup.html"


@pytest.mark.parametrize(
    "text",
    [
        "approve an emergency change",
        'the "change advisory board" meets',
        "low-risk change change board",
        '"cab" go/no-go',
        '"the end of" x',
        "ITIL's how-to",
    ],
)
def test_field_query_is_what_whoosh_query_parser_makes(text):
    """The direct builder must keep whoosh's parser semantics (stems, phrases, boosts, dedup)."""
    from whoosh import qparser
    from whoosh import query as wq

    from builder.search.engine import field_query
    from builder.search.fields import TEXT_FIELDS
    from builder.search.index import SCHEMA

    parser = qparser.MultifieldParser(
        list(TEXT_FIELDS), SCHEMA, fieldboosts=TEXT_FIELDS, group=qparser.OrGroup
    )
    expected = parser.parse(clean_query(text))
    got = field_query(SCHEMA, clean_query(text), TEXT_FIELDS)
    assert isinstance(got, wq.Or) == isinstance(expected, wq.Or)
    if isinstance(got, wq.Or):
        got = wq.Or(got.subqueries)  # same leaves; only the matcher class differs
    assert got == expected


def test_spell_corrector_prefers_fewest_edits_then_frequency():
    from builder.search.engine import SpellCorrector

    c = SpellCorrector.from_words({"agreement": 3, "agreements": 40, "service": 5, "serve": 50})
    assert c.suggest("agreemnt", limit=1) == ["agreement"]  # one edit beats a frequent two
    # "servce" is one edit from both: the more frequent word comes first.
    assert c.suggest("servce", limit=2) == ["serve", "service"]
    other = SpellCorrector.from_words({"service": 50, "serve": 5})
    assert other.suggest("servce", limit=2) == ["service", "serve"]
    assert c.suggest("sevrice", limit=1) == ["service"]  # a swapped pair is one edit
    assert c.suggest("service", limit=1) == ["serve"]  # never the word itself
    assert c.suggest("zzzzzz", limit=1) == []


def test_related_pages_are_whooshs_more_like_this(cfg):
    """find_related reads an index of the bodies alone and caches the collection statistics;
    the pages it picks must be those of more_like on the full search index."""
    from whoosh import index as wix

    from builder.pipeline import check
    from builder.search.index import RELATED, find_related, plain_text, write_index

    checked = check(cfg)
    corpus, G = checked.corpus, checked.graph
    ours = find_related(corpus, G)
    generation = write_index(corpus, G, index_dir(cfg), "test")
    with wix.open_dir(str(generation)).searcher() as searcher:
        for node in corpus:
            linked = set(G.successors(node.id)) | set(G.predecessors(node.id)) | {node.id}
            docnum = searcher.document_number(id=node.id)
            text = plain_text(node.body, corpus)
            hits = searcher.more_like(
                docnum, "body", text=text, top=RELATED + len(linked), numterms=10
            )
            assert ours[node.id] == [h["id"] for h in hits if h["id"] not in linked][:RELATED]
    assert any(ours.values()), "no page got related pages: the comparison proves nothing"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab -#*_`|>[]()!:\n", max_size=40))
def test_plain_text_drops_markup_runs_but_a_lone_hyphen(text):
    import re

    from builder.model import Corpus
    from builder.search.index import plain_text

    # The rule as first written: each run of markup characters becomes a space, unless it
    # is a single hyphen.
    expected = re.sub(r"[#*_`|>\[\]()!:-]{1,}", lambda m: " " if m.group(0) != "-" else "-", text)
    assert plain_text(text, Corpus.of(())) == " ".join(expected.split())


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab .!?\n\t\u00a0", max_size=40))
def test_sentences_break_at_the_spaces_after_a_mark(text):
    import re

    from builder.search.text import sentence_bounds

    # The rule as first written: a break is a run of spaces right after . ! or ?
    breaks = list(re.finditer(r"(?<=[.!?])\s+", text))
    expected = [0, *(m.end() for m in breaks), *(m.start() for m in breaks), len(text)]
    assert sentence_bounds(text) == expected
