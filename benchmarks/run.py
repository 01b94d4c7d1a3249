"""`make bench`: measure the portal and write benchmarks/results.md.

- the CPU of `portal build` against a bare `mkdocs build` of the same generated docs tree, in
  pairs taken in turn, by phase of the build's two processes (see benchmarks/cpu_build.py);
- a full `portal build`, the pipeline step by step (everything but mkdocs) and search latency
  at 1x, 5x and 10x content, made by copying the real content under new ids;
- site size, zipped size and the ten heaviest pages;
- map first-render times in headless Chromium, map page payloads, copies of vis-network;
- search quality (MRR, hit@1, hit@5 against a plain baseline, and in-site hit@5) and the cold
  start of `portal search`.

Benchmarks are never assertions: this script only measures and reports.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from builder.config import BuildConfig
from builder.pipeline import check

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results.md"


def _timed(command: list[str]) -> float:
    start = time.monotonic()
    subprocess.run(command, check=True, capture_output=True)
    return time.monotonic() - start


def synthetic_project(copies: int, dest: Path) -> Path:
    """Copy the real content ``copies`` times under suffixed ids (links and mappings follow)."""
    checked = check(BuildConfig.from_root(ROOT))
    # Frameworks are shared by the copies; every other id gets a suffix per copy.
    frameworks = {n.id for n in checked.corpus if n.kind == "framework"}
    ids = sorted(set(checked.corpus.by_id) - frameworks, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(i) for i in ids) + r")(?![\w-])")
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for n in range(copies):
        suffix = "" if n == 0 else f"-x{n}"
        for folder in ("content", "mappings"):
            for path in (ROOT / folder).rglob("*"):
                if not path.is_file() or (
                    n and (path.name == "glossary.yaml" or path.stem in frameworks)
                ):
                    continue
                text = path.read_text(encoding="utf-8")
                if suffix:
                    text = pattern.sub(lambda m, s=suffix: m.group(1) + s, text)
                if suffix and folder == "mappings":
                    # A record between two (shared) framework pages exists once, not per copy.
                    data = yaml.safe_load(text)
                    data["records"] = [
                        r for r in data["records"] if not {r["source"], r["target"]} <= frameworks
                    ]
                    text = yaml.safe_dump(data, sort_keys=False)
                target = (
                    dest
                    / folder
                    / path.parent.relative_to(ROOT / folder)
                    / (path.stem + suffix + path.suffix)
                )
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    return dest


def at_scale(copies: int, runs: int = 1) -> dict[str, float]:
    """A full `portal build` of ``copies`` copies of the content (new process, wall time),
    then its pipeline step by step in another new process (see `pipeline_steps`); with
    ``runs`` > 1, the median of that many of each."""
    with tempfile.TemporaryDirectory() as tmp:
        root = synthetic_project(copies, Path(tmp))
        build = [sys.executable, "-m", "builder", "-q", "build", "--root", str(root)]
        steps = [sys.executable, __file__, "--steps", str(root)]
        measured: dict[str, list[float]] = {}
        for _ in range(runs):
            measured.setdefault("build", []).append(_timed(build))
            # The build leaves the kernel writing the new site (about 400 MB at 10x) back to
            # disk while the steps are measured: let that finish first.
            os.sync()
            site = root / "site"
            size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6
            measured.setdefault("site", []).append(size)
            out = subprocess.run(steps, check=True, capture_output=True, text=True).stdout
            for key, value in json.loads(out).items():
                measured.setdefault(key, []).append(value)
        return {key: statistics.median(values) for key, values in measured.items()}


def pipeline_steps(root: Path) -> dict[str, float]:
    """The pipeline without mkdocs, one step after another, and search latency, on ``root``."""
    from search_quality import WARM_UP

    from builder.render.docs import render_docs
    from builder.search.engine import SearchEngine
    from builder.search.index import find_related, write_index
    from builder.search.store import content_hash, index_dir, publish_generation

    queries = yaml.safe_load((ROOT / "tests" / "search" / "queries.yaml").read_text())["queries"]
    cfg = BuildConfig.from_root(root)
    # CPU seconds of this process: the steps run one after another in it, and on two shared
    # cores CPU time moves less than wall time from run to run.
    start = time.process_time()
    checked = check(cfg)
    t_check = time.process_time() - start
    start = time.process_time()
    related = find_related(checked.corpus, checked.graph)
    t_related = time.process_time() - start
    start = time.process_time()
    generation = write_index(checked.corpus, checked.graph, index_dir(cfg), content_hash(cfg))
    publish_generation(index_dir(cfg), generation)
    t_index = time.process_time() - start
    start = time.process_time()
    render_docs(checked.corpus, checked.graph, cfg.build_dir / "docs", related)
    t_render = time.process_time() - start
    engine = SearchEngine(cfg)
    for warm in WARM_UP:
        engine.search(warm)
    latencies = []
    for q in queries:
        s = time.perf_counter()
        engine.search(q["query"])
        latencies.append((time.perf_counter() - s) * 1000)
    engine.close()
    latencies.sort()
    return {
        "nodes": len(checked.corpus.by_id),
        "check": t_check,
        "related": t_related,
        "index": t_index,
        "render": t_render,
        "p50": statistics.median(latencies),
        "p95": latencies[int(0.95 * (len(latencies) - 1))],
    }


def site_sizes(site: Path) -> tuple[int, int, list[tuple[int, str]]]:
    files = [p for p in site.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for p in files:
            z.write(p, p.relative_to(site).as_posix())
    pages = sorted(
        ((p.stat().st_size, p.relative_to(site).as_posix()) for p in files if p.suffix == ".html"),
        reverse=True,
    )
    return total, len(buffer.getvalue()), pages[:10]


MAP_DRAWN = "performance.getEntriesByName('portal-map-drawn')"


def map_render_times(site: Path, runs: int = 9) -> list[dict[str, Any]]:
    """First render of the lifecycle overview, the largest other map and a local map.

    Each page is opened ``runs`` times in a new tab, after one load that warms the browser up.
    Two figures per load: the page's own ``portal-map-drawn`` mark (navigation start to the
    map's first drawing, set by portal-maps.js) and the wall clock from asking Playwright to
    open the page until it sees that mark (which adds the navigation and Playwright's round
    trips). Nothing waits for the load event: the map does not depend on it.
    """
    from playwright.sync_api import sync_playwright
    from search_quality import launch

    maps = sorted(
        (p for p in (site / "maps").glob("*.html") if p.name != "lifecycle.html"),
        key=lambda p: p.stat().st_size,
        reverse=True,
    )
    # The element page with the largest local map (a dense page shows a list instead, so a
    # fixed page such as Change Management may have no map to time).
    local = max(
        (p for p in site.glob("*.html") if 'class="pm-data"' in p.read_text(encoding="utf-8")),
        key=lambda p: p.stat().st_size,
    )
    chosen = [site / "maps" / "lifecycle.html", maps[0], local]
    out = []
    with sync_playwright() as p:
        browser = launch(p)

        def open_map(page_path: Path) -> tuple[float, float]:
            page = browser.new_page()
            page.route(
                "**/*",
                lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort(),
            )
            start = time.perf_counter()
            page.goto(page_path.as_uri(), wait_until="commit")
            page.wait_for_function(f"{MAP_DRAWN}.length > 0", polling="raf")
            wall = (time.perf_counter() - start) * 1000
            drawn = page.evaluate(f"{MAP_DRAWN}[0].startTime")
            page.close()
            return drawn, wall

        open_map(chosen[0])
        for page_path in chosen:
            drawn, wall = zip(*(open_map(page_path) for _ in range(runs)), strict=True)
            out.append(
                {
                    "page": page_path.relative_to(site).as_posix(),
                    "drawn": drawn,
                    "wall": wall,
                    "size": page_path.stat().st_size,
                }
            )
        browser.close()
    return out


def _spread(values: tuple[float, ...]) -> str:
    return f"{statistics.median(values):.0f} ({min(values):.0f}-{max(values):.0f})"


def cold_start_search() -> float:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "portal"),
                "-q",
                "search",
                "emergency change",
                "--root",
                str(ROOT),
            ],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="1,5,10", help="content multiples to measure")
    parser.add_argument("--steps", type=Path, help=argparse.SUPPRESS)  # see at_scale
    parser.add_argument(
        "--runs", type=int, default=5, help="pairs of builds (portal, bare mkdocs) to measure"
    )
    parser.add_argument(
        "--only",
        choices=["build"],
        help="measure only this section and print it (results.md is left as it is)",
    )
    parser.add_argument(
        "--no-in-site", action="store_true", help="skip in-site search (Chromium, about a minute)"
    )
    args = parser.parse_args()
    import cpu_build  # beside this script

    if args.steps:
        print(json.dumps(pipeline_steps(args.steps)))
        return
    lines = [
        "# Benchmarks",
        "",
        f"Measured {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}.",
        "Regenerate with `make bench`. Benchmarks only measure; no test asserts a time.",
        "",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        measured = cpu_build.measure(Path(tmp), args.runs)
        site = measured["site"]
        build_lines = [
            "## Build",
            "",
            "CPU seconds of a cold `portal build` by phase: the build's process renders pages and "
            "runs mkdocs while a second process (the index worker) finds related pages and "
            "writes the search index; the build waits for it only after mkdocs.",
            "",
            *cpu_build.report(measured),
            "",
        ]
        if args.only == "build":
            print("\n".join(build_lines))
            return
        lines += build_lines
        total, zipped, heaviest = site_sizes(site)
        lines += [
            "## Site size",
            "",
            f"{total / 1e6:.1f} MB in all, {zipped / 1e6:.1f} MB zipped. The ten heaviest pages:",
            "",
            "| page | KB |",
            "|---|---|",
            *(f"| {name} | {size / 1024:.0f} |" for size, name in heaviest),
            "",
        ]
        copies = [
            p
            for p in site.rglob("*.js")
            if b"A dynamic, browser-based visualization library" in p.read_bytes()
        ]
        lines += [
            "## Maps",
            "",
            f"Copies of vis-network in site/: {len(copies)}.",
            "",
            "First render of three map pages in headless Chromium from file://, median "
            "(range) of 9 loads after one warm-up load: **in page**, from navigation start to "
            "the map's first drawing (the page's `portal-map-drawn` mark); **wall clock**, from "
            "asking for the page until the harness sees that mark.",
            "",
            "| page | in page (ms) | wall clock (ms) | page payload (KB) |",
            "|---|---|---|---|",
        ]
        # The builds above leave the disk busy writing back: let the machine settle first.
        os.sync()
        time.sleep(3)
        for m in map_render_times(site):
            lines.append(
                f"| {m['page']} | {_spread(m['drawn'])} | {_spread(m['wall'])} "
                f"| {m['size'] / 1024:.0f} |"
            )
        lines.append("")
        lines += __import__("screenshots").take_screenshots(site, ROOT / "build" / "screenshots")
        lines += __import__("map_bench").report(site)  # screenshots, labels, timings per kind
        # The site's own search runs on this site (its index files are measured with it).
        quality = subprocess.run(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "search_quality.py"),
                *([] if args.no_in_site else ["--browser", str(site)]),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    lines += ["## Search quality", "", quality.strip(), ""]
    lines += [
        f"`portal search` cold start (new process, index current): {cold_start_search():.2f} s median of 5.",
        "",
    ]
    lines += [
        "## Scaling",
        "",
        "Copies of the content under new ids. For each size: a full `portal build` (new "
        "process, wall time, mkdocs included) and the size of the site it writes; then, in "
        "another new process, the pipeline without mkdocs one step after another (load + "
        "check, related pages, search index, render; CPU seconds) and search latency over the "
        "62 queries of tests/search/queries.yaml (each once, after the same warm-up as above). "
        "1x is the median of 3 runs, larger sizes one run. The last row divides the largest "
        "size by 1x, next to the ratio of nodes.",
        "",
        "| content | nodes | portal build s | site MB | check s cpu | related s cpu "
        "| index s cpu | render s cpu | search p50 ms | search p95 ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    columns = ("nodes", "build", "site", "check", "related", "index", "render", "p50", "p95")
    rows = {}
    for scale in (int(s) for s in args.scales.split(",")):
        rows[scale] = r = at_scale(scale, runs=3 if scale == 1 else 1)
        lines.append(
            f"| {scale}x | {r['nodes']:.0f} | "
            + " | ".join(f"{r[c]:.1f}" for c in columns[1:])
            + " |"
        )
        OUT.write_text("\n".join(lines) + "\n")
    if 1 in rows and len(rows) > 1:
        top = max(rows)
        lines.append(
            f"| **{top}x / 1x** | "
            + " | ".join(f"**{rows[top][c] / rows[1][c]:.1f}x**" for c in columns)
            + " |"
        )
    lines.append("")
    OUT.write_text("\n".join(lines) + "\n")
    print(OUT.read_text())


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
