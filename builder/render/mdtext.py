"""Markdown text the renderers write: escaping, ``[[id]]`` links, list indents, body sections."""

from __future__ import annotations

import html
import re

from builder.load.content import LINK, body_lines
from builder.model import Corpus

__all__ = ["cell", "md", "normalize_indent", "resolve_links", "section"]


def md(text: object) -> str:
    """Escape text for Markdown: HTML is shown as text, link brackets stay literal."""
    escaped = html.escape(str(text), quote=False)
    return escaped.replace("[", "\\[").replace("]", "\\]").replace("*", "\\*").replace("_", "\\_")


def cell(text: object) -> str:
    """Escape text for a Markdown table cell (one line, no pipes)."""
    return " ".join(md(text).split()).replace("|", "\\|")


_LIST_ITEM = re.compile(r"^( +)([-*+]|\d+[.)])( +)")


def resolve_links(corpus: Corpus, body: str, prefix: str = "") -> str:
    """Turn ``[[id|text]]`` into Markdown links and nest lists the way Python-Markdown reads them,
    outside fenced code. ``prefix`` leads each link target (``../`` from a page in a folder)."""
    out: list[str] = []
    for line, in_code in body_lines(body):
        if not in_code:
            if line.startswith(" "):
                line = normalize_indent(line)
            if "[[" in line:
                line = LINK.sub(lambda m: _link(corpus, m, prefix), line)
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
    return f"[{md(text)}]({prefix}{target}.md)"


def section(body: str, title: str) -> str:
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
