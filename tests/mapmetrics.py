"""Measure what a map paints: every text drawn on its canvas, as the reader's screen shows it.

A script added before the page loads records each ``fillText`` call on a map's canvas with the
canvas transform in force, so the sizes and boxes come from the drawing itself, whoever draws
it (vis-network or portal-maps.js). Used by tests/test_browser_maps.py and by `make bench`.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from typing import Any

#: Add with ``context.add_init_script(RECORDER)`` before opening a map.
RECORDER = """
(() => {
  const fill = CanvasRenderingContext2D.prototype.fillText;
  window.__texts = null;
  CanvasRenderingContext2D.prototype.fillText = function (text, x, y) {
    const app = this.canvas.closest && this.canvas.closest(".portal-map-app");
    if (window.__texts && app && String(text).trim()) {
      const t = this.getTransform();
      const dpr = window.devicePixelRatio || 1;
      const size = parseFloat(/([\\d.]+)px/.exec(this.font)[1]);
      const width = this.measureText(text).width;
      const a = this.textAlign, b = this.textBaseline;
      const left = a === "right" || a === "end" ? x - width : a === "center" ? x - width / 2 : x;
      const top = b === "top" ? y : b === "middle" ? y - size / 2 : y - size * 0.8;
      const s = t.a / dpr;
      const r = this.canvas.getBoundingClientRect();
      window.__texts.push({
        text: String(text), px: size * s, fill: String(this.fillStyle),
        left: r.left + t.e / dpr + left * s, top: r.top + t.f / dpr + top * s,
        width: width * s, height: size * s,
      });
    }
    return fill.apply(this, arguments);
  };
})();
"""

#: Record one whole frame of the first map, then return its texts and the canvas box.
FRAME = """
async () => {
  const m = window.portalMaps[0];
  window.__texts = [];
  await new Promise((done) => { m.network.once("afterDrawing", done); m.network.redraw(); });
  const texts = window.__texts;
  window.__texts = null;
  const box = m.app.querySelector(".pm-canvas").getBoundingClientRect();
  const bg = getComputedStyle(m.app.querySelector(".pm-canvas")).backgroundColor;
  return {texts, canvas: {left: box.left, top: box.top, width: box.width, height: box.height},
          background: bg, layout: m.layoutName, scale: m.network.getScale()};
}
"""


@dataclass(frozen=True, slots=True)
class Frame:
    """What one frame of a map painted, in CSS pixels of the page."""

    texts: list[dict[str, Any]]
    canvas: dict[str, float]
    background: str
    layout: str
    scale: float

    @property
    def median_px(self) -> float:
        """Return the median on-screen height of the texts drawn."""
        return statistics.median(t["px"] for t in self.texts)

    @property
    def span(self) -> float:
        """Return the share of the canvas width the drawn texts cover, left to right."""
        left = max(min(t["left"] for t in self.texts), self.canvas["left"])
        right = min(
            max(t["left"] + t["width"] for t in self.texts),
            self.canvas["left"] + self.canvas["width"],
        )
        return (right - left) / self.canvas["width"]

    @property
    def worst_overlap(self) -> tuple[float, str, str]:
        """Return the largest overlap of two texts (the smaller of its width and height, in
        px) and the two texts."""
        boxes = sorted(self.texts, key=lambda t: t["left"])
        worst = (0.0, "", "")
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                if b["left"] >= a["left"] + a["width"]:
                    break
                dx = min(a["left"] + a["width"], b["left"] + b["width"]) - b["left"]
                dy = min(a["top"] + a["height"], b["top"] + b["height"]) - max(a["top"], b["top"])
                overlap = min(dx, dy)
                if dy > 0 and overlap > worst[0]:
                    worst = (overlap, a["text"], b["text"])
        return worst

    def contrast(self) -> float:
        """Return the lowest contrast ratio of a text's colour against the canvas background."""
        back = _rgb(self.background)
        return min(contrast_ratio(_rgb(t["fill"]), back) for t in self.texts)


def frame(page: Any) -> Frame:
    """Record one frame of the first map on ``page`` (opened with :data:`RECORDER` added)."""
    return Frame(**page.evaluate(FRAME))


def contrast_ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """Return the WCAG contrast ratio of two sRGB colours.

    >>> round(contrast_ratio((0, 0, 0), (255, 255, 255)), 1)
    21.0
    """

    def luminance(rgb: tuple[int, int, int]) -> float:
        def channel(c: int) -> float:
            v = c / 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        r, g, b_ = (channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _rgb(colour: str) -> tuple[int, int, int]:
    """Return the red, green and blue of ``#rrggbb`` or ``rgb(...)``/``rgba(...)``."""
    if colour.startswith("#"):
        return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))
    r, g, b = (int(float(v)) for v in re.findall(r"[\d.]+", colour)[:3])
    return (r, g, b)
