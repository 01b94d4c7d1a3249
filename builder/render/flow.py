"""A process flow drawn at build time from a page's sub-processes, as accessible inline SVG.

The flow runs top to bottom in one column, so that it reads on a phone and prints on a portrait
sheet: a start terminator, each sub-process as a numbered box in flow order, a diamond after each
sub-process that has a decision, and an end terminator. "Yes" goes on down the column (unless the
decision names another target); every other branch leaves the diamond to the right, runs down or
up a lane beside the column, and enters its target from the right.

The SVG carries no colour of its own: lines and text are ``currentColor`` and the fills come from
the page's CSS variables (``portal-anatomy.css``), so it follows the light and dark schemes and
prints in black. It is ``role="img"`` with a ``<title>`` and a ``<desc>`` that says the whole flow
in words; the page's "Sub-processes" section is the full text alternative.

Each shape and edge names what it stands for (``data-id``, ``data-from``, ``data-to``), so that a
test can check the drawing against the front matter.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from builder.model import SubProcess

__all__ = ["END", "START", "decision_id", "flow_svg"]

#: Ids of the two terminators; a decision may send its "no" (or "yes") branch to ``END``.
START = "start"
END = "end"

_LEFT = 8  # margin left of the column
_BOX_W = 288  # width of a box and of a diamond
_GAP = 26  # vertical space between shapes: the length of an arrow
_LINE = 17  # line height of text
_PAD = 10  # space above and below the text of a box
_TERM_W, _TERM_H = 120, 30
_LANE0, _LANE_STEP = 30, 16  # first lane right of the column, and the space between lanes
_BOX_CHARS, _DIAMOND_CHARS = 34, 24  # characters per line of a box and of a diamond
_SCALE = 1.15  # natural size on a wide screen, in CSS pixels per unit


def decision_id(step: str) -> str:
    """Return the shape id of the decision that follows sub-process ``step``."""
    return f"{step}.decision"


@dataclass(slots=True)
class _Shape:
    id: str
    kind: str  # "terminal", "step" or "decision"
    lines: list[str]
    top: float
    height: float

    @property
    def middle(self) -> float:
        return self.top + self.height / 2

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def right(self) -> float:
        """Where a branch coming from the lanes meets the shape."""
        if self.kind == "terminal":
            return _LEFT + (_BOX_W + _TERM_W) / 2
        return _LEFT + _BOX_W


@dataclass(slots=True)
class _Edge:
    source: str
    target: str
    answer: str  # "", "yes" or "no"


def flow_svg(steps: Sequence[SubProcess], *, title: str, ident: str = "flow") -> str:
    """Return the flow of ``steps`` as one line of SVG, or ``""`` when there are none.

    Args:
        steps: The sub-processes in flow order; decision targets must be their ids or ``END``
            (validation guarantees it; an unknown target is drawn to the end).
        title: What the flow is of, for the ``<title>`` ("Change Management").
        ident: A prefix for the SVG's element ids, unique on the page.
    """
    if not steps:
        return ""
    shapes = _shapes(steps)
    edges = _edges(steps)
    by_id = {s.id: s for s in shapes}
    lanes = _lanes([(i, e) for i, e in enumerate(edges) if not _straight(e, shapes)], by_id)
    width = _LEFT + _BOX_W + (_LANE0 + _LANE_STEP * max(lanes.values()) + 14 if lanes else 10)
    height = shapes[-1].bottom + 4
    mid = _LEFT + _BOX_W / 2
    out = [
        f'<svg class="portal-flow" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'viewBox="0 0 {width:g} {height:g}" width="{width * _SCALE:.0f}" '
        f'height="{height * _SCALE:.0f}" xmlns="http://www.w3.org/2000/svg" font-size="14">',
        f'<title id="{ident}-title">Process flow of {_esc(title)}</title>',
        f'<desc id="{ident}-desc">{_esc(_describe(steps))}</desc>',
        f'<defs><marker id="{ident}-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker></defs>',
    ]
    for shape in shapes:
        out.append(_draw_shape(shape, mid))
    for i, edge in enumerate(edges):
        out.append(_draw_edge(edge, by_id, lanes.get(i, 0), mid, ident))
    out.append("</svg>")
    return "".join(out)


# -----------------------------------------------------------------------------
# Layout


def _shapes(steps: Sequence[SubProcess]) -> list[_Shape]:
    """Stack the shapes top to bottom: start, each step and its decision, end."""
    shapes: list[_Shape] = []
    top = 2.0

    def add(shape_id: str, kind: str, lines: list[str], height: float) -> None:
        nonlocal top
        shapes.append(_Shape(shape_id, kind, lines, top, height))
        top += height + _GAP

    add(START, "terminal", ["Start"], _TERM_H)
    for number, step in enumerate(steps, start=1):
        lines = textwrap.wrap(f"{number}. {step.name}", _BOX_CHARS) or [str(number)]
        add(step.id, "step", lines, 2 * _PAD + _LINE * len(lines))
        if step.decision is not None:
            q = textwrap.wrap(step.decision.question, _DIAMOND_CHARS) or ["?"]
            add(decision_id(step.id), "decision", q, 40 + _LINE * len(q))
    add(END, "terminal", ["End"], _TERM_H)
    return shapes


def _edges(steps: Sequence[SubProcess]) -> list[_Edge]:
    """Every arrow of the flow: down the column, and each decision's branches."""
    known = {s.id for s in steps}

    def target(value: str | None, default: str) -> str:
        if value is None:
            return default
        return value if value in known else END

    edges = [_Edge(START, steps[0].id, "")]
    for i, step in enumerate(steps):
        after = steps[i + 1].id if i + 1 < len(steps) else END
        if step.decision is None:
            edges.append(_Edge(step.id, after, ""))
            continue
        here = decision_id(step.id)
        edges.append(_Edge(step.id, here, ""))
        edges.append(_Edge(here, target(step.decision.yes, after), "yes"))
        edges.append(_Edge(here, target(step.decision.no, END), "no"))
    return edges


def _straight(edge: _Edge, shapes: list[_Shape]) -> bool:
    """Whether the edge goes straight down to the next shape of the column."""
    ids = [s.id for s in shapes]
    return ids.index(edge.target) == ids.index(edge.source) + 1


def _lanes(branches: list[tuple[int, _Edge]], by_id: dict[str, _Shape]) -> dict[int, int]:
    """Give each branch a lane (1, 2 ...) right of the column, keyed by its index.

    Shortest spans first, each in the innermost lane whose branches it does not overlap, so
    that short branches stay close to the column and long ones pass outside them.
    """
    taken: list[list[tuple[float, float]]] = []
    lanes: dict[int, int] = {}

    def span(e: _Edge) -> tuple[float, float]:
        a, b = by_id[e.source].middle, by_id[e.target].middle
        return (min(a, b) - 4, max(a, b) + 4)

    for index, edge in sorted(branches, key=lambda b: (span(b[1])[1] - span(b[1])[0], b[0])):
        lo, hi = span(edge)
        for n, used in enumerate(taken):
            if all(hi < a or lo > b for a, b in used):
                used.append((lo, hi))
                lanes[index] = n + 1
                break
        else:
            taken.append([(lo, hi)])
            lanes[index] = len(taken)
    return lanes


# -----------------------------------------------------------------------------
# Drawing


def _draw_shape(shape: _Shape, mid: float) -> str:
    first = shape.middle + 5 - (len(shape.lines) - 1) * _LINE / 2
    text = "".join(
        f'<tspan x="{mid:g}" y="{first + k * _LINE:g}">{_esc(line)}</tspan>'
        for k, line in enumerate(shape.lines)
    )
    label = f'<text text-anchor="middle" fill="currentColor">{text}</text>'
    if shape.kind == "step":
        outline = (
            f'<rect class="pf-box" x="{_LEFT}" y="{shape.top:g}" width="{_BOX_W}" '
            f'height="{shape.height:g}" rx="6" fill="none" stroke="currentColor" stroke-width="1.5"/>'
        )
    elif shape.kind == "decision":
        t, m, b = shape.top, shape.middle, shape.bottom
        points = f"{mid:g},{t:g} {_LEFT + _BOX_W},{m:g} {mid:g},{b:g} {_LEFT},{m:g}"
        outline = (
            f'<polygon class="pf-diamond" points="{points}" fill="none" stroke="currentColor" '
            'stroke-width="1.5"/>'
        )
    else:
        outline = (
            f'<rect class="pf-terminal-shape" x="{mid - _TERM_W / 2:g}" y="{shape.top:g}" '
            f'width="{_TERM_W}" height="{shape.height:g}" rx="{shape.height / 2:g}" fill="none" '
            'stroke="currentColor" stroke-width="1.5"/>'
        )
    return f'<g class="pf-{shape.kind}" data-id="{_esc(shape.id)}">{outline}{label}</g>'


def _draw_edge(edge: _Edge, by_id: dict[str, _Shape], lane: int, mid: float, ident: str) -> str:
    """Draw one arrow; ``lane`` is 0 for an arrow straight down the column."""
    source, target = by_id[edge.source], by_id[edge.target]
    if not lane:
        points = [(mid, source.bottom), (mid, target.top)]
        label_at = (mid + 8, source.bottom + _GAP / 2 + 4)
    else:
        x = float(_LEFT + _BOX_W + _LANE0 + _LANE_STEP * (lane - 1))
        start = (source.right, source.middle)
        points = [start, (x, source.middle), (x, target.middle), (target.right, target.middle)]
        label_at = (source.right + 4, source.middle - 5)
    d = " ".join(f"{'M' if i == 0 else 'L'}{x:g},{y:g}" for i, (x, y) in enumerate(points))
    answer = f' data-answer="{edge.answer}"' if edge.answer else ""
    path = (
        f'<path class="pf-edge" data-from="{_esc(edge.source)}" data-to="{_esc(edge.target)}"'
        f'{answer} d="{d}" fill="none" stroke="currentColor" stroke-width="1.5" '
        f'marker-end="url(#{ident}-arrow)"/>'
    )
    if not edge.answer:
        return path
    lx, ly = label_at
    word = edge.answer.capitalize()
    return (
        f'{path}<text class="pf-answer" x="{lx:g}" y="{ly:g}" font-size="12" '
        f'fill="currentColor">{word}</text>'
    )


def _describe(steps: Sequence[SubProcess]) -> str:
    """Say the flow in words, for the ``<desc>``."""
    number = {s.id: i for i, s in enumerate(steps, start=1)}

    def where(target: str | None, default: str) -> str:
        if target is None:
            return default
        return f"to step {number[target]}" if target in number else "to the end"

    parts = []
    for i, step in enumerate(steps, start=1):
        text = f"{i}. {step.name}."
        if step.decision is not None:
            after = f"to step {i + 1}" if i < len(steps) else "to the end"
            text += (
                f" Then decide: {step.decision.question} If yes, go "
                f"{where(step.decision.yes, after)}; if no, go {where(step.decision.no, after)}."
            )
        parts.append(text)
    return f"{len(steps)} sub-processes, from start to end: " + " ".join(parts)


def _esc(text: str) -> str:
    return html.escape(text, quote=True)
