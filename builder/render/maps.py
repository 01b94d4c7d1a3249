"""Interactive maps: the network data of every view, with positions computed here.

pyvis builds each view's node and edge records; the portal's own template and script draw
them with vis-network (one shared copy in site/assets), so no page loads anything from a CDN.
Layouts are computed with networkx or a lane layout, so a map is drawn at once with physics
off. Labels and tooltips reach the browser as JSON data and are set as text, never as HTML.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from builder.graph import (
    ACCOUNTABLE_FOR,
    AUTOMATES,
    CARRIES_OUT,
    DERIVED,
    FRAMEWORK,
    KIND,
    LINKS_TO,
    MAPS_TO,
    PART_OF,
    PERFORMS,
    RELATION,
    STRENGTH,
    STRM,
    SUMMARY,
    TITLE,
)
from builder.model import Corpus
from builder.render.overlay import overlay_tint

__all__ = [
    "FRAMEWORK_STYLE",
    "MapView",
    "lane_of_nodes",
    "lifecycle_lanes",
    "local_view",
    "map_json",
    "overview_view",
    "pair_view",
    "role_view",
    "stage_view",
    "wrap_label",
]

#: Okabe-Ito colours (safe for colour-blind readers), and a distinct shape per framework.
FRAMEWORK_STYLE: dict[str, tuple[str, str]] = {
    "itil": ("#0072B2", "dot"),
    "mof4": ("#E69F00", "box"),
    "mof3": ("#CC79A7", "square"),
    "msf": ("#009E73", "diamond"),
    "cir": ("#D55E00", "triangle"),
    "io": ("#56B4E9", "triangleDown"),
    "system-center": ("#F0E442", "hexagon"),
    "accelerators": ("#999999", "star"),
}
_OTHER = ("#BBBBBB", "ellipse")
#: Line style of each relation: dash pattern (False = solid) and colour.
RELATION_STYLE: dict[str, tuple[Any, str]] = {
    "equal": (False, "#000000"),
    "subset-of": ([8, 4], "#0072B2"),
    "superset-of": ([2, 4], "#009E73"),
    "intersects-with": ([12, 4, 2, 4], "#D55E00"),
    "no-relation": ([1, 6], "#999999"),
    AUTOMATES: ([6, 3], "#CC79A7"),
    PART_OF: (False, "#BBBBBB"),
    LINKS_TO: ([2, 6], "#CCCCCC"),
    PERFORMS: (False, "#56B4E9"),
    ACCOUNTABLE_FOR: ([4, 2], "#56B4E9"),
    CARRIES_OUT: (False, "#0072B2"),
    "uses": ([3, 3], "#CC79A7"),
}
LANE_WIDTH = 330
ROW_HEIGHT = 70
LOCAL_LIMIT = 40


@dataclass(frozen=True, slots=True)
class MapView:
    """One map: an id (its file name), a title, a description, and vis-network records."""

    id: str
    title: str
    description: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    lanes: list[dict[str, Any]] = field(default_factory=list)
    #: How the page reaches node pages ("../" from maps/), and the node the map is about.
    prefix: str = ""
    current: str | None = None


# -----------------------------------------------------------------------------
# Views


def overview_view(corpus: Corpus, G: nx.MultiDiGraph) -> MapView:
    """The lifecycle overview: ITIL stages as lanes, every aligned element in its lane."""
    lanes = lifecycle_lanes(corpus, G)
    stage_ids = [s for s in lanes if s != "across"]
    members: dict[str, list[str]] = {lane: [] for lane in lanes}
    for n, lane in sorted(lane_of_nodes(corpus, G, stage_ids).items()):
        members[lane].append(n)
    positions: dict[str, tuple[float, float]] = {}
    for col, lane in enumerate(lanes):
        ordered = sorted(
            members[lane], key=lambda n: (_fw_rank(G, n), _kind_rank(G, n), G.nodes[n][TITLE])
        )
        for row, n in enumerate(ordered):
            positions[n] = (col * LANE_WIDTH + (row % 2) * 40, 90 + row * ROW_HEIGHT)
    edges = _edges_among(G, positions)
    lane_records = [
        {"id": lane, "title": lanes[lane], "x": col * LANE_WIDTH + 20}
        for col, lane in enumerate(lanes)
    ]
    return _view(
        "lifecycle",
        "Lifecycle overview",
        "The five ITIL v3 stages as lanes. Each element of the other frameworks sits in the lane "
        "of the ITIL stage it aligns with most strongly; lines show the alignments.",
        G,
        positions,
        edges,
        prefix="../",
        lanes=lane_records,
    )


def pair_view(corpus: Corpus, G: nx.MultiDiGraph, a: str, b: str) -> MapView:
    """Two frameworks side by side, with the alignments between their elements."""
    edges = [
        (u, v, d)
        for u, v, d in G.edges(data=True)
        if d[RELATION] == MAPS_TO and not d[DERIVED] and {_fw(G, u), _fw(G, v)} == {a, b}
    ]
    left = sorted(
        {n for u, v, _ in edges for n in (u, v) if _fw(G, n) == a},
        key=lambda n: _reading_key(corpus, n),
    )
    right = sorted(
        {n for u, v, _ in edges for n in (u, v) if _fw(G, n) == b},
        key=lambda n: _reading_key(corpus, n),
    )
    positions = {n: (0.0, i * ROW_HEIGHT * 0.9) for i, n in enumerate(left)}
    positions |= {n: (700.0, i * ROW_HEIGHT * 0.9) for i, n in enumerate(right)}
    title_a, title_b = G.nodes[a][TITLE], G.nodes[b][TITLE]
    return _view(
        f"pair-{a}-{b}",
        f"{title_a} and {title_b}",
        f"Every aligned element of {title_a} (left) and {title_b} (right), with the relation and "
        "strength of each alignment.",
        G,
        positions,
        edges,
        prefix="../",
    )


def stage_view(corpus: Corpus, G: nx.MultiDiGraph, stage: str) -> MapView:
    """One ITIL stage: its processes and functions, their counterparts and their tools."""
    inner = [u for u, _, d in G.in_edges(stage, data=True) if d[RELATION] == PART_OF]
    outer = {
        v
        for n in inner
        for _, v, d in G.out_edges(n, data=True)
        if d[RELATION] == MAPS_TO and v != stage
    } | {u for n in inner for u, _, d in G.in_edges(n, data=True) if d[RELATION] == AUTOMATES}
    shells = [[stage], sorted(inner), sorted(outer - set(inner) - {stage})]
    positions = _shell_positions(shells)
    edges = _edges_among(G, positions, part_of=True)
    return _view(
        f"stage-{stage}",
        f"{G.nodes[stage][TITLE]}: processes, counterparts and tools",
        f"The processes and functions of {G.nodes[stage][TITLE]} (inner ring), the elements of "
        "other frameworks they align with and the tools that automate them (outer ring).",
        G,
        positions,
        edges,
        prefix="../",
    )


def role_view(corpus: Corpus, G: nx.MultiDiGraph, role: str) -> MapView:
    """A persona, its tasks, the framework elements they carry out, and the strongest
    counterparts of those elements (two at most each, strength 5 or more)."""
    work = [
        (role, t, d)
        for _, t, d in G.out_edges(role, data=True)
        if d[RELATION] in (PERFORMS, ACCOUNTABLE_FOR)
    ]
    tasks = sorted({t for _, t, _ in work})
    carried = [
        (t, e, d)
        for t in tasks
        for _, e, d in G.out_edges(t, data=True)
        if d[RELATION] == CARRIES_OUT
    ]
    elements = sorted({e for _, e, _ in carried})
    aligned = []
    for e in elements:
        best = sorted(
            (
                (e, v, d)
                for _, v, d in G.out_edges(e, data=True)
                if d[RELATION] == MAPS_TO and int(d[STRENGTH]) >= 5
            ),
            key=lambda x: (-int(x[2][STRENGTH]), x[1]),
        )
        aligned += best[:2]
    counterparts = sorted({v for _, v, _ in aligned} - set(elements))
    shells = [[role], tasks, elements, counterparts]
    positions = _shell_positions([ring for ring in shells if ring])
    seen: set[frozenset[str]] = set()
    edges = []
    for u, v, d in [*work, *carried, *aligned]:
        if frozenset((u, v)) not in seen:  # one line per pair: performs wins over accountable
            seen.add(frozenset((u, v)))
            edges.append((u, v, d))
    return _view(
        f"role-{role}",
        f"{G.nodes[role][TITLE]}: tasks, elements and counterparts",
        "The role at the centre, then its tasks, the framework elements they carry out, and "
        "the strongest counterparts of those elements in other frameworks.",
        G,
        positions,
        edges,
        prefix="../",
    )


def undirected(G: nx.MultiDiGraph) -> nx.Graph:
    """The simple undirected graph of ``G``, without edge data (what local maps walk)."""
    U = nx.Graph()
    U.add_nodes_from(G)
    U.add_edges_from(G.edges())
    return U


def local_view(corpus: Corpus, G: nx.MultiDiGraph, n: str, U: nx.Graph | None = None) -> MapView:
    """A node and its neighbours one hop out (two when the map stays small).

    ``U`` is the undirected simple graph of ``G``; pass it when drawing many local maps.
    """
    if U is None:
        U = undirected(G)
    near = {n, *U[n]}
    # Two hops out only when that stays small: stop counting as soon as it does not, so that a
    # page next to a hub does not walk the hub's whole neighbourhood.
    two = set(near)
    for v in near:
        two.update(U[v])
        if len(two) > LOCAL_LIMIT // 2:
            break
    if len(two) <= LOCAL_LIMIT // 2:
        near = two
    elif len(near) > LOCAL_LIMIT:
        ranked = sorted(near - {n}, key=lambda v: (-U.degree(v), v))
        near = {n, *ranked[: LOCAL_LIMIT - 1]}
    hop1 = sorted(v for v in near if v != n and U.has_edge(n, v))
    hop2 = sorted(v for v in near if v != n and not U.has_edge(n, v))
    positions = _shell_positions([[n], hop1, hop2] if hop2 else [[n], hop1])
    # A local map shows how the page connects, not every link among its neighbours: the
    # edges of the node itself, and one edge that brings in each node two hops out.
    edges = [
        (u, v, d)
        for u, v, d in G.out_edges(n, data=True)
        if v in near and _is_shown_edge(d, part_of=True, links=True)
    ] + [
        (u, v, d)
        for u, v, d in G.in_edges(n, data=True)
        if u in near and u != n and _is_shown_edge(d, part_of=True, links=True)
    ]
    inner = set(hop1)
    for far in hop2:
        bridge = next(
            (
                (u, v, d)
                for u, v, d in sorted(G.out_edges(far, data=True), key=lambda e: e[1])
                if v in inner and _is_shown_edge(d, part_of=True, links=True)
            ),
            None,
        ) or next(
            (
                (u, v, d)
                for u, v, d in sorted(G.in_edges(far, data=True), key=lambda e: e[0])
                if u in inner and _is_shown_edge(d, part_of=True, links=True)
            ),
            None,
        )
        if bridge is not None:
            edges.append(bridge)
    return _view(f"local-{n}", G.nodes[n][TITLE], "", G, positions, edges, prefix="", current=n)


# -----------------------------------------------------------------------------
# Lanes


def lifecycle_lanes(corpus: Corpus, G: nx.MultiDiGraph) -> dict[str, str]:
    """Return the lanes of the overview: the ITIL stages in order, then 'across the lifecycle'."""
    stages = sorted(
        (n for n in corpus if n.kind == "stage"),
        key=lambda s: (s.order if s.order is not None else 99, s.title),
    )
    lanes = {s.id: s.title for s in stages}
    lanes["across"] = "Across the lifecycle"
    return lanes


def lane_of_nodes(corpus: Corpus, G: nx.MultiDiGraph, stages: list[str]) -> dict[str, str]:
    """Place stage members in their stage, others where their alignments are strongest."""
    lane: dict[str, str] = {}
    for node in corpus:
        home = _stage_ancestor(corpus, node.id, stages)
        if home:
            lane[node.id] = home
    shown_kinds = {"phase", "smf", "review", "track", "component", "product", "quadrant"}
    for node in corpus:
        if node.id in lane or node.kind not in shown_kinds:
            continue
        weight: dict[str, float] = {}
        for _, v, d in G.out_edges(node.id, data=True):
            target = lane.get(v)
            if target and d[RELATION] in (MAPS_TO, AUTOMATES) and d.get(STRM) != "no-relation":
                weight[target] = weight.get(target, 0) + float(d.get(STRENGTH, 5))
        if weight:
            lane[node.id] = max(sorted(weight), key=lambda s: weight[s])
        elif node.kind in {"phase", "smf", "track", "component"}:
            lane[node.id] = "across"
    return lane


def _stage_ancestor(corpus: Corpus, n: str, stages: list[str]) -> str | None:
    return next((node.id for node in corpus.lineage(n) if node.id in stages), None)


# -----------------------------------------------------------------------------
# Records


#: The fields of pyvis' records that pages need; the script derives the rest (colour, shape,
#: dashes, width, arrows, URL) from ``styles``, so that map pages stay small.
_NODE_FIELDS = ("id", "label", "x", "y", "kind", "framework", "summary", "tint")
_EDGE_FIELDS = ("from", "to", "relation", "strength", "rationale")


def map_json(view: MapView, frameworks: dict[str, str] | None = None) -> str:
    """Return the view as compact JSON that is safe inside ``<script type="application/json">``.

    >>> "<" in map_json(MapView("x", "t", "d", [{"id": "a", "label": "</script><b>"}]))
    False
    """
    data = {
        "id": view.id,
        "nodes": [{k: n[k] for k in _NODE_FIELDS if k in n} for n in view.nodes],
        "edges": [{k: e[k] for k in _EDGE_FIELDS if k in e and e[k] != ""} for e in view.edges],
        "lanes": view.lanes,
        "frameworks": frameworks or {},
        "prefix": view.prefix,
        "current": view.current,
        "styles": {
            "frameworks": {fw: list(style) for fw, style in FRAMEWORK_STYLE.items()},
            "other": list(_OTHER),
            "relations": {rel: [dash, colour] for rel, (dash, colour) in RELATION_STYLE.items()},
        },
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _view(
    view_id: str,
    title: str,
    description: str,
    G: nx.MultiDiGraph,
    positions: dict[str, tuple[float, float]],
    edges: Iterable[tuple[str, str, dict[str, Any]]],
    *,
    prefix: str,
    current: str | None = None,
    lanes: list[dict[str, Any]] | None = None,
) -> MapView:
    # pyvis builds the records; imported here because it is slow to import.
    from pyvis.network import Network

    net = Network(directed=True)
    for n in sorted(positions):
        data = G.nodes[n]
        colour, shape = FRAMEWORK_STYLE.get(str(data[FRAMEWORK] or n), _OTHER)
        tint = overlay_tint(data)  # an organisation's own element, or one it has not adopted
        x, y = positions[n]
        net.add_node(
            n,
            label=wrap_label(str(data[TITLE])),
            shape=shape,
            color={
                "background": tint[0] if tint else colour,
                "border": "#222222" if n == current else tint[1] if tint else colour,
            },
            **({"tint": list(tint)} if tint else {}),
            x=round(x, 1),
            y=round(y, 1),
            physics=False,
            borderWidth=4 if n == current else 1,
            size=22 if n == current else 14,
            url=f"{prefix}{n}.html",
            kind=str(data[KIND]),
            framework=str(data[FRAMEWORK] or n),
            summary=_brief(str(data[SUMMARY]), 110),
            name=str(data[TITLE]),
        )
    for u, v, d in sorted(edges, key=lambda e: (e[0], e[1], str(e[2].get(STRM, e[2][RELATION])))):
        relation = str(d.get(STRM) or d[RELATION])
        dashes, colour = RELATION_STYLE.get(relation, RELATION_STYLE[LINKS_TO])
        strength = int(d.get(STRENGTH) or 0)
        net.add_edge(
            u,
            v,
            relation=relation,
            strength=strength,
            dashes=dashes,
            color={"color": colour},
            width=1 + strength / 2.5 if strength else 1,
            arrows="to" if relation not in ("equal", "intersects-with") else "",
            rationale=_brief(str(d.get("rationale") or d.get("reason") or ""), 90),
        )
    return MapView(
        view_id, title, description, list(net.nodes), list(net.edges), lanes or [], prefix, current
    )


def _brief(text: str, limit: int = 150) -> str:
    """Return the first sentence of ``text``, cut to ``limit`` characters: tooltips stay short
    and map pages light (the whole text is on the element's page).

    >>> _brief("One. Two."), _brief("x" * 200)[-3:]
    ('One.', 'xx…')
    """
    first = text.split(". ", 1)[0]
    first = first if first.endswith(".") or len(first) == len(text) else first + "."
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def _edges_among(
    G: nx.MultiDiGraph, nodes: Iterable[str], *, part_of: bool = False, links: bool = False
) -> list[tuple[str, str, dict[str, Any]]]:
    """Return the edges the map shows between ``nodes``."""
    return [
        (u, v, d)
        for u, v, d in G.subgraph(nodes).edges(data=True)
        if _is_shown_edge(d, part_of=part_of, links=links)
    ]


def _is_shown_edge(d: dict[str, Any], *, part_of: bool = False, links: bool = False) -> bool:
    relation = d[RELATION]
    if relation == MAPS_TO:
        return not d[DERIVED]
    return (
        relation == AUTOMATES
        or (part_of and relation == PART_OF)
        or (links and relation == LINKS_TO)
    )


def _shell_positions(shells: list[list[str]]) -> dict[str, tuple[float, float]]:
    positions: dict[str, tuple[float, float]] = {}
    for ring, members in enumerate(shells):
        radius = 0 if ring == 0 else 170 + ring * 150 + len(members) * 4
        for i, n in enumerate(members):
            angle = 2 * math.pi * i / max(len(members), 1) - math.pi / 2
            positions[n] = (round(radius * math.cos(angle), 1), round(radius * math.sin(angle), 1))
    return positions


def wrap_label(title: str, width: int = 22) -> str:
    """Break a label onto lines of about ``width`` characters.

    >>> wrap_label("Service Asset and Configuration Management")
    'Service Asset and\\nConfiguration\\nManagement'
    """
    lines: list[str] = []
    for word in title.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def _fw(G: nx.MultiDiGraph, n: str) -> str:
    return str(G.nodes[n][FRAMEWORK] or n)


_FW_ORDER = ["itil", "mof4", "msf", "cir", "io", "system-center", "mof3", "accelerators"]
_KIND_ORDER = [
    "stage",
    "process",
    "function",
    "phase",
    "smf",
    "review",
    "track",
    "component",
    "product",
]


def _fw_rank(G: nx.MultiDiGraph, n: str) -> int:
    fw = _fw(G, n)
    return _FW_ORDER.index(fw) if fw in _FW_ORDER else len(_FW_ORDER)


def _kind_rank(G: nx.MultiDiGraph, n: str) -> int:
    kind = str(G.nodes[n][KIND])
    return _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER)


def _reading_key(corpus: Corpus, n: str) -> tuple[Any, ...]:
    """Order elements as their framework reads: by the chain of (order, title) from the top."""
    chain = [
        (node.order if node.order is not None else 99, node.title) for node in corpus.lineage(n)
    ]
    return tuple(chain[::-1])
