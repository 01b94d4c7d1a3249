"""The site's navigation: the nav entry type, what a renderer returns, and the element tree.

Each renderer of generated pages (maps, crosswalks, listings, ...) returns its files with its
own nav entries (:class:`Rendered`); :func:`element_nav` builds the part of the nav that follows
the corpus itself: each framework's part-of tree, then the kinds that belong to no framework.
:func:`builder.render.docs.render_docs` puts the parts together in reading order.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from builder.model import Corpus, Guidance
from builder.render.order import by_stage, frameworks_of, kind_label, order_key

__all__ = ["NavItem", "Rendered", "element_nav", "nav_title"]

#: One mkdocs nav entry: ``{title: page}``, ``{title: [entries]}`` or a bare page path.
NavItem = dict[str, Any] | str

_Tree = Callable[[Guidance, frozenset[str]], NavItem]


@dataclass(frozen=True, slots=True)
class Rendered:
    """What a renderer produced: files by docs-relative path, and the nav entries for them."""

    files: dict[str, str]
    nav: list[NavItem] = field(default_factory=list)


def nav_title(text: str) -> str:
    """Escape a nav title: Material prints nav titles as raw HTML."""
    return html.escape(text, quote=False)


def element_nav(
    corpus: Corpus, heads: Mapping[str, Sequence[NavItem]] | None = None
) -> list[NavItem]:
    """Return each framework's tree, then a section per kind that belongs to no framework.

    ``heads`` maps a kind to entries that open its section (the roles' "Find your role"); a
    kind without a section of its own gets none.
    """
    heads = heads or {}
    children: dict[str, list[Guidance]] = {}
    for n in corpus:
        if n.parent is not None and n.parent in corpus:
            children.setdefault(n.parent, []).append(n)

    def tree(node: Guidance, seen: frozenset[str]) -> NavItem:
        kids = sorted(children.get(node.id, []), key=order_key)
        kids = [k for k in kids if k.id not in seen]
        title = nav_title(node.title)
        if not kids:
            return {title: f"{node.id}.md"}
        inner = seen | {node.id}
        return {title: [f"{node.id}.md", *(tree(k, inner) for k in kids)]}

    nav: list[NavItem] = [
        _framework_section(fw, tree(fw, frozenset()), corpus, tree) for fw in frameworks_of(corpus)
    ]
    placed = {fw.id for fw in frameworks_of(corpus)} | {
        n.id for n in corpus if n.framework in corpus or n.parent in corpus
    }
    loose = [n for n in corpus if n.id not in placed]
    for kind in sorted({n.kind for n in loose}):
        members = sorted((n for n in loose if n.kind == kind), key=order_key)
        if kind == "task":
            entries = _tasks_by_stage(corpus, members, tree)
        else:
            entries = [tree(n, frozenset()) for n in members]
        nav.append({kind_label(kind, plural=True): [*heads.get(kind, ()), *entries]})
    return nav


def _tasks_by_stage(corpus: Corpus, tasks: list[Guidance], tree: _Tree) -> list[NavItem]:
    """Tasks grouped under their ITIL stage, in lifecycle order; a task without one follows.

    A page's nav lists every page of its own group (Material prunes only the other groups), so
    one flat list of tasks would grow each task page with every task added.
    """
    entries: list[NavItem] = []
    for stage, members in by_stage(corpus, tasks):
        items = [tree(t, frozenset()) for t in members]
        if stage:
            entries.append({nav_title(stage.title): items})
        else:
            entries += items
    return entries


def _framework_section(fw: Guidance, item: NavItem, corpus: Corpus, tree: _Tree) -> NavItem:
    """Add the framework's members that have no parent (its roles, say) to its section, by kind."""
    members = [n for n in corpus if n.framework == fw.id and n.parent is None and n.id != fw.id]
    if not members or not isinstance(item, dict):
        return item
    ((title, entries),) = item.items()
    section: list[NavItem] = list(entries) if isinstance(entries, list) else [entries]
    for kind in sorted({n.kind for n in members}):
        kids = sorted((n for n in members if n.kind == kind), key=order_key)
        section.append({kind_label(kind, plural=True): [tree(n, frozenset()) for n in kids]})
    return {title: section}
