"""How the maps look: each framework's colour, border and shape (from its front matter), each
relation's line, the palettes of the two colour schemes, and the names maps draw.

Decided here once: :mod:`builder.render.maps` ships these to the page as they are, the legend
template draws the same shapes, and ``portal-maps.js`` only applies them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from builder.graph import (
    ACCOUNTABLE_FOR,
    AUTOMATES,
    CARRIES_OUT,
    LINKS_TO,
    PART_OF,
    PERFORMS,
    USES,
)
from builder.model import Corpus, Guidance

__all__ = [
    "NO_FRAMEWORK",
    "PALETTE",
    "RELATION_STYLE",
    "RelationStyle",
    "darker",
    "fallback_style",
    "framework_styles",
    "shape_points",
    "short_name",
]

#: The style key of elements with no framework (personas, tasks, guides, case studies).
NO_FRAMEWORK = "portal"
_NO_FRAMEWORK_STYLE = {
    "title": "Roles, tasks and guides",
    "short": "Portal",
    "colour": "#5C6BC0",
    "shape": "ring",
    "order": 0,
}
_FALLBACK_STYLE = {"colour": "#BBBBBB", "shape": "dot", "order": 99}


@dataclass(frozen=True, slots=True)
class RelationStyle:
    """How a relation's lines look: dash pattern (empty = solid), colours, arrow head; and its
    words, read forwards and backwards."""

    label: str
    back: str
    light: str
    dark: str
    dashes: tuple[int, ...] = ()
    arrow: bool = True


#: One line style per relation; dark-scheme colours keep at least 3:1 against the page.
RELATION_STYLE: dict[str, RelationStyle] = {
    "equal": RelationStyle("equal", "equal", "#000000", "#E0E0E0", arrow=False),
    "subset-of": RelationStyle("subset of", "superset of", "#0072B2", "#56B4E9", (8, 4)),
    "superset-of": RelationStyle("superset of", "subset of", "#009E73", "#3FD0A0", (2, 4)),
    "intersects-with": RelationStyle(
        "intersects with", "intersects with", "#D55E00", "#FF8A3D", (12, 4, 2, 4), arrow=False
    ),
    "no-relation": RelationStyle("no relation", "no relation", "#999999", "#8A8A8A", (1, 6)),
    AUTOMATES: RelationStyle("automates", "automated by", "#CC79A7", "#E7A6CB", (6, 3)),
    PART_OF: RelationStyle("part of", "contains", "#9E9E9E", "#7A7A7A"),
    LINKS_TO: RelationStyle("links to", "linked from", "#BDBDBD", "#666666", (2, 6)),
    PERFORMS: RelationStyle("performs", "performed by", "#56B4E9", "#56B4E9"),
    ACCOUNTABLE_FOR: RelationStyle(
        "accountable for", "answered for by", "#56B4E9", "#56B4E9", (4, 2)
    ),
    CARRIES_OUT: RelationStyle("carries out", "carried out by", "#0072B2", "#6FB7E6"),
    USES: RelationStyle("uses", "used by", "#CC79A7", "#E7A6CB", (3, 3)),
}

#: Colours that do not depend on a framework, per colour scheme. ``background`` is the page
#: behind the canvas (Material's default and slate backgrounds); labels keep at least 4.5:1
#: against it, and each label sits on a halo of it so that lines never cross its letters.
PALETTE: dict[str, dict[str, str]] = {
    "light": {
        "background": "#FFFFFF",
        "label": "#1F2329",
        "halo": "rgba(255,255,255,0.88)",
        "caption": "#283593",
        "group": "#4A4F58",
        "band": "rgba(63,81,181,0.06)",
        "ring": "#C2185B",
        "current": "#111111",
    },
    "dark": {
        "background": "#1E2129",
        "label": "#E6E8EE",
        "halo": "rgba(30,33,41,0.88)",
        "caption": "#B3BCF5",
        "group": "#B6BAC4",
        "band": "rgba(140,158,255,0.08)",
        "ring": "#FF80AB",
        "current": "#FFFFFF",
    },
}


def framework_styles(corpus: Corpus) -> dict[str, dict[str, Any]]:
    """Return each framework's title, short name, colour, border, shape and order.

    They come from the framework pages' front matter; a framework that sets none gets grey
    dots, and elements with no framework get :data:`NO_FRAMEWORK`'s style. Every map asks
    (a build draws some 400), so the table is made once per set of pages; each caller gets
    its own copy.
    """
    if not _STYLES or _STYLES[0][0] is not corpus.by_id:
        _STYLES[:] = [(corpus.by_id, _framework_styles(corpus))]  # one corpus at a time
    return {fw: dict(style) for fw, style in _STYLES[0][1].items()}


#: The last corpus's pages (by id) and their framework styles.
_STYLES: list[tuple[dict[str, Guidance], dict[str, dict[str, Any]]]] = []


def _framework_styles(corpus: Corpus) -> dict[str, dict[str, Any]]:
    styles = {NO_FRAMEWORK: dict(_NO_FRAMEWORK_STYLE)}
    for node in corpus:
        if node.kind == "framework":
            styles[node.id] = {
                "title": node.title,
                "short": node.short or node.title,
                "colour": node.colour or _FALLBACK_STYLE["colour"],
                "shape": node.shape or _FALLBACK_STYLE["shape"],
                "order": node.order if node.order is not None else _FALLBACK_STYLE["order"],
            }
    for style in styles.values():
        style["border"] = darker(str(style["colour"]))
        style["points"] = shape_points(str(style["shape"]))
    return styles


def shape_points(shape: str) -> list[list[float]]:
    """Return the corners of ``shape`` around (0, 0) at radius 1, or [] for a round shape.

    The legend draws them as SVG and the script on the canvas, so a shape is defined once.

    >>> shape_points("square"), shape_points("dot")
    ([[-0.85, -0.85], [0.85, -0.85], [0.85, 0.85], [-0.85, 0.85]], [])
    """
    if shape == "square":
        return [[-0.85, -0.85], [0.85, -0.85], [0.85, 0.85], [-0.85, 0.85]]
    corners = {"triangle": 3, "diamond": 4, "pentagon": 5, "hexagon": 6, "star": 10}
    if shape == "triangleDown":
        return [[x, -y] for x, y in shape_points("triangle")]
    if shape not in corners:
        return []
    count = corners[shape]
    points = []
    for i in range(count):
        angle = -math.pi / 2 + 2 * math.pi * i / count
        radius = 0.45 if shape == "star" and i % 2 else (1.15 if shape == "triangle" else 1.0)
        points.append([round(radius * math.cos(angle), 3), round(radius * math.sin(angle), 3)])
    return points


def short_name(node: Guidance, limit: int = 30) -> str:
    """Return the name maps draw: ``short`` from front matter, else the title when it is
    short enough, else the first alias of at most 24 characters, else the title.

    >>> from builder.errors import SourceLocation
    >>> at = SourceLocation("x.md", 1)
    >>> g = Guidance("a", "process", "Service Asset and Configuration Management", "", at,
    ...              aliases=("SACM",))
    >>> short_name(g), short_name(Guidance("b", "process", "Incident Management", "", at))
    ('SACM', 'Incident Management')
    """
    if node.short:
        return node.short
    if len(node.title) <= limit:
        return node.title
    return next((a for a in node.aliases if len(a) <= 24), node.title)


def darker(colour: str, factor: float = 0.62) -> str:
    """Return ``colour`` darkened: the border of a node, visible on a white page.

    >>> darker("#F0E442")
    '#958D29'
    """
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02X}{:02X}{:02X}".format(*(round(c * factor) for c in (r, g, b)))


def fallback_style(fw: str) -> dict[str, Any]:
    """Return the style of a framework that has no page: grey dots."""
    return {
        **_FALLBACK_STYLE,
        "title": fw,
        "short": fw,
        "border": darker(str(_FALLBACK_STYLE["colour"])),
        "points": [],
    }
