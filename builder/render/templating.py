"""The Jinja environment every renderer starts from: the package's templates, strictly.

Templates named ``*.html.j2`` are autoescaped; Markdown templates are not (their renderers
escape with filters). A missing variable is an error, never an empty string.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import pickle
import re

import jinja2

from builder.render.mdtext import cell, md

__all__ = ["environment", "markdown_environment"]


#: Templates that Jinja escapes as HTML.
_ESCAPED = ("html.j2",)

#: The environment's options that change what a template compiles to.
_SYNTAX = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
)


def environment() -> jinja2.Environment:
    """Return a new environment over ``builder/render/templates`` (callers add filters)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("builder.render", "templates"),
        autoescape=jinja2.select_autoescape(_ESCAPED),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        # A template does not change while the portal runs: do not look at its file each
        # time it is asked for (a build asks some 2,000 times).
        auto_reload=False,
    )
    env.bytecode_cache = _bytecode_cache(env)
    return env


def _bytecode_cache(env: jinja2.Environment) -> jinja2.BytecodeCache | None:
    """Keep compiled templates between runs, as Python keeps compiled modules.

    They go to Jinja's cache folder (in the temp folder, one per user), checked against each
    template's source and against the versions of Jinja and Python. What else changes how a
    template compiles (the syntax and whitespace options, escaping, extensions), Jinja does
    not check: it is in the files' names.
    """
    options = [getattr(env, name) for name in _SYNTAX] + [_ESCAPED, sorted(env.extensions)]
    digest = hashlib.sha256(repr(options).encode()).hexdigest()[:12]
    try:
        return _QuietCache(pattern=f"portal-{digest}-%s.cache")
    except (OSError, RuntimeError):  # no temp folder to use: compile every time
        return None


class _QuietCache(jinja2.FileSystemBytecodeCache):
    """The cache as a help, never a fault: a file it cannot read or write is compiled anew."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError, TypeError, pickle.UnpicklingError):  # unreadable
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


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
