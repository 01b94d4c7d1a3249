"""How the renderers order and name the corpus: reading order, kind labels, stages, children.

Every page, listing and nav section sorts with these keys, so the same nodes come out in the
same order wherever they show.
"""

from __future__ import annotations

import networkx as nx

from builder.graph import PART_OF, RELATION
from builder.model import Corpus, Guidance

__all__ = [
    "PEOPLE_KINDS",
    "by_stage",
    "children_of",
    "framework_title",
    "frameworks_of",
    "kind_label",
    "order_key",
    "stages",
    "title_key",
]

KIND_LABELS = {
    "smf": "Service management function (SMF)",
    "review": "Management review",
    "case-study": "Case study",
    "maturity-level": "Maturity level",
}
#: Kinds whose pages are about people and work rather than framework elements.
PEOPLE_KINDS = ("role", "task")


def kind_label(kind: str, plural: bool = False) -> str:
    """Return the reader-facing name of a kind.

    >>> kind_label("smf"), kind_label("process", plural=True)
    ('Service management function (SMF)', 'Processes')
    """
    label = KIND_LABELS.get(kind, kind.replace("-", " ").capitalize())
    if not plural:
        return label
    if label.endswith(("s", "x")):
        return label + "es"
    if label.endswith("y") and not label.endswith("ay"):
        return label[:-1] + "ies"
    return label + "s" if not label.endswith(")") else label.replace(" (", "s (", 1)


def order_key(n: Guidance) -> tuple[int, str, str]:
    """Reading order: the ``order`` the content gives, then the title."""
    return (n.order if n.order is not None else 10_000, n.title.lower(), n.id)


def title_key(n: Guidance) -> tuple[str, str]:
    """Alphabetical order of titles."""
    return (n.title.lower(), n.id)


def frameworks_of(corpus: Corpus) -> list[Guidance]:
    """Return the framework nodes in reading order."""
    return sorted((n for n in corpus if n.kind == "framework"), key=order_key)


def framework_title(corpus: Corpus, framework_id: str) -> str:
    """The title of a framework, or its id when the corpus has no such node."""
    node = corpus.by_id.get(framework_id)
    return node.title if node is not None else framework_id


def children_of(corpus: Corpus, G: nx.MultiDiGraph, node_id: str) -> list[Guidance]:
    """Return the nodes that are part of ``node_id``, in reading order."""
    kids = [corpus[u] for u, _, d in G.in_edges(node_id, data=True) if d[RELATION] == PART_OF]
    return sorted(kids, key=order_key)


def stages(corpus: Corpus) -> list[Guidance]:
    """The ITIL stages in lifecycle order."""
    return sorted((n for n in corpus if n.kind == "stage"), key=order_key)


def by_stage(corpus: Corpus, tasks: list[Guidance]) -> list[tuple[Guidance | None, list[Guidance]]]:
    """``tasks`` grouped by their stage, in lifecycle order, keeping their order in a group;
    the tasks with no stage of the corpus last, under ``None``. Empty groups are left out."""
    ordered_stages = stages(corpus)
    known = {s.id for s in ordered_stages}
    groups: dict[str | None, list[Guidance]] = {}
    for t in tasks:
        groups.setdefault(t.stage if t.stage in known else None, []).append(t)
    ordered: list[tuple[Guidance | None, list[Guidance]]] = [
        (s, groups[s.id]) for s in ordered_stages if s.id in groups
    ]
    if None in groups:
        ordered.append((None, groups[None]))
    return ordered
