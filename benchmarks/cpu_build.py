"""The build's CPU against a bare `mkdocs build` of the same generated docs, by phase.

Each run is a pair, taken in turn: a cold `portal build` in a new process, then a bare
`mkdocs build` of the docs tree it generated, in another. Both are measured as process CPU
(user + system, from ``getrusage(RUSAGE_CHILDREN)``), which counts the build's index worker
too: the build waits for it. The build's process reports its CPU per phase, and the worker's
per step, so that the table says where the difference goes.

    .venv/bin/python benchmarks/cpu_build.py [--runs 5]

Benchmarks are never assertions: this only measures and reports.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def measure(work: Path, runs: int = 5, root: Path = ROOT) -> dict[str, Any]:
    """Run ``runs`` pairs (portal build, bare mkdocs) in ``work``; return every figure."""
    site, build_dir = work / "site", work / "build"
    portal = [sys.executable, __file__, "--child", str(root), str(site), str(build_dir)]
    bare = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(build_dir / "mkdocs.yml")]
    bare += ["-d", str(work / "bare-site")]
    pairs: list[dict[str, Any]] = []
    for _ in range(runs):
        # Cold: nothing of an earlier build is reused (the build cleans its docs and writes
        # a new index generation each time; the site folders are removed as well).
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(work / "bare-site", ignore_errors=True)
        portal_cpu, portal_wall, out = _run(portal)
        bare_cpu, bare_wall, _ = _run(bare)
        pairs.append(
            {
                **json.loads(out),
                "portal": portal_cpu,
                "portal wall": portal_wall,
                "bare": bare_cpu,
                "bare wall": bare_wall,
                "load average": os.getloadavg()[0],
            }
        )
    return {"pairs": pairs, "site": site}


def summary(measured: dict[str, Any]) -> dict[str, Any]:
    """Medians over the pairs: totals, ratios, and CPU per phase of each process."""
    pairs = measured["pairs"]

    def median(values: list[float]) -> float:
        return statistics.median(values)

    main = {k: median([p["main"][k] for p in pairs]) for k in pairs[0]["main"]}
    worker = {k: median([p["worker"][k] for p in pairs]) for k in pairs[0]["worker"]}
    portal, bare = median([p["portal"] for p in pairs]), median([p["bare"] for p in pairs])
    return {
        "main": main,
        "worker": worker,
        "portal": portal,
        "bare": bare,
        "ratio": portal / bare,
        "ratios": [p["portal"] / p["bare"] for p in pairs],
        "main process": median([p["portal"] - p["worker"]["process"] for p in pairs]),
        # What no phase timed, run by run (medians of totals and of phases come from
        # different runs, so their difference would mix the noise of several).
        "main other": median(
            [p["portal"] - p["worker"]["process"] - sum(p["main"].values()) for p in pairs]
        ),
        "worker other": median(
            [
                p["worker"]["process"] - sum(v for k, v in p["worker"].items() if k != "process")
                for p in pairs
            ]
        ),
        # What the portal adds to mkdocs: all but its mkdocs run, in both processes.
        "own": median([p["portal"] - p["main"]["site"] for p in pairs]),
        "portal wall": median([p["portal wall"] for p in pairs]),
        "bare wall": median([p["bare wall"] for p in pairs]),
    }


def report(measured: dict[str, Any]) -> list[str]:
    """Markdown lines: the CPU table by phase and the ratio, with every run."""
    s = summary(measured)
    pairs = measured["pairs"]
    lines = [
        "| process | phase | CPU s |",
        "|---|---|---|",
        *(f"| build | {k} | {v:.2f} |" for k, v in s["main"].items()),
        f"| build | startup, imports, exit | {s['main other']:.2f} |",
        f"| build | **all** | **{s['main process']:.2f}** |",
        *(f"| index worker | {k} | {v:.2f} |" for k, v in s["worker"].items() if k != "process"),
        f"| index worker | fork, between steps, exit | {s['worker other']:.2f} |",
        f"| index worker | **all** | **{s['worker']['process']:.2f}** |",
        f"| bare `mkdocs build` | **all** | **{s['bare']:.2f}** |",
        "",
        f"Medians of {len(pairs)} pairs taken in turn, each a new process: `portal build` "
        f"{s['portal']:.2f} s CPU (build {s['main process']:.2f} + index worker "
        f"{s['worker']['process']:.2f}), bare `mkdocs build` of the same generated docs "
        f"{s['bare']:.2f} s CPU. **CPU ratio {s['ratio']:.2f}** (target 1.3); the build "
        f"process alone {s['main process'] / s['bare']:.2f}. Wall time: portal "
        f"{s['portal wall']:.2f} s, bare {s['bare wall']:.2f} s "
        f"({s['portal wall'] / s['bare wall']:.2f}x).",
        "",
        f"The portal's own work, every phase but `site` in both processes, is {s['own']:.2f} s "
        f"CPU ({s['own'] / s['bare']:.2f} of the bare build). Its `site` phase costs less than "
        "the bare run: mkdocs runs in the build's process, already imported (the render phase "
        "imports it while the related pages are found), with the cycle collector paused "
        "(builder/pipeline.py).",
        "",
        "Runs (portal CPU / bare CPU = ratio, load average): "
        + "; ".join(
            f"{p['portal']:.1f} / {p['bare']:.1f} = {p['portal'] / p['bare']:.2f} "
            f"({p['load average']:.1f})"
            for p in pairs
        )
        + ".",
    ]
    return lines


def _run(command: list[str]) -> tuple[float, float, str]:
    """Run ``command``; return its CPU seconds (it and its children), wall seconds, stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return cpu, wall, out


def _child(root: Path, site: Path, build_dir: Path) -> dict[str, Any]:
    """One build in this new process, as `portal build` runs it; its CPU per phase."""
    from builder.cli import skip_final_collection
    from builder.config import BuildConfig
    from builder.pipeline import build

    skip_final_collection()  # as `portal` does (builder.cli.main)
    result = build(BuildConfig.from_root(root, site_dir=site, build_dir=build_dir))
    return {"main": result.cpu, "worker": result.worker_cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="pairs to run (default 5)")
    parser.add_argument("--child", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(*args.child)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        print("\n".join(report(measure(Path(tmp), args.runs))))


if __name__ == "__main__":
    main()
