"""Positions for the maps: columns with labels beside their nodes, and stacked blocks.

Every map is laid out twice, at build time: a *wide* layout for screens and projectors (columns
side by side, labels beside the nodes) and a *narrow* one for phones (blocks stacked one under
another, two columns of labels each). Coordinates are in pixels at scale 1, with labels
``FONT`` pixels high; the script picks the layout that fits the canvas and zooms so that labels
stay at least 12 pixels high, growing the canvas (and the page) rather than shrinking the text.

The order of the nodes in a column reduces the crossings of the lines between columns with the
barycentre heuristic (Sugiyama, Tagawa and Toda, 1981): each node moves to the mean position of
its neighbours in the next column, sweeping down and up a few times.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "FONT",
    "Block",
    "Layout",
    "barycentre_order",
    "blocks_layout",
    "columns_layout",
    "wrap",
]

#: Label size and line height at scale 1, and the width of an average character (an estimate
#: on the generous side for a sans-serif face, so that lines drawn are never wider).
FONT = 14
LINE = 17
CHAR = 8.8
#: Vertical room between two rows, and the radius of a node.
ROW_GAP = 9
NODE = 9
#: Space around the drawing, and the height of a column or block caption.
MARGIN = 16.0
#: Room left of a lane's nodes for the lines that join two nodes of that lane.
ARC = 22.0
CAPTION = 30


@dataclass
class Layout:
    """One arrangement of a map: each node's position and label lines, captions and bands."""

    width: float = 0
    height: float = 0
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    lines: dict[str, list[str]] = field(default_factory=dict)
    #: Where each label sits when not to the right of its node: ``left`` or ``above``.
    sides: dict[str, str] = field(default_factory=dict)
    #: Text drawn on the canvas: column titles, lane titles, framework group titles.
    captions: list[dict[str, Any]] = field(default_factory=list)
    #: Shaded rectangles behind lanes.
    bands: list[dict[str, float]] = field(default_factory=list)
    #: The widest a label line may be (the script cuts a longer one short with an ellipsis).
    label_width: float = 0
    #: Which lines to draw: ``all``, or ``selected`` (only those of the selected element, where
    #: drawing them all would bury the labels).
    lines_shown: str = "all"

    def record(self) -> dict[str, Any]:
        """Return what the script needs besides the nodes: size, captions and bands."""
        return {
            "width": round(self.width),
            "height": round(self.height),
            "captions": self.captions,
            "bands": self.bands,
            "label": round(self.label_width),
            "lines": self.lines_shown,
        }

    def bend(self, u: str, v: str) -> list[Any] | None:
        """Return how to curve the line from ``u`` to ``v`` when both sit in one column (a
        straight line would run over the nodes between them), or None.

        The line bows to the left of the column, away from the labels, by about 16 pixels
        (vis-network's ``curvedCCW`` bends a line going down to the left; its bulge grows with
        the roundness times the length, so the roundness shrinks as the line grows).
        """
        (xu, yu), (xv, yv) = self.positions[u], self.positions[v]
        if abs(xu - xv) > 1:
            return None
        length = abs(yu - yv) or 1
        return ["curvedCCW" if yv > yu else "curvedCW", round(min(0.5, max(0.02, 32 / length)), 3)]


@dataclass(frozen=True, slots=True)
class Block:
    """A titled group of nodes in a stacked layout, possibly split into titled sub-groups."""

    title: str
    groups: Sequence[tuple[str, Sequence[str]]]


def wrap(text: str, width: float) -> list[str]:
    """Break ``text`` into lines at most ``width`` pixels wide (a long word stands alone).

    >>> wrap("Service Asset and Configuration Management", 150)
    ['Service Asset and', 'Configuration', 'Management']
    """
    chars = max(int(width / CHAR), 4)
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def barycentre_order(
    columns: Sequence[Sequence[str]], neighbours: Mapping[str, Iterable[str]], sweeps: int = 4
) -> list[list[str]]:
    """Reorder each column to reduce crossings between neighbouring columns.

    A node with no neighbour in the column it is compared with keeps its place. Sorting is
    stable, so ties keep the order given (the framework's reading order).

    >>> barycentre_order([["a", "b"], ["x", "y"]], {"x": ["b"], "y": ["a"], "a": ["y"], "b": ["x"]})
    [['a', 'b'], ['y', 'x']]
    """
    cols = [list(c) for c in columns]
    adjacent = {n: set(vs) for n, vs in neighbours.items()}

    def rank(column: list[str]) -> dict[str, float]:
        return {n: (i + 0.5) / len(column) for i, n in enumerate(column)}

    def reorder(target: int, reference: int) -> None:
        ref = rank(cols[reference])
        here = rank(cols[target])
        key = {}
        for n in cols[target]:
            near = [ref[v] for v in adjacent.get(n, ()) if v in ref]
            # fsum: a float sum that does not depend on the order a set of neighbours
            # iterates in, which changes with the hash seed and so from build to build
            key[n] = math.fsum(near) / len(near) if near else here[n]
        cols[target].sort(key=lambda n: key[n])

    for _ in range(sweeps):
        for i in range(1, len(cols)):
            reorder(i, i - 1)
        for i in range(len(cols) - 2, -1, -1):
            reorder(i, i + 1)
    return cols


def columns_layout(
    columns: Sequence[Sequence[str]],
    labels: Mapping[str, str],
    neighbours: Mapping[str, Iterable[str]],
    *,
    label_width: float,
    gap: float,
    sides: Sequence[str] | None = None,
    titles: Sequence[str] = (),
) -> Layout:
    """Place ``columns`` side by side, each node's label beside it.

    ``sides`` says where each column's labels go (``"right"`` by default, ``"left"`` for the
    first column of a two-column map). The tallest column is stacked from the top; every other
    column is placed, column by column outwards from it, at the mean height of each node's
    neighbours in the column placed before it, pushed apart where rows would overlap.
    """
    sides = list(sides or ["right"] * len(columns))
    layout = Layout(label_width=label_width)
    top = MARGIN + (CAPTION if titles else 0)
    xs, right_edge = _column_xs(sides, label_width, gap)
    layout.width = right_edge + MARGIN
    heights: dict[str, float] = {}
    for column, side in zip(columns, sides, strict=True):
        for n in column:
            layout.lines[n] = wrap(labels[n], label_width)
            text = len(layout.lines[n]) * LINE
            # A label above its node needs room above it: the row is twice as tall, centred.
            heights[n] = (2 * (text + NODE) if side == "above" else max(text, 2 * NODE)) + ROW_GAP
            if side != "right":
                layout.sides[n] = side
    ys: dict[str, float] = {}
    if columns:
        tallest = max(range(len(columns)), key=lambda i: sum(heights[n] for n in columns[i]))
        _stack(columns[tallest], heights, top, ys)
        order = sorted(range(len(columns)), key=lambda i: abs(i - tallest))[1:]
        for i in order:
            placed = i - 1 if i > tallest else i + 1
            ref = set(columns[placed])
            wanted = []
            for n in columns[i]:
                near = [ys[v] for v in neighbours.get(n, ()) if v in ref]
                wanted.append(math.fsum(near) / len(near) if near else None)
            _spread(columns[i], wanted, heights, top, ys)
    for i, column in enumerate(columns):
        for n in column:
            layout.positions[n] = (round(xs[i], 1), round(ys[n], 1))
    bottom = max((ys[n] + heights[n] / 2 for n in ys), default=top)
    layout.height = bottom + MARGIN
    for i, title in enumerate(titles):
        if title:
            left = sides[i] == "left"
            anchor = xs[i] + NODE if left else xs[i] - NODE
            layout.captions.append(
                {
                    "text": title,
                    "x": round(anchor, 1),
                    "y": MARGIN + 4,
                    "align": "end" if left else "start",
                    "bold": True,
                }
            )
    return layout


def _column_xs(sides: Sequence[str], label_width: float, gap: float) -> tuple[list[float], float]:
    """Return the x of each column's nodes, left to right, and the right edge of the last
    column's labels: a label goes left of its node, above it, or right of it (``sides``)."""
    cursor = right_edge = MARGIN
    xs: list[float] = []
    for side in sides:
        if side == "left":
            xs.append(cursor + label_width + 6 + NODE)
            right_edge = xs[-1] + NODE
        elif side == "above":
            xs.append(cursor + label_width / 2)
            right_edge = cursor + label_width
        else:
            xs.append(cursor + NODE)
            right_edge = xs[-1] + NODE + 6 + label_width
        cursor = right_edge + gap
    return xs, right_edge


def blocks_layout(
    blocks: Sequence[Block],
    labels: Mapping[str, str],
    *,
    label_width: float,
    per_row: int = 2,
    across: bool = False,
    gap: float = 18,
) -> Layout:
    """Lay out ``blocks``, each on a shaded band: stacked (``across=False``) or side by side.

    A block has a title, then groups that each have a small title of their own (an empty title
    draws none); a group's nodes fill ``per_row`` columns, labels to the right of the nodes.
    """
    layout = Layout(label_width=label_width)
    # Side by side, each lane keeps a margin left of its nodes for the lines within it.
    indent = ARC if across else 0.0
    cell = NODE * 2 + 6 + label_width
    block_width = cell * per_row + 12 + indent
    x, y = MARGIN, MARGIN
    bottom = y
    for block in blocks:
        end = _block(layout, block, labels, x, y, label_width, per_row, indent)
        layout.bands.append({"x": x - 6, "y": y - 6, "w": block_width, "h": end - y + 12})
        bottom = max(bottom, end)
        if across:
            x += block_width + gap
        else:
            y = end + gap
    if across:
        for band in layout.bands:  # lanes run the full height, so that they read as lanes
            band["h"] = bottom - band["y"] + 6
    layout.width = (x - gap if across else x + block_width) + MARGIN
    layout.height = bottom + MARGIN + 6
    return layout


def _block(
    layout: Layout,
    block: Block,
    labels: Mapping[str, str],
    x: float,
    y: float,
    label_width: float,
    per_row: int,
    indent: float = 0.0,
) -> float:
    """Place one block with its top left corner at (``x``, ``y``); return its bottom."""
    cell = NODE * 2 + 6 + label_width
    title_lines = wrap(block.title, cell * per_row - 6)
    layout.captions.append(
        {"text": "\n".join(title_lines), "x": x, "y": y, "align": "start", "bold": True}
    )
    y += len(title_lines) * (LINE + 2) + 10
    for group, members in block.groups:
        if not members:
            continue
        if group:
            layout.captions.append({"text": group, "x": x, "y": y, "align": "start"})
            y += LINE + 2
        for row in range(0, len(members), per_row):
            cells = members[row : row + per_row]
            tallest = 0.0
            for n in cells:
                layout.lines[n] = wrap(labels[n], label_width)
                tallest = max(tallest, max(len(layout.lines[n]) * LINE, 2 * NODE) + ROW_GAP)
            for k, n in enumerate(cells):
                layout.positions[n] = (
                    round(x + indent + NODE + k * cell, 1),
                    round(y + tallest / 2, 1),
                )
            y += tallest
        y += 8
    return y


def _stack(
    column: Sequence[str], heights: Mapping[str, float], top: float, ys: dict[str, float]
) -> None:
    y = top
    for n in column:
        ys[n] = y + heights[n] / 2
        y += heights[n]


def _spread(
    column: Sequence[str],
    wanted: Sequence[float | None],
    heights: Mapping[str, float],
    top: float,
    ys: dict[str, float],
) -> None:
    """Place ``column`` in order, each node as near its wanted height as the rows allow.

    Nodes with no wanted height sit just under the one before. Rows are pushed down where they
    would overlap, then the whole column moves up by the mean push (never above ``top``), so that
    a crowded column spreads both ways around its neighbours.
    """
    y = top
    pushed = []
    for n, want in zip(column, wanted, strict=True):
        centre = max(want if want is not None else y + heights[n] / 2, y + heights[n] / 2)
        ys[n] = centre
        if want is not None:
            pushed.append(centre - want)
        y = centre + heights[n] / 2
    if pushed and column:
        first = column[0]
        shift = min(sum(pushed) / len(pushed), ys[first] - heights[first] / 2 - top)
        for n in column:
            ys[n] -= max(shift, 0)
