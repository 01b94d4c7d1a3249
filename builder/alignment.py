"""Queries over the alignment graph: counterparts, gaps, coverage, paths, name lookup.

Pure functions of the corpus and its graph, shared by the crosswalk pages and the CLI's
``map``, ``path``, ``gaps`` and ``coverage`` commands.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx

from builder.errors import AmbiguousName
from builder.graph import (
    AUTOMATES,
    DERIVED,
    LINKS_TO,
    MAPS_TO,
    PART_OF,
    RATIONALE,
    REASON,
    RELATION,
    STRENGTH,
    STRM,
)
from builder.model import Corpus, Guidance, Mapping, MappingFile

__all__ = [
    "ELEMENT_KINDS",
    "WEAK",
    "AmbiguousName",
    "Coverage",
    "Gap",
    "Hop",
    "coverage",
    "elements_of",
    "gaps",
    "pair_records",
    "path",
    "resolve",
]

#: Kinds that a crosswalk covers (roles are reported on their own).
ELEMENT_KINDS = frozenset(
    {
        "process",
        "function",
        "smf",
        "review",
        "quadrant",
        "track",
        "milestone",
        "discipline",
        "component",
        "capability",
        "accountability",
    }
)
#: How each structural relation reads when a path walks it backwards.
REVERSED = {
    PART_OF: "contains",
    AUTOMATES: "is automated by",
    LINKS_TO: "is linked from",
    "performs": "is performed by",
    "accountable-for": "is answered for by",
    "carries-out": "is carried out by",
    "uses": "is used by",
    "unifies": "is unified by",
    "in-stage": "contains the task",
}
#: An alignment this weak or weaker does not count as coverage, unless the element lies inside
#: its counterpart (``equal`` or ``subset-of`` read from its side): strength measures the share
#: of the two scopes together, so a narrow process inside a broad function scores 2 or 3 and is
#: still wholly covered (AUTHORING.md, "Relations and strength").
WEAK = 2
#: Relations, read from an element's side, that put the whole element inside its counterpart.
CONTAINED = frozenset({"equal", "subset-of"})


@dataclass(frozen=True, slots=True)
class Gap:
    """An element with no counterpart in the other framework, or only weak ones."""

    id: str
    title: str
    group: str
    best: int
    reason: str


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of one framework a pair file covers."""

    framework: str
    other: str
    elements: int
    covered: int
    weak: int
    no_relation: int

    @property
    def share(self) -> float:
        return self.covered / self.elements if self.elements else 0.0


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of a path: from, to, and the typed edge between them, read in path order."""

    source: str
    target: str
    relation: str
    detail: str


# -----------------------------------------------------------------------------


def resolve(corpus: Corpus, name: str) -> str:
    """Return the id named by ``name``: an id, a title, or a unique title prefix.

    Raises:
        AmbiguousName: nothing or several nodes match; the exception lists candidates.
    """
    key = name.strip().lower()
    if key in corpus.by_id:
        return key
    exact = [n for n in corpus if n.title.lower() == key]
    if len(exact) == 1:
        return exact[0].id
    prefix = exact or [n for n in corpus if n.title.lower().startswith(key)]
    if len(prefix) == 1:
        return prefix[0].id
    if prefix:
        raise AmbiguousName(name, sorted((n.id, n.title) for n in prefix))
    titles = {n.title.lower(): n for n in corpus}
    close = difflib.get_close_matches(key, [*titles, *corpus.by_id], n=5, cutoff=0.6)
    found = [titles[c] if c in titles else corpus[c] for c in close]
    raise AmbiguousName(name, [(n.id, n.title) for n in found])


def elements_of(
    corpus: Corpus, framework: str, kinds: frozenset[str] = ELEMENT_KINDS
) -> list[Guidance]:
    """Return the elements of ``framework`` whose kind is in ``kinds``, in reading order."""
    return sorted(
        (n for n in corpus if n.framework == framework and n.kind in kinds),
        key=lambda n: (_group_key(corpus, n), n.order if n.order is not None else 99, n.title),
    )


def pair_records(corpus: Corpus, a: str, b: str) -> list[Mapping]:
    """Return the alignment records between frameworks ``a`` and ``b``, as written."""
    files = {f.location.path for f in corpus.mapping_files if set(f.framework_ids) == {a, b}}
    return [r for r in corpus.mappings if r.location.path in files]


def best_alignments(
    corpus: Corpus, records: list[Mapping], framework: str
) -> dict[str, tuple[int, Mapping]]:
    """Return each element's best record, read from its side, with its score (no-relation: 0).

    A record that puts the element inside its counterpart comes first, then the strongest.
    """
    best: dict[str, tuple[int, Mapping]] = {}
    for record in records:
        for side in (record, record.inverse()):
            node = corpus.by_id.get(side.source)
            if node is None or _framework(node) != framework:
                continue
            score = 0 if side.relation == "no-relation" else side.strength
            held = best.get(side.source)
            if held is None or _rank(score, side) > _rank(*held):
                best[side.source] = (score, side)
    return best


def _rank(score: int, record: Mapping) -> tuple[bool, int]:
    return record.relation in CONTAINED, score


def is_covered(score: int, record: Mapping | None) -> bool:
    """True when an element's best record counts as a counterpart (not weak, not a gap)."""
    return record is not None and (record.relation in CONTAINED or score > WEAK)


def gaps(
    corpus: Corpus, source: str, target: str, kinds: frozenset[str] = ELEMENT_KINDS
) -> Iterator[Gap]:
    """Yield the elements of ``source`` with no counterpart in ``target``, or only weak ones."""
    best = best_alignments(corpus, pair_records(corpus, source, target), source)
    for node in elements_of(corpus, source, kinds):
        score, record = best.get(node.id, (0, None))
        if is_covered(score, record):
            continue
        if record is None:
            reason = "No alignment record names this element yet."
        else:
            reason = record.rationale
        yield Gap(node.id, node.title, _group_title(corpus, node), score, reason)


def coverage(
    corpus: Corpus, a: str, b: str, kinds: frozenset[str] = ELEMENT_KINDS
) -> list[Coverage]:
    """Return the coverage of each side of the pair (a, b)."""
    records = pair_records(corpus, a, b)
    result = []
    for side, other in ((a, b), (b, a)):
        best = best_alignments(corpus, records, side)
        nodes = elements_of(corpus, side, kinds)
        states = [_state(*best.get(n.id, (0, None))) for n in nodes]
        no_relation = sum(
            1 for n in nodes if n.id in best and best[n.id][1].relation == "no-relation"
        )
        result.append(
            Coverage(
                framework=side,
                other=other,
                elements=len(nodes),
                covered=states.count("covered"),
                weak=states.count("weak"),
                no_relation=no_relation,
            )
        )
    return result


def coverage_by_group(
    corpus: Corpus, a: str, b: str, kinds: frozenset[str] = ELEMENT_KINDS
) -> list[dict[str, Any]]:
    """Return, per stage/phase of ``a``, how many elements are covered, weak and gaps."""
    best = best_alignments(corpus, pair_records(corpus, a, b), a)
    groups: dict[str, dict[str, Any]] = {}
    for node in elements_of(corpus, a, kinds):
        title = _group_title(corpus, node)
        row = groups.setdefault(title, {"group": title, "covered": 0, "weak": 0, "gap": 0})
        row[_state(*best.get(node.id, (0, None)))] += 1
    return list(groups.values())


def _state(score: int, record: Mapping | None) -> str:
    """ "covered", "weak" (a counterpart of strength WEAK or less) or "gap"."""
    if is_covered(score, record):
        return "covered"
    return "weak" if score > 0 else "gap"


def path(G: nx.MultiDiGraph, a: str, b: str) -> list[Hop]:
    """Return the shortest chain of typed edges between two nodes, explained hop by hop.

    Alignment, part-of, automation and task edges cost 1; plain page links cost 3, so a chain
    of typed relations is preferred.

    Raises:
        nx.NetworkXNoPath: the two nodes are not connected.
    """
    U = nx.Graph()
    U.add_nodes_from(G.nodes)
    for u, v, d in G.edges(data=True):
        weight = 3 if d[RELATION] == LINKS_TO else 1
        if not U.has_edge(u, v) or U[u][v]["weight"] > weight:
            U.add_edge(u, v, weight=weight)
    nodes = nx.shortest_path(U, a, b, weight="weight")
    return [_hop(G, u, v) for u, v in itertools.pairwise(nodes)]


# -----------------------------------------------------------------------------


def _hop(G: nx.MultiDiGraph, u: str, v: str) -> Hop:
    """Describe the best edge between u and v, in the direction of travel."""
    candidates = [(u, v, d) for d in G.get_edge_data(u, v, default={}).values()]
    candidates += [(v, u, d) for d in G.get_edge_data(v, u, default={}).values()]
    rank = {MAPS_TO: 0, AUTOMATES: 1, PART_OF: 2, LINKS_TO: 9}
    src, _, d = min(
        candidates, key=lambda e: (rank.get(e[2][RELATION], 3), bool(e[2].get(DERIVED)), e[0] != u)
    )
    if d[RELATION] == MAPS_TO:
        if src != u:  # read the record from u's side
            d = next(x for x in G.get_edge_data(u, v).values() if x[RELATION] == MAPS_TO)
        relation = str(d[STRM])
        detail = f"strength {d[STRENGTH]}/10: {d[RATIONALE]}"
    else:
        relation = (
            str(d[RELATION])
            if src == u
            else REVERSED.get(str(d[RELATION]), f"reverse of {d[RELATION]}")
        )
        detail = str(d.get(REASON) or "")
    return Hop(u, v, relation, detail)


def _framework(node: Guidance) -> str:
    return node.id if node.kind == "framework" else node.framework or ""


def _group_title(corpus: Corpus, node: Guidance) -> str:
    parent = corpus.by_id.get(node.parent or "")
    if parent is None or parent.kind == "framework":
        return "Other elements" if node.kind != "role" else "Roles"
    return parent.title


def _group_key(corpus: Corpus, node: Guidance) -> tuple[int, str]:
    parent = corpus.by_id.get(node.parent or "")
    if parent is None:
        return (999, "")
    return (parent.order if parent.order is not None else 99, parent.title)


def pair_files(corpus: Corpus) -> list[MappingFile]:
    """Return one header per framework pair (several files may share a pair), sorted."""
    seen: dict[frozenset[str], MappingFile] = {}
    for header in sorted(corpus.mapping_files, key=lambda f: f.framework_ids):
        seen.setdefault(frozenset(header.framework_ids), header)
    return list(seen.values())
