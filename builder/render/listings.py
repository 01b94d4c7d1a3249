"""The browse pages: every page of a framework, and every page of a kind, as tables."""

from __future__ import annotations

import jinja2

from builder.model import Corpus, Guidance
from builder.render.nav import NavItem, Rendered, nav_title
from builder.render.order import frameworks_of, kind_label, order_key

__all__ = ["render_listings"]


def render_listings(env: jinja2.Environment, corpus: Corpus) -> Rendered:
    """Write browse/framework-*.md and browse/kind-*.md; their nav entries go under "Browse"."""
    files: dict[str, str] = {}
    nav: list[NavItem] = []
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
        path = f"browse/framework-{fw.id}.md"
        files[path] = template.render(
            title=f"All of {fw.title}",
            intro=f"Every page of {fw.title}, grouped by kind.",
            groups=groups,
            column="Part of",
            prefix="../",
        )
        nav.append({nav_title(f"All of {fw.title}"): path})
    for kind in sorted({n.kind for n in corpus}):
        members = [n for n in corpus if n.kind == kind]
        path = f"browse/kind-{kind}.md"
        files[path] = template.render(
            title=kind_label(kind, plural=True),
            intro=f"Every page of kind {kind_label(kind).lower()}, across frameworks.",
            groups=[("", _rows(corpus, members, "framework"))],
            column="Framework",
            prefix="../",
        )
        nav.append({kind_label(kind, plural=True): path})
    return Rendered(files, nav)


def _rows(corpus: Corpus, nodes: list[Guidance], column: str) -> list[dict[str, str]]:
    """Table rows in reading order; ``column`` names what the third cell shows: the node's
    ``parent`` or its ``framework``."""
    rows = []
    for n in sorted(nodes, key=order_key):
        ref = n.parent if column == "parent" else n.framework
        other = corpus[ref].title if ref is not None and ref in corpus else ""
        rows.append({"id": n.id, "title": n.title, "other": other, "summary": n.summary})
    return rows
