"""The Jinja environment every renderer starts from: the package's templates, strictly.

Templates named ``*.html.j2`` are autoescaped; Markdown templates are not (their renderers
escape with filters). A missing variable is an error, never an empty string.
"""

from __future__ import annotations

import html
import json
import re

import jinja2

from builder.render.mdtext import cell, md

__all__ = ["environment", "markdown_environment"]


def environment() -> jinja2.Environment:
    """Return a new environment over ``builder/render/templates`` (callers add filters)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("builder.render", "templates"),
        autoescape=jinja2.select_autoescape(["html.j2"]),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def markdown_environment() -> jinja2.Environment:
    """Return the environment of the docs pages, with the filters their templates escape with:
    ``md`` and ``cell`` (Markdown text and table cells), ``tojson``, ``abbr`` (an abbreviation's
    expansion) and ``anchor`` (a glossary term's id)."""
    env = environment()
    env.filters["md"] = md
    env.filters["cell"] = cell
    env.filters["tojson"] = lambda v: json.dumps(v, ensure_ascii=False)
    env.filters["abbr"] = lambda v: " ".join(html.escape(str(v), quote=True).split())
    env.filters["anchor"] = lambda v: (
        "term-" + (re.sub(r"[^a-z0-9]+", "-", str(v).lower()).strip("-") or "x")
    )
    return env
