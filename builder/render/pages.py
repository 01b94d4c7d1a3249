"""The page of every node (element, role, task, guide, template), and redirects from former ids.

Output is deterministic: every iteration is sorted and nothing carries a timestamp, so the
generated tree can be compared with golden files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import jinja2
import networkx as nx

from builder.graph import (
    AUTOMATES,
    FRAMEWORK,
    LINKS_TO,
    REASON,
    RELATION,
    STRENGTH,
    STRM,
    TITLE,
    counterparts,
)
from builder.model import RELATION_WORDS, Corpus, Guidance
from builder.render.anatomy import FORM_TEMPLATE, anatomy_context, form_context
from builder.render.diagrams import lifecycle_svg
from builder.render.glossary import abbreviations_in, acronym_pattern
from builder.render.mappages import render_local_map
from builder.render.maps import undirected
from builder.render.mdtext import cell, md, resolve_links
from builder.render.nav import Rendered
from builder.render.order import (
    PEOPLE_KINDS,
    children_of,
    framework_title,
    kind_label,
    title_key,
)
from builder.render.overlay import overlay_body
from builder.render.relevance import Relevance
from builder.render.roles import persona_work

__all__ = ["Related", "render_node_pages", "render_redirects"]

#: The ids of related pages by node id (from more-like-this), or a function that returns them.
Related = Mapping[str, list[str]] | Callable[[], Mapping[str, list[str]]] | None

#: Where a page's "Similar guidance" goes until the related pages are known.
SIMILAR_SLOT = "\x00similar-guidance\x00"
#: A group of related pages longer than this starts collapsed.
COLLAPSE = 15


def render_node_pages(
    env: jinja2.Environment,
    corpus: Corpus,
    G: nx.MultiDiGraph,
    on_overview: set[str],
    related: Related = None,
) -> Rendered:
    """Return ``{id}.md`` for every node: its page, then its local map (a template's page, a
    form to print, has none: its "Used by" list links the same pages).

    Each page is rendered with a slot for its "Similar guidance"; ``related`` is asked for
    only once every page is rendered, as the caller may still be computing it. The pages'
    nav entries are the element tree, :func:`builder.render.nav.element_nav`.
    """
    simple = undirected(G)
    acronyms = acronym_pattern(corpus.glossary)
    texts = {
        node.id: _render_node(env, corpus, G, node, SIMILAR_SLOT, acronyms)
        + (
            ""
            if node.kind == "template"
            else render_local_map(env, corpus, G, node, node.id in on_overview, simple)
        )
        for node in sorted(corpus, key=lambda n: n.id)
    }
    # Only candidates close enough in what they say are shown (see builder/render/relevance.py).
    relevance = Relevance(corpus)
    similar_ids = (related() if callable(related) else related) or {}
    files: dict[str, str] = {}
    for node_id, text in texts.items():
        candidates = [i for i in similar_ids.get(node_id, []) if i in corpus]
        similar = [corpus[i] for i in relevance.above(node_id, candidates)]
        section = _render_similar(env, corpus, similar)
        files[f"{node_id}.md"] = text.replace(SIMILAR_SLOT, section, 1)
    return Rendered(files)


def render_redirects(env: jinja2.Environment, corpus: Corpus) -> Rendered:
    """Return ``{old}.html`` for every former id of a node: a page that sends readers on."""
    template = env.get_template("redirect.html.j2")
    return Rendered(
        {
            f"{old}.html": template.render(title=node.title, target=f"{node.id}.html")
            for node in sorted(corpus, key=lambda n: n.id)
            for old in node.former_ids
        }
    )


def _render_similar(env: jinja2.Environment, corpus: Corpus, similar: list[Guidance]) -> str:
    related = [
        {
            "id": r.id,
            "title": r.title,
            "summary": r.summary,
            "what": ", ".join(
                [kind_label(r.kind).lower()]
                + ([framework_title(corpus, r.framework)] if r.framework else [])
            ),
        }
        for r in similar
    ]
    return env.get_template("similar.md.j2").render(related=related)


def _render_node(
    env: jinja2.Environment,
    corpus: Corpus,
    G: nx.MultiDiGraph,
    node: Guidance,
    similar: str,
    acronyms: re.Pattern[str] | None = None,
) -> str:
    """Render an element, role or task page; ``similar`` is its "Similar guidance" section
    (see :func:`_render_similar`), or a slot to put it in later."""
    framework = corpus.by_id.get(node.framework or "") if node.kind != "framework" else None
    persona = node.kind == "role" and not node.framework
    body = resolve_links(corpus, overlay_body(node)).strip()
    automates, automated_by = _automation(corpus, G, node)
    page = FORM_TEMPLATE if node.kind == "template" else "node.md.j2"
    return env.get_template(page).render(
        anatomy=anatomy_context(corpus, G, node),
        form=form_context(corpus, G, node) if node.kind == "template" else None,
        node=node,
        tags=[kind_label(node.kind)]
        + (
            [framework.title]
            if framework is not None
            else [node.title]
            if node.kind == "framework"
            else []
        ),
        facts=_extra_facts(corpus, node),
        show_counterparts=node.kind not in ("task", "guide", "case-study") and not persona,
        work=persona_work(corpus, node) if persona else None,
        diagram=lifecycle_svg(corpus, G, current=node.id) if node.kind == "stage" else "",
        similar=similar,
        automates=automates,
        automated_by=automated_by,
        abbreviations=abbreviations_in(
            corpus.glossary, "\n".join([node.title, node.summary, *node.aliases, body]), acronyms
        ),
        crumbs=list(corpus.lineage(node.id))[1:][::-1],  # the parents, from the top down
        kind_label=kind_label(node.kind),
        framework=framework,
        body=body,
        children=children_of(corpus, G, node.id),
        counterparts=_counterpart_rows(corpus, G, node),
        related=_related_sections(corpus, G, node),
        collapse=COLLAPSE,
    )


def _counterpart_rows(corpus: Corpus, G: nx.MultiDiGraph, node: Guidance) -> list[dict[str, Any]]:
    """The node's counterparts in other frameworks, with the relation read from its side."""
    return [
        {
            "id": other,
            "title": G.nodes[other][TITLE],
            "framework": framework_title(corpus, G.nodes[other][FRAMEWORK] or other),
            "relation": RELATION_WORDS[str(data[STRM])],
            "strength": data[STRENGTH],
            "rationale": data["rationale"],
        }
        for other, data in counterparts(G, node.id)
    ]


def _automation(
    corpus: Corpus, G: nx.MultiDiGraph, node: Guidance
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """What the node (a tool) automates, and what automates the node, with the reasons."""
    automates = [
        {
            "id": v,
            "title": corpus[v].title,
            "framework": framework_title(corpus, corpus[v].framework or v),
            "reason": d[REASON],
        }
        for _, v, d in sorted(_automates(G.out_edges(node.id, data=True)), key=lambda e: e[1])
    ]
    automated_by = [
        {"id": u, "title": corpus[u].title, "reason": d[REASON]}
        for u, _, d in sorted(_automates(G.in_edges(node.id, data=True)), key=lambda e: e[0])
    ]
    return automates, automated_by


def _automates(edges: Iterable[tuple[str, str, dict[str, Any]]]) -> list[tuple[str, str, Any]]:
    return [e for e in edges if e[2][RELATION] == AUTOMATES]


def _related_sections(corpus: Corpus, G: nx.MultiDiGraph, node: Guidance) -> list[dict[str, Any]]:
    """The roles and tasks next to the node in the graph, and the other pages that link to it;
    an empty section is left out."""
    # Each section sorts its members by title (and id): the order they come in is immaterial.
    near = {corpus[v] for v in (*G.successors(node.id), *G.predecessors(node.id))}
    people = [n for n in near if n.kind in PEOPLE_KINDS and n.id != node.id]
    backlinks = sorted(
        {corpus[u] for u, _, d in G.in_edges(node.id, data=True) if d[RELATION] == LINKS_TO},
        key=title_key,
    )
    sections = (
        _related_section(corpus, node, "Related roles and tasks", people),
        _related_section(
            corpus, node, "Referenced by", [b for b in backlinks if b.kind not in PEOPLE_KINDS]
        ),
    )
    return [s for s in sections if s["groups"]]


def _related_section(
    corpus: Corpus, node: Guidance, title: str, members: list[Guidance]
) -> dict[str, Any]:
    """A list of related pages grouped by kind; a persona is told apart from a framework role
    of the same name, and a page of another framework says which one."""
    groups: dict[str, list[dict[str, str]]] = {}
    for m in sorted(set(members), key=title_key):
        if m.kind == "role":
            label = "Framework roles" if m.framework else "IT pro roles"
        else:
            label = kind_label(m.kind, plural=True)
        note = framework_title(corpus, m.framework) if m.framework else ""
        if m.framework == node.framework and m.kind != "role":
            note = ""
        groups.setdefault(label, []).append({"id": m.id, "title": m.title, "note": note})
    order = ["IT pro roles", "Framework roles", kind_label("task", plural=True)]
    ranked = sorted(groups, key=lambda g: (order.index(g) if g in order else len(order), g))
    return {"title": title, "groups": [{"label": g, "items": groups[g]} for g in ranked]}


def _extra_facts(corpus: Corpus, node: Guidance) -> list[tuple[str, str]]:
    """Rows added to a persona's or task's facts table, as (label, Markdown) pairs."""

    def links(ids: tuple[str, ...]) -> str:
        return ", ".join(f"[{md(corpus[i].title)}]({i}.md)" for i in ids if i in corpus)

    rows: list[tuple[str, str]] = []
    if node.sits:
        rows.append(("Unifies", links(node.sits)))
    if node.kind == "task":
        rows += [
            ("Performed by", links(node.performer)),
            ("Accountable", links((node.accountable,) if node.accountable else ())),
            ("Lifecycle stage", links((node.stage,) if node.stage else ())),
            ("Carries out", links(node.carries_out)),
            ("Tools", links(node.tools)),
            ("Trigger", cell(node.trigger or "")),
            ("Frequency", cell(node.frequency or "")),
            ("Inputs", cell("; ".join(node.inputs))),
            ("Outputs", cell("; ".join(node.outputs))),
        ]
    return [(label, value) for label, value in rows if value]
