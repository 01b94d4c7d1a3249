"""Exports: node-link JSON (golden), GraphML round trip, CSV edge list."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest

from builder.export import export_graph
from builder.pipeline import check

GOLDEN = Path(__file__).parent / "golden" / "minimal" / "graph.json"


@pytest.fixture
def graph(make_project) -> nx.MultiDiGraph:
    return check(make_project(minimal=True)).graph


def test_json_matches_golden(graph, update_golden):
    text = export_graph(graph, "json")
    if update_golden:
        GOLDEN.write_text(text)
    assert text == GOLDEN.read_text()


def test_json_fields(graph):
    data = json.loads(export_graph(graph, "json"))
    node = next(n for n in data["nodes"] if n["id"] == "alpha-incident")
    assert {"id", "kind", "framework", "title", "url"} <= set(node)
    align = next(
        e for e in data["links"] if e["relation"] == "maps-to" and e["source"] == "alpha-incident"
    )
    assert align["strm"] == "intersects-with"
    assert align["strength"] == 6
    assert align["basis"] == "functional"
    assert align["derived"] is False
    assert align["rationale"].startswith("Both restore service")
    # node-link data that networkx itself can read back
    G = nx.node_link_graph(data, edges="links")
    assert (G.number_of_nodes(), G.number_of_edges()) == (
        graph.number_of_nodes(),
        graph.number_of_edges(),
    )


def test_graphml_round_trips(graph, tmp_path):
    path = tmp_path / "g.graphml"
    path.write_text(export_graph(graph, "graphml"))
    H = nx.read_graphml(path, force_multigraph=True)
    assert (H.number_of_nodes(), H.number_of_edges()) == (
        graph.number_of_nodes(),
        graph.number_of_edges(),
    )
    assert H.nodes["alpha-incident"]["label"] == "Alpha Incident Handling"
    assert H.nodes["alpha-incident"]["kind"] == "process"
    strengths = sorted(d["strength"] for _, _, d in H.edges(data=True) if "strength" in d)
    assert strengths == [6, 6, 8, 8]


def test_csv_lists_every_edge(graph):
    rows = list(csv.DictReader(io.StringIO(export_graph(graph, "csv"))))
    assert len(rows) == graph.number_of_edges()
    derived = [r for r in rows if r["derived"] == "True"]
    assert [(r["source"], r["target"], r["strm"]) for r in derived] == [
        ("beta-operate", "alpha-operation", "superset-of"),
        ("beta-support", "alpha-incident", "intersects-with"),
    ]


def test_unknown_format(graph):
    with pytest.raises(
        ValueError, match="unknown export format 'xml'; use one of: json, graphml, csv"
    ):
        export_graph(graph, "xml")
