"""The Jinja environment every renderer starts from: the package's templates, strictly.

Templates named ``*.html.j2`` are autoescaped; Markdown templates are not (their renderers
escape with filters). A missing variable is an error, never an empty string.
"""

from __future__ import annotations

import jinja2

__all__ = ["environment"]


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
