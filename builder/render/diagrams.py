"""Static diagrams drawn at build time as inline SVG: they need no script and they print."""

from __future__ import annotations

import html
import weakref
from collections import Counter

import networkx as nx

from builder.graph import FRAMEWORK, TITLE
from builder.model import Corpus
from builder.render.maplayout import wrap
from builder.render.maps import lane_of_nodes, lifecycle_lanes
from builder.render.mapstyle import framework_styles

__all__ = ["lifecycle_svg"]

_BOX_W, _BOX_H, _GAP, _TOP = 176, 58, 22, 34


#: Where each element sits, per graph: the home page and every stage page draw the diagram.
_PLACED: weakref.WeakKeyDictionary[nx.MultiDiGraph, tuple[list[str], dict[str, str]]] = (
    weakref.WeakKeyDictionary()
)


def _placed(corpus: Corpus, G: nx.MultiDiGraph) -> tuple[list[str], dict[str, str]]:
    if G not in _PLACED:
        lanes = [lane for lane in lifecycle_lanes(corpus, G) if lane != "across"]
        _PLACED[G] = (lanes, lane_of_nodes(corpus, G, lanes) if lanes else {})
    return _PLACED[G]


def lifecycle_svg(
    corpus: Corpus, G: nx.MultiDiGraph, *, current: str | None = None, prefix: str = ""
) -> str:
    """Return the five ITIL stages as linked boxes, with how many elements of each framework
    align with each stage; ``current`` is highlighted. Empty when there are no stages."""
    lanes, placed = _placed(corpus, G)
    if not lanes:
        return ""
    counts: dict[str, Counter[str]] = {lane: Counter() for lane in lanes}
    for n, lane in placed.items():
        if lane in counts and n not in lanes:
            counts[lane][str(G.nodes[n][FRAMEWORK] or n)] += 1
    rows = max((len(c) for c in counts.values()), default=0)
    styles = framework_styles(corpus)
    width = len(lanes) * (_BOX_W + _GAP) - _GAP + 2
    height = _TOP + _BOX_H + 16 + rows * 18 + 8
    parts = [
        f'<svg class="portal-lifecycle" viewBox="0 0 {width} {height}" width="100%" '
        f'role="group" aria-labelledby="lifecycle-title" xmlns="http://www.w3.org/2000/svg">',
        '<title id="lifecycle-title">The ITIL v3 lifecycle, and how many elements of each '
        "framework align with each stage</title>",
        '<defs><marker id="lc-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#5c6bc0"/></marker></defs>',
        '<text x="1" y="16" class="lc-caption">Lifecycle: each stage hands over to the next; '
        "Continual Service Improvement feeds back into all of them.</text>",
    ]
    for i, lane in enumerate(lanes):
        x = 1 + i * (_BOX_W + _GAP)
        is_current = lane == current
        fill = "#3f51b5" if is_current else "#e8eaf6"
        ink = "#ffffff" if is_current else "#1a237e"
        lines = wrap(str(G.nodes[lane][TITLE]), 18 * 7.4)
        first_y = _TOP + _BOX_H / 2 + 5 - (len(lines) - 1) * 8
        spans = "".join(
            f'<tspan x="{x + _BOX_W / 2}" y="{first_y + k * 16}">{html.escape(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        aria = ' aria-current="page"' if is_current else ""
        parts.append(
            f'<a href="{prefix}{lane}.html"{aria}><rect x="{x}" y="{_TOP}" width="{_BOX_W}" '
            f'height="{_BOX_H}" rx="6" fill="{fill}" stroke="#3f51b5" '
            f'stroke-width="{3 if is_current else 1.5}"/>'
            f'<text text-anchor="middle" fill="{ink}" class="lc-stage">{spans}</text></a>'
        )
        if i < len(lanes) - 1:
            ax = x + _BOX_W + 2
            parts.append(
                f'<line x1="{ax}" y1="{_TOP + _BOX_H / 2}" x2="{ax + _GAP - 4}" '
                f'y2="{_TOP + _BOX_H / 2}" stroke="#5c6bc0" stroke-width="2" marker-end="url(#lc-arrow)"/>'
            )
        for row, (fw, count) in enumerate(
            sorted(counts[lane].items(), key=lambda kv: (-kv[1], kv[0]))
        ):
            style = styles.get(fw, {})
            colour = style.get("colour", "#BBBBBB")
            y = _TOP + _BOX_H + 20 + row * 18
            name = html.escape(str(style.get("short", fw)))
            parts.append(
                f'<rect x="{x + 4}" y="{y - 10}" width="10" height="10" fill="{colour}"/>'
                f'<text x="{x + 20}" y="{y}" class="lc-count">{name}: {count}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
