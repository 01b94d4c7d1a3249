"""Render the docs tree: one Markdown page per node, listings, the home page, redirects.

Output is deterministic: every iteration is sorted and nothing carries a timestamp, so the
generated tree can be compared with golden files.
"""

from __future__ import annotations

import html
import json
import logging
import re
import shutil
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx

from builder.fsutil import write_text
from builder.graph import (
    AUTOMATES,
    FRAMEWORK,
    KIND,
    LINKS_TO,
    PART_OF,
    REASON,
    RELATION,
    STRENGTH,
    STRM,
    TITLE,
    counterparts,
)
from builder.jsontext import script_json
from builder.load.content import LINK, body_lines
from builder.model import RELATION_WORDS, Corpus, Guidance, Questionnaire, Term
from builder.render.anatomy import FORM_TEMPLATE, anatomy_context, form_context
from builder.render.crosswalks import render_crosswalks
from builder.render.diagrams import lifecycle_svg
from builder.render.maps import (
    MapView,
    local_view,
    map_page_context,
    overview_view,
    pair_view,
    role_view,
    stage_view,
    undirected,
)
from builder.render.overlay import overlay_body
from builder.render.relevance import Relevance
from builder.render.templating import environment

__all__ = ["NavItem", "RenderedDocs", "abbreviations_in", "kind_label", "render_docs"]

log = logging.getLogger(__name__)

NavItem = dict[str, Any] | str

KIND_LABELS = {
    "smf": "Service management function (SMF)",
    "review": "Management review",
    "case-study": "Case study",
    "maturity-level": "Maturity level",
}
#: The vis-network build inside pyvis 0.3.2 that the maps use.
VIS_VERSION = "vis-9.1.2"
#: Kinds whose pages are about people and work rather than framework elements.
PEOPLE_KINDS = ("role", "task")


@dataclass(frozen=True, slots=True)
class RenderedDocs:
    """What :func:`render_docs` wrote: the page paths (relative to docs/) and the nav."""

    pages: tuple[str, ...]
    nav: list[NavItem]


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


def render_docs(
    corpus: Corpus,
    G: nx.MultiDiGraph,
    docs_dir: Path,
    related: Mapping[str, list[str]] | Callable[[], Mapping[str, list[str]]] | None = None,
    questionnaire: Questionnaire | None = None,
) -> RenderedDocs:
    """Write the whole docs tree into ``docs_dir`` (which must be empty or absent).

    ``related`` maps a node id to the ids of related pages (from more-like-this), or is a
    function that returns that mapping: it is called only once every page that does not need
    it is written, so the caller can compute it meanwhile.

    Returns:
        The written page paths and the mkdocs nav.
    """
    env = _environment()
    pages: list[str] = []
    map_pages, map_nav, overview = _render_maps(env, corpus, G, docs_dir)
    pages.extend(map_pages)
    pages.extend(_render_listings(env, corpus.without_hidden(), docs_dir))
    pages.extend(_render_role_pages(env, corpus, docs_dir))
    if questionnaire is not None:
        write_text(docs_dir / "assessment.md", _render_assessment(env, corpus, questionnaire))
        pages.append("assessment.md")
    crosswalk_nav: list[NavItem] = []
    for rel, text in sorted(render_crosswalks(env, corpus).items()):
        write_text(docs_dir / rel, text)
        if rel.endswith(".md"):
            pages.append(rel)
        if rel.endswith(".md") and not rel.endswith("-gaps.md"):
            slug = rel.removeprefix("crosswalks/").removesuffix(".md")
            a, b = (
                h.framework_ids for h in corpus.mapping_files if "-".join(h.framework_ids) == slug
            ).__next__()
            title = html.escape(f"{corpus[a].title} and {corpus[b].title}", quote=False)
            crosswalk_nav.append({title: [rel, {"Gap analysis": f"crosswalks/{slug}-gaps.md"}]})
    if corpus.glossary:
        write_text(docs_dir / "glossary.md", _render_glossary(env, corpus))
        pages.append("glossary.md")
    write_text(docs_dir / "index.md", _render_home(env, corpus, G, questionnaire is not None))
    pages.append("index.md")
    # A docs page named 404 replaces the theme's, which links its assets from the server root
    # ("/assets/...") and so loads unstyled from disk; this one links them relatively.
    write_text(
        docs_dir / "404.md",
        env.get_template("404.md.j2").render(
            roles=any(n.kind == "role" and not n.framework for n in corpus),
            glossary=bool(corpus.glossary),
        ),
    )
    pages.append("404.md")
    _copy_assets(docs_dir / "assets")
    for node in sorted(corpus, key=lambda n: n.id):
        for old in node.former_ids:
            target = f"{node.id}.html"
            redirect = env.get_template("redirect.html.j2").render(title=node.title, target=target)
            write_text(docs_dir / f"{old}.html", redirect)
    # Element pages are rendered with a slot for their related pages, which are asked for
    # only then: the caller may still be computing them.
    on_overview = {n["id"] for n in overview.nodes}
    simple = undirected(G)
    acronyms = _acronym_pattern(corpus.glossary)
    texts = {
        node.id: _render_node(env, corpus, G, node, SIMILAR_SLOT, acronyms)
        + (
            ""  # a template's page is a form to print; its "Used by" list links the same pages
            if node.kind == "template"
            else _render_local_map(env, corpus, G, node, node.id in on_overview, simple)
        )
        for node in sorted(corpus, key=lambda n: n.id)
    }
    # Only candidates close enough in what they say are shown (see builder/render/relevance.py).
    relevance = Relevance(corpus)
    similar_ids = (related() if callable(related) else related) or {}
    for node_id, text in texts.items():
        candidates = [i for i in similar_ids.get(node_id, []) if i in corpus]
        similar = [corpus[i] for i in relevance.above(node_id, candidates)]
        section = _render_similar(env, corpus, similar)
        write_text(docs_dir / f"{node_id}.md", text.replace(SIMILAR_SLOT, section, 1))
        pages.append(f"{node_id}.md")
    log.debug("rendered %d pages", len(pages))
    nav = build_nav(corpus.without_hidden(), map_nav, crosswalk_nav)
    if questionnaire is not None:
        nav.insert(1, {"Self-assessment": "assessment.md"})
    return RenderedDocs(tuple(sorted(pages)), nav)


# -----------------------------------------------------------------------------
# Pages


#: Where a page's "Similar guidance" goes until the related pages are known.
SIMILAR_SLOT = "\x00similar-guidance\x00"


def _render_similar(env: jinja2.Environment, corpus: Corpus, similar: list[Guidance]) -> str:
    related = [
        {
            "id": r.id,
            "title": r.title,
            "summary": r.summary,
            "what": ", ".join(
                [kind_label(r.kind).lower()]
                + ([_framework_title(corpus, r.framework)] if r.framework else [])
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
    neighbours = [corpus[v] for v in _neighbours(G, node.id)]
    backlinks = sorted(
        {corpus[u] for u, _, d in G.in_edges(node.id, data=True) if d[RELATION] == LINKS_TO},
        key=_title_key,
    )
    rows = [
        {
            "id": other,
            "title": G.nodes[other][TITLE],
            "framework": _framework_title(corpus, G.nodes[other][FRAMEWORK] or other),
            "relation": RELATION_WORDS[str(data[STRM])],
            "strength": data[STRENGTH],
            "rationale": data["rationale"],
        }
        for other, data in counterparts(G, node.id)
    ]
    automates = [
        {
            "id": v,
            "title": corpus[v].title,
            "framework": _framework_title(corpus, corpus[v].framework or v),
            "reason": d[REASON],
        }
        for _, v, d in sorted(G.out_edges(node.id, data=True), key=lambda e: e[1])
        if d[RELATION] == AUTOMATES
    ]
    automated_by = [
        {"id": u, "title": corpus[u].title, "reason": d[REASON]}
        for u, _, d in sorted(G.in_edges(node.id, data=True), key=lambda e: e[0])
        if d[RELATION] == AUTOMATES
    ]
    body = _resolve_links(corpus, overlay_body(node)).strip()
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
        show_counterparts=node.kind not in ("task", "guide", "case-study")
        and not (node.kind == "role" and not node.framework),
        work=_persona_work(corpus, node) if node.kind == "role" and not node.framework else None,
        diagram=lifecycle_svg(corpus, G, current=node.id) if node.kind == "stage" else "",
        similar=similar,
        automates=automates,
        automated_by=automated_by,
        abbreviations=abbreviations_in(
            corpus.glossary, "\n".join([node.title, node.summary, *node.aliases, body]), acronyms
        ),
        crumbs=_ancestors(corpus, node),
        kind_label=kind_label(node.kind),
        framework=framework,
        body=body,
        children=children_of(corpus, G, node.id),
        counterparts=rows,
        related=[
            section
            for section in (
                _related_section(
                    corpus,
                    node,
                    "Related roles and tasks",
                    [n for n in neighbours if n.kind in PEOPLE_KINDS],
                ),
                _related_section(
                    corpus,
                    node,
                    "Referenced by",
                    [b for b in backlinks if b.kind not in PEOPLE_KINDS],
                ),
            )
            if section["groups"]
        ],
        collapse=COLLAPSE,
    )


#: A group of related pages longer than this starts collapsed.
COLLAPSE = 15


def _related_section(
    corpus: Corpus, node: Guidance, title: str, members: list[Guidance]
) -> dict[str, Any]:
    """A list of related pages grouped by kind; a persona is told apart from a framework role
    of the same name, and a page of another framework says which one."""
    groups: dict[str, list[dict[str, str]]] = {}
    for m in sorted(set(members), key=_title_key):
        if m.kind == "role":
            label = "Framework roles" if m.framework else "IT pro roles"
        else:
            label = kind_label(m.kind, plural=True)
        note = _framework_title(corpus, m.framework) if m.framework else ""
        if m.framework == node.framework and m.kind != "role":
            note = ""
        groups.setdefault(label, []).append({"id": m.id, "title": m.title, "note": note})
    order = ["IT pro roles", "Framework roles", kind_label("task", plural=True)]
    ranked = sorted(groups, key=lambda g: (order.index(g) if g in order else len(order), g))
    return {"title": title, "groups": [{"label": g, "items": groups[g]} for g in ranked]}


def _extra_facts(corpus: Corpus, node: Guidance) -> list[tuple[str, str]]:
    """Rows added to a persona's or task's facts table, as (label, Markdown) pairs."""

    def links(ids: tuple[str, ...]) -> str:
        return ", ".join(f"[{_md(corpus[i].title)}]({i}.md)" for i in ids if i in corpus)

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
            ("Trigger", _cell(node.trigger or "")),
            ("Frequency", _cell(node.frequency or "")),
            ("Inputs", _cell("; ".join(node.inputs))),
            ("Outputs", _cell("; ".join(node.outputs))),
        ]
    return [(label, value) for label, value in rows if value]


#: Words in a task title that make it a meeting or review the role attends.
_MEETING = re.compile(r"\b(review|CAB|ECAB|bridge|meeting|board)\b", re.IGNORECASE)


def _persona_work(corpus: Corpus, role: Guidance) -> dict[str, Any]:
    """The tasks a persona performs or answers for, by lifecycle stage, and its meetings."""
    tasks = sorted(
        (
            n
            for n in corpus
            if n.kind == "task" and (role.id in n.performer or n.accountable == role.id)
        ),
        key=lambda t: (t.title.lower(), t.id),
    )
    groups = [
        {
            "title": stage.title if stage else "Across the lifecycle",
            "tasks": [
                {"id": t.id, "title": t.title, "accountable_only": role.id not in t.performer}
                for t in members
            ],
        }
        for stage, members in _by_stage(corpus, tasks)
    ]
    meetings = [
        {"id": t.id, "title": t.title}
        for t in tasks
        if _MEETING.search(t.title)
        or any(corpus.by_id[c].kind == "review" for c in t.carries_out if c in corpus)
    ]
    return {"groups": groups, "meetings": meetings, "count": len(tasks)}


def _render_assessment(
    env: jinja2.Environment, corpus: Corpus, questionnaire: Questionnaire
) -> str:
    groups: dict[str, list[dict[str, Any]]] = {}
    for area in questionnaire.areas:
        qs = questionnaire.questions_in(area.id)
        groups.setdefault(area.group, []).append({**asdict(area), "questions": qs})
    titles = {n.id: n.title for n in corpus}
    steps = [
        ("cir", "Continuous Improvement Roadmap"),
        ("cir-service-assessment", "an assessment"),
        (
            "cir-service-improvement",
            "problem-opportunity statements ranked by risk, cost, time and value",
        ),
        ("task-build-a-service-improvement-program-roadmap", "a Service Improvement Program"),
    ]
    method = ", then ".join(f"[{text}]({i}.md)" for i, text in steps if i in corpus)
    return env.get_template("assessment.md.j2").render(
        method=method,
        groups=list(groups.items()),
        levels=questionnaire.levels,
        count=len(questionnaire.questions),
        data=questionnaire.to_json(),
        titles=script_json(titles),
    )


def _render_role_pages(env: jinja2.Environment, corpus: Corpus, docs_dir: Path) -> list[str]:
    """Write 'Find your role', and a learning path and a checklist page for every persona."""
    personas = sorted((n for n in corpus if n.kind == "role" and not n.framework), key=_title_key)
    if not personas:
        return []
    written = []
    groups: dict[str, list[dict[str, Any]]] = {}
    for role in personas:
        work = _persona_work(corpus, role)
        home = next(
            (corpus[s] for s in role.sits if s in corpus and corpus[s].kind == "accountability"),
            None,
        )
        title = home.title if home else "Other roles"
        groups.setdefault(title, []).append(
            {"id": role.id, "title": role.title, "summary": role.summary, "tasks": work["count"]}
        )
        path = _section(role.body, "Learning path")
        write_text(
            docs_dir / "learning" / f"{role.id}.md",
            env.get_template("learning.md.j2").render(
                role=role, path=_resolve_links(corpus, path, prefix="../"), groups=work["groups"]
            ),
        )
        tasks = [
            {
                "id": t.id,
                "title": t.title,
                "trigger": t.trigger,
                "checklist": _resolve_links(corpus, _section(t.body, "Checklist"), prefix="../"),
            }
            for g in work["groups"]
            for t in (corpus[x["id"]] for x in g["tasks"])
        ]
        write_text(
            docs_dir / "checklists" / f"{role.id}.md",
            env.get_template("checklist.md.j2").render(role=role, tasks=tasks),
        )
        written += [f"learning/{role.id}.md", f"checklists/{role.id}.md"]
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] == "Other roles", kv[0]))
    write_text(
        docs_dir / "roles.md",
        env.get_template("roles.md.j2").render(
            groups=[{"title": title, "roles": roles} for title, roles in ordered]
        ),
    )
    return [*written, "roles.md"]


def _section(body: str, title: str) -> str:
    """Return the text of the ``## title`` section of a body (without its heading)."""
    lines = body.split("\n")
    out: list[str] = []
    inside = False
    for line in lines:
        if line.startswith("## "):
            if inside:
                break
            inside = line[3:].strip() == title
            continue
        if inside:
            out.append(line)
    return "\n".join(out).strip()


def _render_listings(env: jinja2.Environment, corpus: Corpus, docs_dir: Path) -> list[str]:
    written: list[str] = []
    template = env.get_template("listing.md.j2")
    for fw in frameworks_of(corpus):
        members = [n for n in corpus if n.framework == fw.id and n.id != fw.id]
        groups = [
            (
                kind_label(kind, plural=True),
                _rows(corpus, [n for n in members if n.kind == kind], "parent"),
            )
            for kind in sorted({n.kind for n in members})
        ]
        text = template.render(
            title=f"All of {fw.title}",
            intro=f"Every page of {fw.title}, grouped by kind.",
            groups=groups,
            column="Part of",
            prefix="../",
        )
        write_text(docs_dir / "browse" / f"framework-{fw.id}.md", text)
        written.append(f"browse/framework-{fw.id}.md")
    for kind in sorted({n.kind for n in corpus}):
        members = [n for n in corpus if n.kind == kind]
        text = template.render(
            title=kind_label(kind, plural=True),
            intro=f"Every page of kind {kind_label(kind).lower()}, across frameworks.",
            groups=[("", _rows(corpus, members, "framework"))],
            column="Framework",
            prefix="../",
        )
        write_text(docs_dir / "browse" / f"kind-{kind}.md", text)
        written.append(f"browse/kind-{kind}.md")
    return written


def _render_home(
    env: jinja2.Environment, corpus: Corpus, G: nx.MultiDiGraph, assessment: bool = False
) -> str:
    stages = [
        {
            "id": s.id,
            "title": s.title,
            "summary": s.summary,
            "children": len(children_of(corpus, G, s.id)),
            "counterparts": ", ".join(str(G.nodes[v][TITLE]) for v, _ in counterparts(G, s.id))
            or "none yet",
        }
        for s in _stages(corpus)
    ]
    counts = Counter(n.framework or n.id for n in corpus)
    frameworks = [
        {"id": f.id, "title": f.title, "summary": f.summary, "count": counts[f.id]}
        for f in frameworks_of(corpus)
    ]
    kinds = Counter(n.kind for n in corpus)
    return env.get_template("home.md.j2").render(
        diagram=lifecycle_svg(corpus, G),
        assessment=assessment,
        begin="guide-where-to-begin" in corpus,
        stages=stages,
        frameworks=frameworks,
        roles=sorted((n for n in corpus if n.kind == "role" and not n.framework), key=_title_key),
        glossary=len(corpus.glossary),
        kinds=[
            {"kind": k, "label": kind_label(k, plural=True), "count": kinds[k]}
            for k in sorted(kinds)
        ],
    )


def _render_maps(
    env: jinja2.Environment, corpus: Corpus, G: nx.MultiDiGraph, docs_dir: Path
) -> tuple[list[str], list[NavItem], MapView]:
    """Write maps/*.md: the lifecycle overview, one map per framework pair, stage and role."""
    overview = overview_view(corpus, G)
    views = [overview]
    pair_nav: list[NavItem] = []
    # One map per pair of frameworks, however many mapping files hold their records.
    for a, b in sorted({tuple(h.framework_ids) for h in corpus.mapping_files}):
        if a in corpus and b in corpus:
            view = pair_view(corpus, G, a, b)
            if view.nodes:
                views.append(view)
                pair_nav.append({html.escape(view.title, quote=False): f"maps/{view.id}.md"})
    stage_nav: list[NavItem] = []
    for stage in _stages(corpus):
        view = stage_view(corpus, G, stage.id)
        views.append(view)
        stage_nav.append({html.escape(stage.title, quote=False): f"maps/{view.id}.md"})
    views += [
        role_view(corpus, G, r.id)
        for r in sorted(corpus, key=lambda n: n.id)
        if r.kind == "role" and not r.framework
    ]
    pages = []
    for view in views:
        write_text(docs_dir / "maps" / f"{view.id}.md", _render_map_page(env, corpus, view))
        pages.append(f"maps/{view.id}.md")
    nav: list[NavItem] = [{"Lifecycle overview": "maps/lifecycle.md"}]
    if pair_nav:
        nav.append({"Framework pairs": pair_nav})
    if stage_nav:
        nav.append({"ITIL stages": stage_nav})
    return pages, nav, overview


def _render_map_page(env: jinja2.Environment, corpus: Corpus, view: MapView) -> str:
    return env.get_template("map.md.j2").render(**map_page_context(view))


def _render_local_map(
    env: jinja2.Environment,
    corpus: Corpus,
    G: nx.MultiDiGraph,
    node: Guidance,
    on_overview: bool,
    undirected: nx.Graph,
) -> str:
    view = local_view(corpus, G, node.id, undirected)
    return env.get_template("local-map.md.j2").render(
        **map_page_context(view),
        current=node.id,
        title=node.title,
        count=len(view.nodes) - 1,
        on_overview=on_overview,
        role_map=node.kind == "role" and not node.framework,
    )


def _render_glossary(env: jinja2.Environment, corpus: Corpus) -> str:
    letters: dict[str, list[dict[str, Any]]] = {}
    for term in sorted(corpus.glossary, key=lambda t: t.term.casefold()):
        letter = term.term[0].upper() if term.term[0].isalpha() else "#"
        see = [{"id": i, "title": corpus[i].title} for i in term.see if i in corpus]
        letters.setdefault(letter, []).append({"term": term, "see": see})
    return env.get_template("glossary.md.j2").render(letters=sorted(letters.items()))


def abbreviations_in(
    glossary: tuple[Term, ...], text: str, pattern: re.Pattern[str] | None = None
) -> list[Term]:
    """Return the acronyms of ``glossary`` that occur in ``text`` as whole words, sorted.

    ``pattern`` is :func:`_acronym_pattern` of the glossary, precomputed for many pages.

    >>> from builder.errors import SourceLocation
    >>> cab = Term("CAB", "A board.", SourceLocation("g.yaml"), expansion="Change Advisory Board")
    >>> [t.term for t in abbreviations_in((cab,), "Ask the CAB.")], abbreviations_in((cab,), "CABS")
    (['CAB'], [])
    """
    pattern = pattern or _acronym_pattern(glossary)
    if pattern is None:
        return []
    found = set(pattern.findall(text))
    return sorted((t for t in glossary if t.is_acronym and t.term in found), key=lambda t: t.term)


def _acronym_pattern(glossary: tuple[Term, ...]) -> re.Pattern[str] | None:
    """One regular expression that matches any acronym of the glossary as a whole word."""
    terms = sorted({t.term for t in glossary if t.is_acronym}, key=lambda t: (-len(t), t))
    if not terms:
        return None
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(t) for t in terms) + r")(?![\w-])")


# -----------------------------------------------------------------------------
# Navigation


def build_nav(
    corpus: Corpus, maps: list[NavItem] | None = None, crosswalks: list[NavItem] | None = None
) -> list[NavItem]:
    """Return the mkdocs nav: home, maps, each framework's tree, unframed kinds, browse pages."""
    children: dict[str, list[Guidance]] = {}
    for n in corpus:
        if n.parent is not None and n.parent in corpus:
            children.setdefault(n.parent, []).append(n)

    def tree(node: Guidance, seen: frozenset[str]) -> NavItem:
        kids = sorted(children.get(node.id, []), key=_order_key)
        kids = [k for k in kids if k.id not in seen]
        # Material prints nav titles as raw HTML: escape them here.
        title = html.escape(node.title, quote=False)
        if not kids:
            return {title: f"{node.id}.md"}
        inner = seen | {node.id}
        return {title: [f"{node.id}.md", *(tree(k, inner) for k in kids)]}

    nav: list[NavItem] = [{"Home": "index.md"}]
    if maps:
        nav.append({"Maps": maps})
    if crosswalks:
        nav.append({"Crosswalks": crosswalks})
    for fw in frameworks_of(corpus):
        nav.append(_framework_section(fw, tree(fw, frozenset()), corpus, tree))
    placed = {fw.id for fw in frameworks_of(corpus)} | {
        n.id for n in corpus if n.framework in corpus or n.parent in corpus
    }
    loose = [n for n in corpus if n.id not in placed]
    for kind in sorted({n.kind for n in loose}):
        members = sorted((n for n in loose if n.kind == kind), key=_order_key)
        if kind == "task":
            entries = _tasks_by_stage(corpus, members, tree)
        else:
            entries = [tree(n, frozenset()) for n in members]
        if kind == "role":
            entries.insert(0, {"Find your role": "roles.md"})
        nav.append({kind_label(kind, plural=True): entries})
    browse: list[NavItem] = [
        {html.escape(f"All of {fw.title}", quote=False): f"browse/framework-{fw.id}.md"}
        for fw in frameworks_of(corpus)
    ]
    browse += [
        {kind_label(k, plural=True): f"browse/kind-{k}.md"}
        for k in sorted({n.kind for n in corpus})
    ]
    if corpus.glossary:
        browse.append({"Glossary": "glossary.md"})
    nav.append({"Browse": browse})
    return nav


def _tasks_by_stage(
    corpus: Corpus, tasks: list[Guidance], tree: Callable[[Guidance, frozenset[str]], NavItem]
) -> list[NavItem]:
    """Tasks grouped under their ITIL stage, in lifecycle order; a task without one follows.

    A page's nav lists every page of its own group (Material prunes only the other groups), so
    one flat list of tasks would grow each task page with every task added.
    """
    entries: list[NavItem] = []
    for stage, members in _by_stage(corpus, tasks):
        items = [tree(t, frozenset()) for t in members]
        if stage:
            entries.append({html.escape(stage.title, quote=False): items})
        else:
            entries += items
    return entries


def _framework_section(
    fw: Guidance, item: NavItem, corpus: Corpus, tree: Callable[[Guidance, frozenset[str]], NavItem]
) -> NavItem:
    """Add the framework's members that have no parent (its roles, say) to its section, by kind."""
    members = [n for n in corpus if n.framework == fw.id and n.parent is None and n.id != fw.id]
    if not members or not isinstance(item, dict):
        return item
    ((title, entries),) = item.items()
    section: list[NavItem] = list(entries) if isinstance(entries, list) else [entries]
    for kind in sorted({n.kind for n in members}):
        kids = sorted((n for n in members if n.kind == kind), key=_order_key)
        section.append({kind_label(kind, plural=True): [tree(n, frozenset()) for n in kids]})
    return {title: section}


def frameworks_of(corpus: Corpus) -> list[Guidance]:
    """Return the framework nodes in reading order."""
    return sorted((n for n in corpus if n.kind == "framework"), key=_order_key)


def children_of(corpus: Corpus, G: nx.MultiDiGraph, node_id: str) -> list[Guidance]:
    """Return the nodes that are part of ``node_id``, in reading order."""
    kids = [corpus[u] for u, _, d in G.in_edges(node_id, data=True) if d[RELATION] == PART_OF]
    return sorted(kids, key=_order_key)


# -----------------------------------------------------------------------------
# Helpers


def _neighbours(G: nx.MultiDiGraph, n: str) -> list[str]:
    nodes = {v for _, v in G.out_edges(n)} | {u for u, _ in G.in_edges(n)}
    return sorted(nodes - {n}, key=lambda v: (str(G.nodes[v][KIND]), str(G.nodes[v][TITLE]), v))


def _ancestors(corpus: Corpus, node: Guidance) -> list[Guidance]:
    """The node's parents from the top down (for the breadcrumb)."""
    return list(corpus.lineage(node.id))[1:][::-1]


_LIST_ITEM = re.compile(r"^( +)([-*+]|\d+[.)])( +)")


def _resolve_links(corpus: Corpus, body: str, prefix: str = "") -> str:
    """Turn ``[[id|text]]`` into Markdown links and nest lists the way Python-Markdown reads them,
    outside fenced code."""
    out: list[str] = []
    for line, in_code in body_lines(body):
        if not in_code:
            line = LINK.sub(lambda m: _link(corpus, m, prefix), normalize_indent(line))
        out.append(line)
    return "\n".join(out)


def normalize_indent(line: str) -> str:
    """Indent a nested list item by a multiple of four spaces, as Python-Markdown needs.

    Writers often align a sub-list with the text of "1. " (three spaces), which Python-Markdown
    would render as a flat list.

    >>> normalize_indent("   - sub-step"), normalize_indent("  1. deeper"), normalize_indent("- top")
    ('    - sub-step', '    1. deeper', '- top')
    """
    m = _LIST_ITEM.match(line)
    if m is None or len(m.group(1)) % 4 == 0:
        return line
    indent = -(-len(m.group(1)) // 4) * 4
    return " " * indent + line[len(m.group(1)) :]


def _link(corpus: Corpus, m: re.Match[str], prefix: str = "") -> str:
    target = m.group(1).strip()
    text = m.group(2).strip() if m.group(2) else corpus[target].title
    return f"[{_md(text)}]({prefix}{target}.md)"


def _rows(corpus: Corpus, nodes: list[Guidance], column: str) -> list[dict[str, str]]:
    rows = []
    for n in sorted(nodes, key=_order_key):
        ref = n.parent if column == "parent" else n.framework
        other = corpus[ref].title if ref is not None and ref in corpus else ""
        rows.append({"id": n.id, "title": n.title, "other": other, "summary": n.summary})
    return rows


def _framework_title(corpus: Corpus, framework_id: str) -> str:
    node = corpus.by_id.get(framework_id)
    return node.title if node is not None else framework_id


def _stages(corpus: Corpus) -> list[Guidance]:
    """The ITIL stages in lifecycle order."""
    return sorted((n for n in corpus if n.kind == "stage"), key=_order_key)


def _by_stage(
    corpus: Corpus, tasks: list[Guidance]
) -> list[tuple[Guidance | None, list[Guidance]]]:
    """``tasks`` grouped by their stage, in lifecycle order, keeping their order in a group;
    the tasks with no stage of the corpus last, under ``None``. Empty groups are left out."""
    stages = _stages(corpus)
    known = {s.id for s in stages}
    groups: dict[str | None, list[Guidance]] = {}
    for t in tasks:
        groups.setdefault(t.stage if t.stage in known else None, []).append(t)
    ordered: list[tuple[Guidance | None, list[Guidance]]] = [
        (s, groups[s.id]) for s in stages if s.id in groups
    ]
    if None in groups:
        ordered.append((None, groups[None]))
    return ordered


def _order_key(n: Guidance) -> tuple[int, str, str]:
    return (n.order if n.order is not None else 10_000, n.title.lower(), n.id)


def _title_key(n: Guidance) -> tuple[str, str]:
    return (n.title.lower(), n.id)


def _md(text: object) -> str:
    """Escape text for Markdown: HTML is shown as text, link brackets stay literal."""
    escaped = html.escape(str(text), quote=False)
    return escaped.replace("[", "\\[").replace("]", "\\]").replace("*", "\\*").replace("_", "\\_")


def _cell(text: object) -> str:
    """Escape text for a Markdown table cell (one line, no pipes)."""
    return " ".join(_md(text).split()).replace("|", "\\|")


def _environment() -> jinja2.Environment:
    env = environment()
    env.filters["md"] = _md
    env.filters["cell"] = _cell
    env.filters["tojson"] = lambda v: json.dumps(v, ensure_ascii=False)
    env.filters["abbr"] = lambda v: " ".join(html.escape(str(v), quote=True).split())
    env.filters["anchor"] = lambda v: (
        "term-" + (re.sub(r"[^a-z0-9]+", "-", str(v).lower()).strip("-") or "x")
    )
    return env


def _copy_assets(dest: Path) -> None:
    source = resources.files("builder") / "assets"
    with resources.as_file(source) as src:
        shutil.copytree(src, dest, dirs_exist_ok=True)
    # vis-network ships once, copied from the installed pyvis package (no CDN, no second copy).
    vis = resources.files("pyvis") / "templates" / "lib" / VIS_VERSION / "vis-network.min.js"
    with resources.as_file(vis) as script:
        target = dest / "vendor" / "vis-network"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(script, target / "vis-network.min.js")
