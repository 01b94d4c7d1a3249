"""Maps in `make bench`: screenshots of each kind of map, what their labels measure, timings.

For each kind of map (the lifecycle overview, every framework pair, the stage maps, the largest
role map, and a page's local map), in the light and dark schemes, at 1280x800 and 390x844:
a screenshot under build/screenshots/ and the labels of the first frame (median size on
screen, the share of the canvas width the drawing spans, the worst overlap of two labels, the
lowest label contrast). Then the first render (the page's `portal-map-drawn` mark) of each
kind, and the page payloads. Run alone: `python benchmarks/map_bench.py [site/]`.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "build" / "screenshots"
sys.path.insert(0, str(ROOT / "tests"))

from mapmetrics import RECORDER, frame  # noqa: E402

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
MAP_DRAWN = "performance.getEntriesByName('portal-map-drawn')"


def chosen_pages(site: Path) -> dict[str, Path]:
    """Return one page of each kind of map (all pairs), by a short name."""
    maps = site / "maps"
    roles = sorted(maps.glob("role-*.html"), key=lambda p: p.stat().st_size)
    pages = {"lifecycle": maps / "lifecycle.html"}
    pages |= {p.stem: p for p in sorted(maps.glob("pair-*.html"))}
    pages |= {p.stem: p for p in sorted(maps.glob("stage-*.html"))[:1]}
    if roles:
        pages[roles[-1].stem] = roles[-1]
    # A page's local map: the first ITIL process page that draws one (crowded ones list).
    local = next(
        (
            p
            for p in sorted(site.glob("itil-*.html"))
            if 'class="portal-map-app pm-local"' in p.read_text()
        ),
        None,
    )
    if local is not None:
        pages[f"local-{local.stem}"] = local
    return {k: v for k, v in pages.items() if v.exists()}


def measure(site: Path, *, shots: bool = True, runs: int = 7) -> list[str]:
    """Return Markdown lines for benchmarks/results.md; write screenshots when ``shots``."""
    from playwright.sync_api import sync_playwright
    from search_quality import launch

    pages = chosen_pages(site)
    SHOTS.mkdir(parents=True, exist_ok=True)
    rows = []
    with sync_playwright() as p:
        browser = launch(p)
        for scheme in ("light", "dark"):
            for device, (w, h) in SIZES.items():
                context = browser.new_context(
                    viewport={"width": w, "height": h}, color_scheme=scheme
                )
                context.add_init_script(RECORDER)
                context.route(
                    "**/*",
                    lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort(),
                )
                page = context.new_page()
                for name, path in pages.items():
                    page.goto(path.as_uri())
                    page.wait_for_function("window.portalMaps && window.portalMaps.length > 0")
                    if scheme == "dark":
                        page.wait_for_function(
                            "document.body.getAttribute('data-md-color-scheme') === 'slate'"
                        )
                    f = frame(page)
                    overlap, _, _ = f.worst_overlap
                    rows.append(
                        f"| {name} | {scheme} | {device} | {f.layout} | {f.median_px:.1f} "
                        f"| {f.span:.0%} | {overlap:.1f} | {f.contrast():.1f} |"
                    )
                    if shots:
                        page.locator(".portal-map-app").first.screenshot(
                            path=str(SHOTS / f"map-{name}-{scheme}-{w}.png")
                        )
                context.close()
        timings = _first_render(browser, pages, runs)
        browser.close()
    lines = [
        "### Map labels at first paint",
        "",
        "Measured from the texts each map paints on its canvas (tests/mapmetrics.py): the "
        "layout chosen, the median label height on screen, the share of the canvas width the "
        "drawing spans, the worst overlap of two labels, and the lowest label contrast against "
        f"the canvas. Screenshots: {SHOTS.relative_to(ROOT)}/.",
        "",
        "| map | scheme | window | layout | median label px | span | worst overlap px | contrast |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"### First render of each kind of map (median of {runs} loads, ms) and payload",
        "",
        "| page | in page (ms) | range | page payload (KB) |",
        "|---|---|---|---|",
        *(
            f"| {name} | {statistics.median(t):.0f} | {min(t):.0f}-{max(t):.0f} "
            f"| {pages[name].stat().st_size / 1024:.0f} |"
            for name, t in timings.items()
        ),
        "",
    ]
    return lines


def _first_render(browser: Any, pages: dict[str, Path], runs: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    kinds = [
        "lifecycle",
        "pair-itil-mof4",
        *(k for k in pages if k.startswith(("stage-", "role-", "local-"))),
    ]
    for name in [k for k in kinds if k in pages]:
        times = []
        for i in range(runs + 1):
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.route(
                "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
            )
            page.goto(pages[name].as_uri(), wait_until="commit")
            page.wait_for_function(f"{MAP_DRAWN}.length > 0", polling="raf")
            if i:  # the first load warms the browser up
                times.append(page.evaluate(f"{MAP_DRAWN}[0].startTime"))
            page.close()
        out[name] = times
    return out


def report(site: Path) -> list[str]:
    """Return the maps section of benchmarks/results.md (the hook in benchmarks/run.py)."""
    return measure(site)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    print("\n".join(measure(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "site").resolve())))
