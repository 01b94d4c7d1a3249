"""Exports of the graph: node-link JSON, GraphML and CSV edge lists."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import networkx as nx

from builder.graph import RELATION

__all__ = ["FORMATS", "export_graph"]

FORMATS = ("json", "graphml", "csv")
_EDGE_COLUMNS = (
    "source",
    "target",
    "relation",
    "strm",
    "strength",
    "basis",
    "derived",
    "rationale",
    "origin",
)


def export_graph(G: nx.MultiDiGraph, fmt: str) -> str:
    """Return the graph serialised as ``fmt`` (one of :data:`FORMATS`), deterministically."""
    if fmt == "json":
        return json.dumps(_node_link(G), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if fmt == "graphml":
        H = nx.MultiDiGraph()
        for n, data in sorted(G.nodes(data=True)):
            H.add_node(n, label=data["title"], **_plain(data))
        for u, v, k, data in _sorted_edges(G):
            H.add_edge(u, v, key=k, label=data[RELATION], **_plain(data))
        return "\n".join(nx.generate_graphml(H)) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(_EDGE_COLUMNS)
        for u, v, _, data in _sorted_edges(G):
            writer.writerow([u, v, *(data.get(c, "") for c in _EDGE_COLUMNS[2:])])
        return out.getvalue()
    msg = f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}"
    raise ValueError(msg)


def _node_link(G: nx.MultiDiGraph) -> dict[str, Any]:
    nodes = [{"id": n, **data} for n, data in sorted(G.nodes(data=True))]
    links = [{"source": u, "target": v, **data} for u, v, _, data in _sorted_edges(G)]
    return {"directed": True, "multigraph": True, "graph": {}, "nodes": nodes, "links": links}


def _sorted_edges(G: nx.MultiDiGraph) -> list[tuple[str, str, str, dict[str, Any]]]:
    return sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values: GraphML has no null."""
    return {k: v for k, v in data.items() if v is not None and v != ""}
