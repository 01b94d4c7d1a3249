"""Alignment queries and the crosswalk pages, CSV and gap analysis built on them."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from builder.alignment import AmbiguousName, coverage, gaps, path, resolve
from builder.cli import cli
from builder.pipeline import check
from builder.render.crosswalks import crosswalk_csv, render_crosswalks
from builder.render.templating import markdown_environment


@pytest.fixture
def checked(make_project):
    return check(make_project(minimal=True))


def test_resolve_by_id_title_and_prefix(checked):
    assert resolve(checked.corpus, "alpha-change") == "alpha-change"
    assert resolve(checked.corpus, "Alpha Change Control") == "alpha-change"
    assert resolve(checked.corpus, "alpha inc") == "alpha-incident"


def test_ambiguous_prefix(checked):
    with pytest.raises(AmbiguousName, match="'alph' matches several elements: ") as info:
        resolve(checked.corpus, "alph")
    assert ("alpha-change", "Alpha Change Control") in info.value.candidates
    with pytest.raises(AmbiguousName, match="no element is called 'zzz'"):
        resolve(checked.corpus, "zzz")


def test_gaps_and_coverage(checked):
    found = {g.id: g for g in gaps(checked.corpus, "alpha", "beta")}
    assert set(found) == {"alpha-change"}  # incident has a counterpart of strength 6
    assert found["alpha-change"].reason == "No alignment record names this element yet."
    alpha, beta = coverage(checked.corpus, "alpha", "beta")
    assert (alpha.framework, alpha.elements, alpha.covered) == ("alpha", 2, 1)
    assert (beta.framework, beta.elements, beta.covered) == ("beta", 1, 1)


def test_path_explains_each_hop(checked):
    hops = path(checked.graph, "alpha-change", "beta-operate")
    assert [(h.source, h.relation, h.target) for h in hops] == [
        ("alpha-change", "part-of", "alpha-operation"),
        ("alpha-operation", "subset-of", "beta-operate"),
    ]
    back = path(checked.graph, "beta-operate", "alpha-operation")
    assert back[0].relation == "superset-of"  # the derived inverse, read from this side
    assert path(checked.graph, "beta", "beta-support")[0].relation == "contains"


def test_crosswalk_pages_csv_and_gaps(checked):
    files = render_crosswalks(markdown_environment(), checked.corpus).files
    assert sorted(files) == [
        "crosswalks/alpha-beta-gaps.md",
        "crosswalks/alpha-beta.csv",
        "crosswalks/alpha-beta.md",
    ]
    page = files["crosswalks/alpha-beta.md"]
    assert (
        '<td class="pm-subset-of"><a href="#rec-alpha-operation--beta-operate" '
        'title="Alpha Operation is a subset of Beta Operate Phase (strength 8/10)' in page
    )
    assert '<span id="rec-alpha-operation--beta-operate"></span>[Alpha Operation]' in page
    assert "- **Alpha Framework**: 1 of 2 elements" in page  # names, not ids
    assert "[download as CSV](alpha-beta.csv)" in page
    rows = list(csv.DictReader(io.StringIO(files["crosswalks/alpha-beta.csv"])))
    assert [(r["source"], r["relation"], r["target"], r["strength"]) for r in rows] == [
        ("alpha-operation", "subset-of", "beta-operate", "8"),
        ("alpha-incident", "intersects-with", "beta-support", "6"),
    ]
    gaps_page = files["crosswalks/alpha-beta-gaps.md"]
    assert "[Alpha Change Control](../alpha-change.md) | Alpha Operation | none |" in gaps_page
    assert '<svg class="portal-chart"' in gaps_page


def test_csv_has_a_header_and_titles(checked):
    text = crosswalk_csv(checked.corpus, list(checked.corpus.mappings))
    assert text.splitlines()[0] == (
        "source,source_title,relation,target,target_title,strength,basis,rationale,notes,file,line"
    )


def run(*args: str):
    return CliRunner().invoke(cli, ["-q", *args], catch_exceptions=False)


@pytest.fixture
def root(make_project):
    return str(make_project(minimal=True).root)


def test_cli_map(root):
    result = run("map", "alpha", "incident", "--root", root)
    assert result.exit_code == 0
    assert "  intersects-with   6/10  Beta Support (beta, beta-support)" in result.output
    data = json.loads(run("map", "alpha-incident", "--root", root, "--json").output)
    assert [c["id"] for c in data["counterparts"]] == ["beta-support"]


def test_cli_map_ambiguous_name_exits_1_with_candidates(root):
    result = CliRunner().invoke(cli, ["-q", "map", "alph", "--root", root])
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: 'alph' matches several elements: alpha (Alpha Framework);"
    )


def test_cli_path(root):
    result = run("path", "alpha-change", "beta-operate", "--root", root)
    assert result.output.splitlines()[:2] == [
        "Alpha Change Control to Beta Operate Phase in 2 step(s):",
        "  1. Alpha Change Control --part-of--> Alpha Operation",
    ]
    data = json.loads(run("path", "alpha-change", "beta-operate", "--root", root, "--json").output)
    assert [h["relation"] for h in data["hops"]] == ["part-of", "subset-of"]


def test_cli_gaps_and_coverage(root):
    data = json.loads(
        run("gaps", "--from", "alpha", "--to", "beta", "--root", root, "--json").output
    )
    assert [g["id"] for g in data] == ["alpha-change"]
    bad = CliRunner().invoke(cli, ["-q", "gaps", "--from", "alpah", "--to", "beta", "--root", root])
    assert bad.exit_code == 1
    assert bad.output == "Error: unknown framework 'alpah'; use one of: alpha, beta\n"
    rows = json.loads(run("coverage", "--root", root, "--json").output)
    assert [(r["framework"], r["covered"], r["elements"]) for r in rows] == [
        ("alpha", 1, 2),
        ("beta", 1, 1),
    ]


def test_an_element_inside_its_counterpart_is_covered_however_weak(make_project):
    """Strength is the share of both scopes: a narrow element inside a broad one scores low."""
    from conftest import minimal_files

    files = minimal_files()
    files["mappings/alpha-beta.yaml"] = files["mappings/alpha-beta.yaml"].replace(
        "relation: intersects-with\n    strength: 6", "relation: intersects-with\n    strength: 2"
    ) + (
        "  - source: alpha-change\n    target: beta-support\n    relation: subset-of\n"
        "    strength: 2\n    basis: functional\n"
        "    rationale: Change control is one narrow part of what the support SMF does.\n"
    )
    corpus = check(make_project(files)).corpus
    # alpha-change lies inside beta-support: covered at 2; alpha-incident only overlaps at 2.
    assert [(g.id, g.best) for g in gaps(corpus, "alpha", "beta")] == [("alpha-incident", 2)]
    alpha, beta = coverage(corpus, "alpha", "beta")
    assert (alpha.covered, alpha.weak) == (1, 1)
    # Read from beta's side the same record is superset-of at 2: weak, not covered.
    assert (beta.covered, beta.weak) == (0, 1)
