"""Interactive maps: what each map shows, where its nodes go, and the JSON its page carries.

Each view picks its nodes and lines from the graph and lays them out twice (a wide and a narrow
layout, see :mod:`builder.render.maplayout`); the look of every node and line comes from
:mod:`builder.render.mapstyle` (framework front matter, relation styles, palettes), and the
width of a line from its strength, here. :func:`map_json` ships exactly that to the page, and
``portal-maps.js`` only draws it, with the one copy of vis-network in site/assets. Labels and
tooltips reach the browser as JSON data and are set as text, never as HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
    MAPS_TO,
    PART_OF,
    PERFORMS,
    RELATION,
    STRENGTH,
    STRM,
    SUMMARY,
    TITLE,
    USES,
)
from builder.jsontext import script_json
from builder.model import Corpus
from builder.render.maplayout import Block, Layout, barycentre_order, blocks_layout, columns_layout
from builder.render.mapstyle import (
    NO_FRAMEWORK,
    PALETTE,
    RELATION_STYLE,
    fallback_style,
    framework_styles,
    short_name,
)
from builder.render.overlay import TINTS, Tint, overlay_tint

__all__ = [
    "LOCAL_LIMIT",
    "NO_FRAMEWORK",
    "PALETTE",
    "RELATION_STYLE",
    "MapView",
    "framework_styles",
    "lane_of_nodes",
    "lifecycle_lanes",
    "local_view",
    "map_json",
    "map_page_context",
    "overview_view",
    "pair_view",
    "role_view",
    "short_name",
    "stage_view",
    "undirected",
]

#: Node sizes (radius at scale 1): every element, and the element a local map is about.
NODE_SIZE = 9
CURRENT_SIZE = 13
#: A page's local map draws at most this many neighbours; more become a list.
LOCAL_LIMIT = 18
#: Wide and narrow label widths (pixels at scale 1) of each kind of map, and column gaps.
_WIDE, _NARROW = "wide", "narrow"

_KIND_ORDER = [
    "framework",
    "stage",
    "process",
    "function",
    "phase",
    "quadrant",
    "track",
    "smf",
    "review",
    "component",
    "product",
]


@dataclass(frozen=True, slots=True)
class MapView:
    """One map: its id (file name), title, description, and what its page ships."""

    id: str
    title: str
    description: str
    #: Node and line records as shipped (see :func:`map_json`).
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    #: ``wide`` and ``narrow``: size, captions and bands of each layout.
    layouts: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: The style of each framework on the map, keyed by framework id.
    frameworks: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: How the page reaches node pages ("../" from maps/), and the node the map is about.
    prefix: str = ""
    current: str | None = None
    #: A local map with too many neighbours to draw: its page lists them instead.
    dense: bool = False


# -----------------------------------------------------------------------------
# Views


def overview_view(corpus: Corpus, G: nx.MultiDiGraph) -> MapView:
    """The lifecycle overview: the ITIL stages as lanes side by side, and every aligned
    element in its lane, grouped by framework."""
    styles = framework_styles(corpus)
    lanes = lifecycle_lanes(corpus, G)
    stage_ids = [s for s in lanes if s != "across"]
    members: dict[str, list[str]] = {lane: [] for lane in lanes}
    for n, lane in sorted(lane_of_nodes(corpus, G, stage_ids).items()):
        members[lane].append(n)
    blocks = [
        Block(title, _groups(corpus, G, members[lane], styles, stage=lane))
        for lane, title in lanes.items()
        if members[lane]
    ]
    labels = _labels(corpus, members_of(blocks))
    layouts = {
        _WIDE: blocks_layout(blocks, labels, label_width=150, per_row=1, across=True),
        _NARROW: blocks_layout(blocks, labels, label_width=128, per_row=2),
    }
    # Stacked lanes on a phone: every line would cross every label; show the selected one's.
    layouts[_NARROW].lines_shown = "selected"
    edges = _edges_among(G, labels)
    return _view(
        corpus,
        G,
        "lifecycle",
        "Lifecycle overview",
        "The five ITIL v3 stages as lanes. Each element of the other frameworks sits in the lane "
        "of the ITIL stage it aligns with most strongly, grouped by framework; lines show the "
        "alignments.",
        layouts,
        edges,
        prefix="../",
    )


def pair_view(corpus: Corpus, G: nx.MultiDiGraph, a: str, b: str) -> MapView:
    """Two frameworks in two columns, with the alignments between their elements."""
    sides = {a, b}
    # In the order of G.edges(), from the nodes of the two frameworks only.
    edges = [
        (u, v, d)
        for u in G
        if _fw(G, u) in sides
        for _, v, d in G.out_edges(u, data=True)
        if d[RELATION] == MAPS_TO and not d[DERIVED] and {_fw(G, u), _fw(G, v)} == sides
    ]
    columns = [
        sorted(
            {n for u, v, _ in edges for n in (u, v) if _fw(G, n) == side},
            key=lambda n: _reading_key(corpus, n),
        )
        for side in (a, b)
    ]
    columns = barycentre_order(columns, _neighbours(edges))
    title_a, title_b = G.nodes[a][TITLE], G.nodes[b][TITLE]
    return _view(
        corpus,
        G,
        f"pair-{a}-{b}",
        f"{title_a} and {title_b}",
        f"Every aligned element of {title_a} (left) and {title_b} (right), with the relation and "
        "strength of each alignment.",
        _columns_layouts(corpus, G, columns, edges, [title_a, title_b], (230, 250), (116, 64)),
        edges,
        prefix="../",
    )


def stage_view(corpus: Corpus, G: nx.MultiDiGraph, stage: str) -> MapView:
    """One ITIL stage: its processes and functions, their counterparts and their tools."""
    inner = sorted(
        (u for u, _, d in G.in_edges(stage, data=True) if d[RELATION] == PART_OF),
        key=lambda n: _reading_key(corpus, n),
    )
    outer = {
        v
        for n in inner
        for _, v, d in G.out_edges(n, data=True)
        if d[RELATION] == MAPS_TO and not d[DERIVED] and v != stage
    } | {u for n in inner for u, _, d in G.in_edges(n, data=True) if d[RELATION] == AUTOMATES}
    outer_sorted = sorted(
        outer - set(inner) - {stage},
        key=lambda n: (_fw_order(corpus, n), _reading_key(corpus, n)),
    )
    layers = [[stage], inner, outer_sorted]
    edges = _between_layers(G, layers)
    layers = barycentre_order(layers, _neighbours(edges))
    title = G.nodes[stage][TITLE]
    return _view(
        corpus,
        G,
        f"stage-{stage}",
        f"{title}: processes, counterparts and tools",
        f"{title} (left), its processes and functions (middle), and the elements of other "
        "frameworks they align with and the tools that automate them (right).",
        _columns_layouts(
            corpus,
            G,
            layers,
            edges,
            ["Stage", "Processes and functions", "Counterparts and tools"],
            (210, 120),
            (128, 0),
        ),
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
    tasks = sorted({t for _, t, _ in work}, key=lambda n: G.nodes[n][TITLE])
    carried = [
        (t, e, d)
        for t in tasks
        for _, e, d in G.out_edges(t, data=True)
        if d[RELATION] == CARRIES_OUT
    ]
    elements = sorted(
        {e for _, e, _ in carried}, key=lambda n: (_fw_order(corpus, n), _reading_key(corpus, n))
    )
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
        aligned += [x for x in best[:2] if x[1] not in elements]
    counterparts = sorted(
        {v for _, v, _ in aligned}, key=lambda n: (_fw_order(corpus, n), _reading_key(corpus, n))
    )
    seen: set[frozenset[str]] = set()
    edges = []
    for u, v, d in [*work, *carried, *aligned]:
        if frozenset((u, v)) not in seen:  # one line per pair: performs wins over accountable
            seen.add(frozenset((u, v)))
            edges.append((u, v, d))
    layers = [ring for ring in ([role], tasks, elements, counterparts) if ring]
    titles = ["Role", "Tasks", "Framework elements", "Counterparts"][: len(layers)]
    layers = barycentre_order(layers, _neighbours(edges))
    return _view(
        corpus,
        G,
        f"role-{role}",
        f"{G.nodes[role][TITLE]}: tasks, elements and counterparts",
        "The role (left), its tasks, the framework elements they carry out, and the strongest "
        "counterparts of those elements in other frameworks (right).",
        _columns_layouts(corpus, G, layers, edges, titles, (190, 80), (128, 0)),
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
    """A node and its neighbours: the alignments and tools on the right, the rest on the left.

    With more than :data:`LOCAL_LIMIT` neighbours the view is ``dense``: its page lists them
    instead of drawing them (the records are still made, for that list). ``U`` is the
    undirected simple graph of ``G``; pass it when drawing many local maps.
    """
    if U is None:
        U = undirected(G)
    edges = []
    for v in sorted(U[n]):
        edge = _strongest_edge(G, n, v)
        if edge is not None:
            edges.append(edge)
    near = [v for u, w, _ in edges for v in (u, w) if v != n]
    aligned = {
        v for u, w, d in edges for v in (u, w) if v != n and d[RELATION] in (MAPS_TO, AUTOMATES)
    }

    def key(v: str) -> tuple[Any, ...]:
        return (_fw_order(corpus, v), _kind_rank(G, v), G.nodes[v][TITLE])

    left = sorted((v for v in near if v not in aligned), key=key)
    right = sorted(aligned, key=key)
    if not left or not right:  # one kind of neighbour only: share them out
        both = left or right
        left, right = both[::2], both[1::2]
    columns = [left, [n], right] if left else [[n], right]
    sides = ["left", "above", "right"] if left else ["above", "right"]
    labels = _labels(corpus, [v for c in columns for v in c])
    neighbours = _neighbours(edges)
    layouts = {
        name: columns_layout(columns, labels, neighbours, label_width=width, gap=gap, sides=sides)
        for name, width, gap in ((_WIDE, 170, 64), (_NARROW, 92, 26))
    }
    return _view(
        corpus,
        G,
        f"local-{n}",
        G.nodes[n][TITLE],
        "",
        layouts,
        edges,
        prefix="",
        current=n,
        dense=len(near) > LOCAL_LIMIT,
    )


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


def members_of(blocks: Iterable[Block]) -> list[str]:
    """Return the nodes of ``blocks`` in order."""
    return [n for block in blocks for _, members in block.groups for n in members]


def _stage_ancestor(corpus: Corpus, n: str, stages: list[str]) -> str | None:
    return next((node.id for node in corpus.lineage(n) if node.id in stages), None)


def _groups(
    corpus: Corpus,
    G: nx.MultiDiGraph,
    members: Sequence[str],
    styles: dict[str, dict[str, Any]],
    stage: str | None = None,
) -> list[tuple[str, list[str]]]:
    """Split ``members`` by framework, in the frameworks' order, each group in reading order
    (the stage itself first)."""
    by_fw: dict[str, list[str]] = {}
    for n in members:
        by_fw.setdefault(_fw(G, n), []).append(n)
    groups = []
    for fw in sorted(by_fw, key=lambda f: (styles.get(f, fallback_style(f))["order"], f)):
        ordered = sorted(by_fw[fw], key=lambda n: (n != stage, _kind_rank(G, n), G.nodes[n][TITLE]))
        groups.append((str(styles.get(fw, {}).get("short", fw)), ordered))
    return groups


# -----------------------------------------------------------------------------
# Records


def map_json(view: MapView) -> str:
    """Return what a map's page ships, as compact JSON safe inside ``<script>``.

    >>> "<" in map_json(MapView("x", "t", "d", [{"id": "a", "name": "</script><b>"}]))
    False
    """
    data = {
        "id": view.id,
        "nodes": view.nodes,
        "edges": view.edges,
        "layouts": view.layouts,
        "frameworks": view.frameworks,
        "relations": {
            rel: {
                "label": s.label,
                "back": s.back,
                "dashes": list(s.dashes) or False,
                "light": s.light,
                "dark": s.dark,
                "arrow": s.arrow,
            }
            for rel, s in RELATION_STYLE.items()
            if any(e["relation"] == rel for e in view.edges)
        },
        "palette": PALETTE,
        "prefix": view.prefix,
        "current": view.current,
    }
    # Only a map with elements an overlay marks carries their colours.
    tints = {
        k: {"light": list(TINTS[k].light), "dark": list(TINTS[k].dark)} for k in _tints_used(view)
    }
    if tints:
        data["tints"] = tints
    return script_json(data)


def map_page_context(view: MapView) -> dict[str, Any]:
    """Return what the map page templates need besides the JSON: legend, names and counts."""
    return {
        "view": view,
        "data": map_json(view),
        "names": sorted({n["name"] for n in view.nodes}),
        "frameworks": [
            {"id": fw, **style, "tint": _framework_tint(view, fw)}
            for fw, style in sorted(view.frameworks.items(), key=lambda kv: kv[1]["order"])
        ],
        "relations": [
            {
                "id": rel,
                "label": style.label,
                "light": style.light,
                "dark": style.dark,
                "dash": " ".join(str(x) for x in style.dashes),
            }
            for rel, style in RELATION_STYLE.items()
            if any(e["relation"] == rel for e in view.edges)
        ],
        "strengths": any("strength" in e for e in view.edges),
        # Legend entries for what an overlay marks, only on a map that shows such elements.
        "tints": [
            {
                "id": key,
                "label": TINTS[key].label,
                "hint": TINTS[key].hint,
                "light": TINTS[key].light,
                "dark": TINTS[key].dark,
            }
            for key in _tints_used(view)
        ],
        "node_count": len(view.nodes),
        "edge_count": len(view.edges),
        "neighbours": _neighbour_list(view),
    }


def _framework_tint(view: MapView, framework: str) -> Tint | None:
    """Return the tint every node of ``framework`` on the map is drawn with, if they share one
    (an overlay's own framework: all its elements are local), so that its legend swatch shows
    the colours its nodes have in each scheme; None when its nodes keep the framework colour."""
    tints = {n.get("tint") for n in view.nodes if n["framework"] == framework}
    if len(tints) == 1 and (key := tints.pop()) is not None:
        return TINTS[key]
    return None


def _tints_used(view: MapView) -> list[str]:
    """Return the overlay tints the map's nodes carry, in :data:`TINTS` order."""
    used = {n.get("tint") for n in view.nodes}
    return [key for key in TINTS if key in used]


def _view(
    corpus: Corpus,
    G: nx.MultiDiGraph,
    view_id: str,
    title: str,
    description: str,
    layouts: dict[str, Layout],
    edges: Iterable[tuple[str, str, dict[str, Any]]],
    *,
    prefix: str,
    current: str | None = None,
    dense: bool = False,
) -> MapView:
    styles = framework_styles(corpus)
    wide, narrow = layouts[_WIDE], layouts[_NARROW]
    nodes = []
    for n in sorted(wide.positions):
        data = G.nodes[n]
        record: dict[str, Any] = {
            "id": n,
            "name": str(data[TITLE]),
            "kind": str(data[KIND]),
            "framework": _style_key(G, n),
            "summary": _brief(str(data[SUMMARY]), 110),
            "size": CURRENT_SIZE if n == current else NODE_SIZE,
            _WIDE: _placement(wide, n),
            _NARROW: _placement(narrow, n, same_as=wide),
        }
        node = corpus.by_id.get(n)
        if node is not None and node.aliases:
            record["aliases"] = list(node.aliases)
        tint = overlay_tint(data)  # an organisation's own element, or one it has not adopted
        if tint is not None:
            record["tint"] = tint
        nodes.append(record)
    index = {record["id"]: i for i, record in enumerate(nodes)}
    edge_records = []
    for u, v, d in sorted(edges, key=lambda e: (e[0], e[1], str(e[2].get(STRM, e[2][RELATION])))):
        strength = int(d.get(STRENGTH) or 0)
        record = {
            # Nodes by their place in ``nodes``: ids repeated on every line weighed a tenth of
            # the overview's page.
            "from": index[u],
            "to": index[v],
            "relation": str(d.get(STRM) or d[RELATION]),
            "width": round(1 + strength / 2.5, 1) if strength else 1,
        }
        if strength:
            record["strength"] = strength
        rationale = _brief(str(d.get("rationale") or d.get("reason") or ""), 90)
        if rationale:
            record["rationale"] = rationale
        bends = {name: layout.bend(u, v) for name, layout in layouts.items()}
        if any(bends.values()):
            record["bend"] = {name: bend for name, bend in bends.items() if bend}
        edge_records.append(record)
    used = {n["framework"] for n in nodes}
    return MapView(
        view_id,
        title,
        description,
        nodes,
        edge_records,
        {_WIDE: wide.record(), _NARROW: narrow.record()},
        {fw: styles.get(fw, fallback_style(fw)) for fw in sorted(used)},
        prefix,
        current,
        dense,
    )


def _placement(layout: Layout, n: str, same_as: Layout | None = None) -> list[Any]:
    """Return ``[x, y, label lines]`` of ``n`` in ``layout``, and the label's side when it is
    not to the right of the node. The lines are ``0`` when they are those of ``same_as``."""
    x, y = layout.positions[n]
    side = layout.sides.get(n, "right")
    text: str | int = "\n".join(layout.lines[n])
    if same_as is not None and same_as.lines[n] == layout.lines[n]:
        text = 0
    return [x, y, text] + ([side] if side != "right" else [])


def _columns_layouts(
    corpus: Corpus,
    G: nx.MultiDiGraph,
    columns: list[list[str]],
    edges: Sequence[tuple[str, str, dict[str, Any]]],
    titles: list[str],
    wide: tuple[int, int],
    narrow: tuple[int, int],
) -> dict[str, Layout]:
    """Lay ``columns`` out side by side (wide), and for phones either the same with narrower
    labels (two columns) or stacked blocks, one per column, grouped by framework (more).

    ``wide`` and ``narrow`` are (label width, gap between columns).
    """
    labels = _labels(corpus, [n for c in columns for n in c])
    neighbours = _neighbours(edges)
    two = len(columns) == 2
    sides = ["left", "right"] if two else ["right"] * len(columns)

    def columns_at(size: tuple[int, int], titles: list[str]) -> Layout:
        return columns_layout(
            columns,
            labels,
            neighbours,
            label_width=size[0],
            gap=size[1],
            sides=sides,
            titles=titles,
        )

    layouts = {_WIDE: columns_at(wide, titles)}
    if two:
        layouts[_NARROW] = columns_at(narrow, [_short_title(corpus, G, c[0]) for c in columns])
    else:
        styles = framework_styles(corpus)
        blocks = [
            Block(title, _groups(corpus, G, column, styles) if i > 1 else [("", column)])
            for i, (title, column) in enumerate(zip(titles, columns, strict=True))
        ]
        layouts[_NARROW] = blocks_layout(blocks, labels, label_width=narrow[0], per_row=2)
        layouts[_NARROW].lines_shown = "selected"  # stacked: every line would cross the labels
    return layouts


def _short_title(corpus: Corpus, G: nx.MultiDiGraph, n: str) -> str:
    fw = _fw(G, n)
    return corpus[fw].short or corpus[fw].title if fw in corpus else fw


def _labels(corpus: Corpus, nodes: Iterable[str]) -> dict[str, str]:
    return {n: short_name(corpus[n]) if n in corpus else n for n in nodes}


def _neighbours(edges: Iterable[tuple[str, str, Any]]) -> dict[str, set[str]]:
    near: dict[str, set[str]] = {}
    for u, v, _ in edges:
        near.setdefault(u, set()).add(v)
        near.setdefault(v, set()).add(u)
    return near


def _between_layers(
    G: nx.MultiDiGraph, layers: Sequence[Sequence[str]]
) -> list[tuple[str, str, dict[str, Any]]]:
    """Return the lines the map shows between neighbouring layers (within a layer or across
    two, a line would run through labels)."""
    layer = {n: i for i, members in enumerate(layers) for n in members}
    return [
        (u, v, d)
        for u, v, d in _edges_among(G, layer, part_of=True)
        if abs(layer[u] - layer[v]) == 1
    ]


#: Which line a local map draws between two nodes linked in several ways, best first. Links
#: in the text are left out: the page itself shows them, and they would crowd the map.
_LOCAL_PRIORITY = (MAPS_TO, AUTOMATES, PART_OF, PERFORMS, ACCOUNTABLE_FOR, CARRIES_OUT, USES)


def _strongest_edge(G: nx.MultiDiGraph, n: str, v: str) -> tuple[str, str, dict[str, Any]] | None:
    """Return the one line a local map draws between ``n`` and ``v``, or None."""
    found = [
        (u, w, d)
        for u, w in ((n, v), (v, n))
        for d in (G.get_edge_data(u, w) or {}).values()
        if not d.get(DERIVED) and d[RELATION] in _LOCAL_PRIORITY
    ]
    if not found:
        return None
    return min(
        found,
        key=lambda e: (_LOCAL_PRIORITY.index(e[2][RELATION]), -int(e[2].get(STRENGTH) or 0), e[0]),
    )


def _neighbour_list(view: MapView) -> list[dict[str, Any]]:
    """Return a dense local map's neighbours as groups by framework, for a list on its page."""
    if not view.dense:
        return []
    groups: dict[str, list[dict[str, Any]]] = {}
    for node in sorted(view.nodes, key=lambda n: n["name"]):
        if node["id"] != view.current:
            groups.setdefault(node["framework"], []).append(node)
    return [
        {"title": view.frameworks[fw]["title"], "nodes": groups[fw]}
        for fw in sorted(groups, key=lambda f: view.frameworks[f]["order"])
    ]


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
    G: nx.MultiDiGraph, nodes: Iterable[str], *, part_of: bool = False
) -> list[tuple[str, str, dict[str, Any]]]:
    """Return the alignments and automations (and part-of lines) between ``nodes``."""
    return [
        (u, v, d)
        for u, v, d in G.subgraph(nodes).edges(data=True)
        if (d[RELATION] == MAPS_TO and not d[DERIVED])
        or d[RELATION] == AUTOMATES
        or (part_of and d[RELATION] == PART_OF)
    ]


def _fw(G: nx.MultiDiGraph, n: str) -> str:
    return str(G.nodes[n][FRAMEWORK] or n)


def _style_key(G: nx.MultiDiGraph, n: str) -> str:
    """Return the key of ``n``'s style: its framework, or :data:`NO_FRAMEWORK`."""
    data = G.nodes[n]
    if data[FRAMEWORK]:
        return str(data[FRAMEWORK])
    return n if data[KIND] == "framework" else NO_FRAMEWORK


def _fw_order(corpus: Corpus, n: str) -> int:
    node = corpus.by_id.get(n)
    fw = corpus.by_id.get(node.framework or "") if node else None
    return fw.order if fw is not None and fw.order is not None else 99


def _kind_rank(G: nx.MultiDiGraph, n: str) -> int:
    kind = str(G.nodes[n][KIND])
    return _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER)


def _reading_key(corpus: Corpus, n: str) -> tuple[Any, ...]:
    """Order elements as their framework reads: by the chain of (order, title) from the top."""
    chain = [
        (node.order if node.order is not None else 99, node.title) for node in corpus.lineage(n)
    ]
    return tuple(chain[::-1])
