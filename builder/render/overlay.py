"""How an organisation's overlay shows in the site: its sections marked, the standard one click away.

The overlay itself is merged at load time (:mod:`builder.load.overlays`); this module only
decorates what a page shows, so the page renderer needs one call (:func:`overlay_body`) and
its template one include (``overlay-note.md.j2``, ``overlay-meta.md.j2``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from builder.graph import HIDDEN, ORIGIN
from builder.load.content import HEADING, body_lines
from builder.model import LOCAL, Guidance

__all__ = ["HIDDEN_STYLE", "LOCAL_LABEL", "LOCAL_STYLE", "overlay_body", "overlay_tint"]

#: The words that mark an organisation's own content wherever it shows.
LOCAL_LABEL = "Our practice"
#: Map colours: local elements in a colour no framework uses (Paul Tol's wine), hidden greyed.
LOCAL_STYLE = ("#882255", "#882255")
HIDDEN_STYLE = ("#E4E4E4", "#B0B0B0")


def overlay_body(node: Guidance) -> str:
    """Return ``node.body`` with each section an overlay added or replaced marked as ours, and
    the standard text of a replaced section kept in a closed ``??? quote`` block after it."""
    if not node.changes:
        return node.body
    changed = {c.title: c for c in node.changes}
    out: list[str] = []
    current = None
    for line, in_code in body_lines(node.body):
        heading = None if in_code else HEADING.match(line)
        if heading:
            _close(out, current)
            current = changed.get(heading.group(1))
            out.append(line)
            if current is not None:
                out += ["", f'<p class="portal-local-label">{LOCAL_LABEL}</p>']
            continue
        out.append(line)
    _close(out, current)
    return "\n".join(out)


def _close(out: list[str], change: Any) -> None:
    """After a replaced section, add the standard text it replaced, collapsed."""
    if change is None or change.standard_text is None:
        return
    while out and not out[-1].strip():
        out.pop()
    out += ["", '??? quote "The standard guidance this replaces"', ""]
    out += [
        f"    {line}" if line.strip() else "" for line in change.standard_text.strip().split("\n")
    ]
    out.append("")


def overlay_tint(data: Mapping[str, Any]) -> tuple[str, str] | None:
    """Return (background, border) of a map node an overlay marks: greyed when hidden, wine when
    local; None for a standard node, which keeps its framework's colour."""
    if data.get(HIDDEN) is not None:
        return HIDDEN_STYLE
    if data.get(ORIGIN) == LOCAL:
        return LOCAL_STYLE
    return None
