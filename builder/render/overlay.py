"""How an organisation's overlay shows in the site: its sections marked, the standard one click away.

The overlay itself is merged at load time (:mod:`builder.load.overlays`); this module only
decorates what a page shows, so the page renderer needs one call (:func:`overlay_body`) and
its template one include (``overlay-note.md.j2``, ``overlay-meta.md.j2``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from builder.graph import HIDDEN, ORIGIN
from builder.load.content import HEADING, body_lines
from builder.model import LOCAL, LOCAL_LABEL, Guidance

__all__ = ["LOCAL_LABEL", "TINTS", "Tint", "overlay_body", "overlay_tint"]


@dataclass(frozen=True, slots=True)
class Tint:
    """How maps draw the elements an overlay marks, in place of their framework's colour: the
    (fill, border) of each colour scheme, and the legend's words for them."""

    label: str
    hint: str
    light: tuple[str, str]
    dark: tuple[str, str]


#: Map tints, keyed as node records name them. Local elements take a colour no framework uses
#: (Paul Tol's wine; on the dark page a lighter wine with a pink border, so that its edge keeps
#: 3:1 and it does not pass for MOF 3.0's pastel pink). Elements not adopted are greyed: pale
#: on the light page, dim on the dark one, so that in both they recede behind the rest.
TINTS: dict[str, Tint] = {
    "local": Tint(
        LOCAL_LABEL,
        "this organisation's own element",
        ("#882255", "#882255"),
        ("#AA3377", "#E58FB8"),
    ),
    "hidden": Tint(
        "Not adopted here",
        "greyed; its page says why",
        ("#E4E4E4", "#9E9E9E"),
        ("#3A3E47", "#6B707A"),
    ),
}


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


def overlay_tint(data: Mapping[str, Any]) -> str | None:
    """Return the key in :data:`TINTS` of a map node an overlay marks: ``hidden`` (greyed) when
    not adopted, ``local`` (wine) when the overlay's own; None for a standard node, which keeps
    its framework's colour."""
    if data.get(HIDDEN) is not None:
        return "hidden"
    if data.get(ORIGIN) == LOCAL:
        return "local"
    return None
