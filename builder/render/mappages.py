"""The map pages: maps/*.md (the lifecycle overview, framework pairs, stages, roles), and the
local map at the foot of an element's page. The maps themselves are built in
:mod:`builder.render.maps`."""

from __future__ import annotations

import jinja2
import networkx as nx

from builder.model import Corpus, Guidance
from builder.render.maps import (
    MapView,
    local_view,
    map_page_context,
    overview_view,
    pair_view,
    role_view,
    stage_view,
)
from builder.render.nav import NavItem, Rendered, nav_title
from builder.render.order import stages

__all__ = ["render_local_map", "render_maps"]


def render_maps(
    env: jinja2.Environment, corpus: Corpus, G: nx.MultiDiGraph
) -> tuple[Rendered, MapView]:
    """Write maps/*.md; return them with the "Maps" nav section, and the overview's view."""
    overview = overview_view(corpus, G)
    views = [overview]
    pair_nav: list[NavItem] = []
    # One map per pair of frameworks, however many mapping files hold their records.
    for a, b in sorted({tuple(h.framework_ids) for h in corpus.mapping_files}):
        if a in corpus and b in corpus:
            view = pair_view(corpus, G, a, b)
            if view.nodes:
                views.append(view)
                pair_nav.append({nav_title(view.title): f"maps/{view.id}.md"})
    stage_nav: list[NavItem] = []
    for stage in stages(corpus):
        view = stage_view(corpus, G, stage.id)
        views.append(view)
        stage_nav.append({nav_title(stage.title): f"maps/{view.id}.md"})
    views += [
        role_view(corpus, G, r.id)
        for r in sorted(corpus, key=lambda n: n.id)
        if r.kind == "role" and not r.framework
    ]
    template = env.get_template("map.md.j2")
    files = {f"maps/{view.id}.md": template.render(**map_page_context(view)) for view in views}
    nav: list[NavItem] = [{"Lifecycle overview": "maps/lifecycle.md"}]
    if pair_nav:
        nav.append({"Framework pairs": pair_nav})
    if stage_nav:
        nav.append({"ITIL stages": stage_nav})
    return Rendered(files, [{"Maps": nav}]), overview


def render_local_map(
    env: jinja2.Environment,
    corpus: Corpus,
    G: nx.MultiDiGraph,
    node: Guidance,
    on_overview: bool,
    undirected: nx.Graph,
) -> str:
    """The "On the map" section of ``node``'s page: its neighbourhood, drawn."""
    view = local_view(corpus, G, node.id, undirected)
    return env.get_template("local-map.md.j2").render(
        **map_page_context(view),
        current=node.id,
        title=node.title,
        count=len(view.nodes) - 1,
        on_overview=on_overview,
        role_map=node.kind == "role" and not node.framework,
    )
