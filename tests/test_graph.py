"""The graph: nodes, structural edges, typed alignments and their derived inverses."""

from __future__ import annotations

from builder.graph import (
    DERIVED,
    LINKS_TO,
    MAPS_TO,
    PART_OF,
    RELATION,
    STRM,
    counterparts,
    orphans,
    part_of_cycles,
)
from builder.pipeline import check


def test_nodes_carry_kind_title_framework_and_url(make_project):
    G = check(make_project(minimal=True)).graph
    assert G.nodes["alpha-incident"] == {
        "kind": "process",
        "title": "Alpha Incident Handling",
        "framework": "alpha",
        "url": "alpha-incident.html",
        "summary": "What Alpha Incident Handling is for, in one sentence.",
        "origin": "standard",
    }


def test_structural_edges(make_project):
    G = check(make_project(minimal=True)).graph
    edges = {(u, v, d[RELATION]) for u, v, d in G.edges(data=True) if d[RELATION] != MAPS_TO}
    assert ("alpha-incident", "alpha-operation", PART_OF) in edges
    assert ("alpha-incident", "alpha-change", LINKS_TO) in edges
    assert ("alpha-incident", "beta-support", LINKS_TO) in edges
    assert ("alpha", "alpha", PART_OF) not in edges


def test_each_alignment_has_a_derived_inverse(make_project):
    G = check(make_project(minimal=True)).graph
    forward = [d for _, v, d in G.out_edges("alpha-operation", data=True) if d[RELATION] == MAPS_TO]
    back = [d for _, v, d in G.out_edges("beta-operate", data=True) if d[RELATION] == MAPS_TO]
    assert [(d[STRM], d[DERIVED]) for d in forward] == [("subset-of", False)]
    assert [(d[STRM], d[DERIVED]) for d in back] == [("superset-of", True)]


def test_counterparts_are_strongest_first(make_project):
    G = check(make_project(minimal=True)).graph
    G.add_edge("alpha-incident", "beta-operate", relation=MAPS_TO, strength=9, strm="subset-of")
    assert [v for v, _ in counterparts(G, "alpha-incident")] == ["beta-operate", "beta-support"]


def test_part_of_cycles_and_orphans_on_small_graphs():
    import networkx as nx

    G = nx.MultiDiGraph()
    G.add_edge("b", "a", relation=PART_OF)
    G.add_edge("a", "c", relation=PART_OF)
    G.add_edge("c", "b", relation=PART_OF)
    G.add_edge("x", "y", relation=LINKS_TO)
    G.add_edge("y", "x", relation=LINKS_TO)
    G.add_node("z", kind="guide")
    G.add_node("f", kind="framework")
    assert list(part_of_cycles(G)) == [["a", "c", "b"]]
    assert list(orphans(G)) == ["z"]
