"""The one graph of the portal: guidance nodes joined by structural links and alignments.

``build_graph(corpus)`` returns a :class:`networkx.MultiDiGraph` whose node ids are the stable
string ids of the content. Attribute names are the module constants below. Every alignment
record gives a typed edge ``source -> target`` and a derived inverse ``target -> source``
(``derived=True``), so a node's counterparts are simply its outgoing ``maps-to`` edges.

The graph checks are pure functions over such a graph, returning generators.
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from builder.model import Corpus, Mapping

__all__ = [
    "ACCOUNTABLE_FOR",
    "AUTOMATES",
    "BASIS",
    "CARRIES_OUT",
    "DERIVED",
    "FRAMEWORK",
    "IN_STAGE",
    "KIND",
    "LINKS_TO",
    "MAPS_TO",
    "PART_OF",
    "PERFORMS",
    "RATIONALE",
    "REASON",
    "RELATION",
    "STRENGTH",
    "STRM",
    "SUMMARY",
    "TASK_EDGES",
    "TITLE",
    "UNIFIES",
    "URL",
    "USED_BY",
    "USES",
    "build_graph",
    "counterparts",
    "orphans",
    "part_of_cycles",
    "url_of",
]

# Node attributes.
KIND = "kind"
TITLE = "title"
FRAMEWORK = "framework"
URL = "url"
SUMMARY = "summary"
# Edge attributes.
RELATION = "relation"
STRM = "strm"
STRENGTH = "strength"
BASIS = "basis"
RATIONALE = "rationale"
DERIVED = "derived"
# Edge relations (the value of RELATION).
PART_OF = "part-of"
LINKS_TO = "links-to"
MAPS_TO = "maps-to"
AUTOMATES = "automates"
REASON = "reason"
PERFORMS = "performs"
ACCOUNTABLE_FOR = "accountable-for"
CARRIES_OUT = "carries-out"
USES = "uses"
UNIFIES = "unifies"
IN_STAGE = "in-stage"
#: From a template to the process, function, SMF, review or task that uses it.
USED_BY = "used-by"
#: The structural edge each persona/task reference field gives: (relation, edge points from the task).
TASK_EDGES: dict[str, tuple[str, bool]] = {
    "sits": (UNIFIES, True),
    "performer": (PERFORMS, False),
    "accountable": (ACCOUNTABLE_FOR, False),
    "stage": (IN_STAGE, True),
    "carries_out": (CARRIES_OUT, True),
    "tools": (USES, True),
    "used_by": (USED_BY, True),
}


def url_of(node_id: str) -> str:
    """Return the site-relative URL of a node's page: it depends on the id alone."""
    return f"{node_id}.html"


def build_graph(corpus: Corpus) -> nx.MultiDiGraph:
    """Build the graph of ``corpus``; references to unknown ids are left out (validate reports them)."""
    G = nx.MultiDiGraph()
    for node in corpus:
        G.add_node(
            node.id,
            **{
                KIND: node.kind,
                TITLE: node.title,
                FRAMEWORK: node.framework or "",
                URL: url_of(node.id),
                SUMMARY: node.summary,
            },
        )
    for node in corpus:
        if node.parent in corpus and node.parent != node.id:
            G.add_edge(node.id, node.parent, key=PART_OF, **{RELATION: PART_OF})
        for item in node.automates:
            if item.target in corpus and item.target != node.id:
                G.add_edge(
                    node.id,
                    item.target,
                    key=AUTOMATES,
                    **{RELATION: AUTOMATES, REASON: item.reason},
                )
        for field, ids in node.references().items():
            relation, outward = TASK_EDGES[field]
            for other in ids:
                if other in corpus and other != node.id:
                    u, v = (node.id, other) if outward else (other, node.id)
                    G.add_edge(u, v, key=relation, **{RELATION: relation})
        for target in sorted({link.target for link in node.links}):
            if target in corpus and target != node.id:
                G.add_edge(node.id, target, key=LINKS_TO, **{RELATION: LINKS_TO})
    for record in corpus.mappings:
        if record.source in corpus and record.target in corpus and record.source != record.target:
            _add_alignment(G, record, derived=False)
            _add_alignment(G, record.inverse(), derived=True)
    return G


def _add_alignment(G: nx.MultiDiGraph, record: Mapping, *, derived: bool) -> None:
    key = f"{MAPS_TO}:{record.relation}"
    if G.has_edge(record.source, record.target, key):
        return
    G.add_edge(
        record.source,
        record.target,
        key=key,
        **{
            RELATION: MAPS_TO,
            STRM: record.relation,
            STRENGTH: record.strength,
            BASIS: record.basis,
            RATIONALE: record.rationale,
            DERIVED: derived,
        },
    )


def counterparts(G: nx.MultiDiGraph, n: str) -> Iterator[tuple[str, dict[str, object]]]:
    """Yield ``(other, edge data)`` for each alignment of ``n``, strongest first.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("b", title="B")
    >>> _ = G.add_edge("a", "b", relation=MAPS_TO, strength=3, strm="intersects-with")
    >>> [(v, d["strm"]) for v, d in counterparts(G, "a")]
    [('b', 'intersects-with')]
    """
    edges = [(v, d) for _, v, d in G.out_edges(n, data=True) if d[RELATION] == MAPS_TO]
    yield from sorted(edges, key=lambda e: (-int(str(e[1][STRENGTH])), G.nodes[e[0]][TITLE]))


def part_of_cycles(G: nx.MultiDiGraph) -> Iterator[list[str]]:
    """Yield each cycle of part-of edges as a list of node ids, smallest id first.

    >>> G = nx.MultiDiGraph([("a", "b", {RELATION: PART_OF}), ("b", "a", {RELATION: PART_OF})])
    >>> list(part_of_cycles(G))
    [['a', 'b']]
    """
    H = nx.DiGraph((u, v) for u, v, d in G.edges(data=True) if d[RELATION] == PART_OF)
    for cycle in nx.simple_cycles(H):
        start = cycle.index(min(cycle))
        yield cycle[start:] + cycle[:start]


def orphans(G: nx.MultiDiGraph) -> Iterator[str]:
    """Yield the nodes, frameworks aside, that no edge of any kind touches.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("lonely", kind="process"); G.add_node("itil", kind="framework")
    >>> list(orphans(G))
    ['lonely']
    """
    for n in sorted(nx.isolates(G)):
        if G.nodes[n].get(KIND) != "framework":
            yield n
