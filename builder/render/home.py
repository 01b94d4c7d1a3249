"""The home page, and the 404 page that replaces the theme's."""

from __future__ import annotations

from collections import Counter

import jinja2
import networkx as nx

from builder.graph import TITLE, counterparts
from builder.model import Corpus
from builder.render.diagrams import lifecycle_svg
from builder.render.nav import Rendered
from builder.render.order import children_of, frameworks_of, kind_label, stages, title_key

__all__ = ["render_404", "render_home"]


def render_home(
    env: jinja2.Environment, corpus: Corpus, G: nx.MultiDiGraph, assessment: bool = False
) -> Rendered:
    """Write index.md: the lifecycle, the stages, the frameworks, the roles and the kinds."""
    stage_rows = [
        {
            "id": s.id,
            "title": s.title,
            "summary": s.summary,
            "children": len(children_of(corpus, G, s.id)),
            "counterparts": ", ".join(str(G.nodes[v][TITLE]) for v, _ in counterparts(G, s.id))
            or "none yet",
        }
        for s in stages(corpus)
    ]
    counts = Counter(n.framework or n.id for n in corpus)
    frameworks = [
        {"id": f.id, "title": f.title, "summary": f.summary, "count": counts[f.id]}
        for f in frameworks_of(corpus)
    ]
    kinds = Counter(n.kind for n in corpus)
    text = env.get_template("home.md.j2").render(
        diagram=lifecycle_svg(corpus, G),
        assessment=assessment,
        begin="guide-where-to-begin" in corpus,
        stages=stage_rows,
        frameworks=frameworks,
        roles=sorted((n for n in corpus if n.kind == "role" and not n.framework), key=title_key),
        glossary=len(corpus.glossary),
        kinds=[
            {"kind": k, "label": kind_label(k, plural=True), "count": kinds[k]}
            for k in sorted(kinds)
        ],
    )
    return Rendered({"index.md": text}, [{"Home": "index.md"}])


def render_404(env: jinja2.Environment, corpus: Corpus) -> Rendered:
    """Write 404.md, which is not in the nav.

    A docs page named 404 replaces the theme's, which links its assets from the server root
    ("/assets/...") and so loads unstyled from disk; this one links them relatively.
    """
    text = env.get_template("404.md.j2").render(
        roles=any(n.kind == "role" and not n.framework for n in corpus),
        glossary=bool(corpus.glossary),
    )
    return Rendered({"404.md": text})
