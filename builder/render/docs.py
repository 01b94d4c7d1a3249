"""Render the docs tree: call each renderer, write its files, and put the nav together.

Every renderer returns its files and its nav entries (:class:`builder.render.nav.Rendered`);
this module only collects them, writes them under ``docs_dir`` and orders the nav.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from builder.fsutil import write_text
from builder.model import Corpus, Questionnaire
from builder.render.assessment import render_assessment
from builder.render.assets import copy_assets
from builder.render.crosswalks import render_crosswalks
from builder.render.glossary import render_glossary
from builder.render.home import render_404, render_home
from builder.render.listings import render_listings
from builder.render.mappages import render_maps
from builder.render.nav import NavItem, Rendered, element_nav
from builder.render.pages import Related, render_node_pages, render_redirects
from builder.render.roles import render_role_pages
from builder.render.templating import markdown_environment

__all__ = ["RenderedDocs", "render_docs"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RenderedDocs:
    """What :func:`render_docs` wrote: the page paths (relative to docs/) and the nav."""

    pages: tuple[str, ...]
    nav: list[NavItem]


def render_docs(
    corpus: Corpus,
    G: nx.MultiDiGraph,
    docs_dir: Path,
    related: Related = None,
    questionnaire: Questionnaire | None = None,
) -> RenderedDocs:
    """Write the whole docs tree into ``docs_dir`` (which must be empty or absent).

    ``related`` maps a node id to the ids of related pages (from more-like-this), or is a
    function that returns that mapping: it is called only once every page that does not need
    it is written, so the caller can compute it meanwhile.

    Returns:
        The written page paths and the mkdocs nav.
    """
    env = markdown_environment()
    visible = corpus.without_hidden()
    pages: list[str] = []

    def write(rendered: Rendered) -> Rendered:
        for rel, text in rendered.files.items():
            write_text(docs_dir / rel, text)
            if rel.endswith(".md"):
                pages.append(rel)
        return rendered

    maps, overview = render_maps(env, corpus, G)
    write(maps)
    listings = write(render_listings(env, visible))
    roles = write(render_role_pages(env, corpus))
    assessment = write(
        render_assessment(env, corpus, questionnaire) if questionnaire is not None else Rendered({})
    )
    crosswalks = write(render_crosswalks(env, corpus))
    glossary = write(render_glossary(env, corpus))
    home = write(render_home(env, corpus, G, questionnaire is not None))
    write(render_404(env, corpus))
    copy_assets(docs_dir / "assets")
    write(render_redirects(env, corpus))
    on_overview = {n["id"] for n in overview.nodes}
    write(render_node_pages(env, corpus, G, on_overview, related))
    log.debug("rendered %d pages", len(pages))
    nav: list[NavItem] = [
        *home.nav,
        *assessment.nav,
        *maps.nav,
        *crosswalks.nav,
        *element_nav(visible, heads={"role": roles.nav}),
        {"Browse": [*listings.nav, *glossary.nav]},
    ]
    return RenderedDocs(tuple(sorted(pages)), nav)
