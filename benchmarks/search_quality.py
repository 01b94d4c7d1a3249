"""Search quality on tests/search/queries.yaml: MRR and hit@5 per query shape, per half.

Compares `portal search` with a plain page-level baseline (BM25F over title and body, no
synonyms, no boosts, no typo handling) and, with --browser SITE, the site's own search run in
Chromium from file:// (its ranks, its parity with `portal search`, and its speed). Prints
Markdown; `make bench` collects it. Misses are listed for the tune half only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from builder.config import BuildConfig
from builder.search.engine import SearchEngine, clean_query

ROOT = Path(__file__).resolve().parent.parent


#: Queries that are not in the benchmark, to warm an engine up with (one misspelt, two acronyms).
WARM_UP = ["incident", "SLA", "restore a databse", "patch servers", "MOF", "release"]


def rank_of(ids: list[str], expect: list[str]) -> int | None:
    for i, page in enumerate(ids, 1):
        if page in expect:
            return i
    return None


def metrics(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks)
    return {
        "MRR": sum(1 / r for r in ranks if r) / n,
        "hit@1": sum(1 for r in ranks if r == 1) / n,
        "hit@5": sum(1 for r in ranks if r and r <= 5) / n,
    }


def baseline_index(cfg: BuildConfig) -> Path:
    """A plain BM25F index over title and body: no synonyms, no boosts, no stemming tweaks."""
    from whoosh import fields, index
    from whoosh.analysis import StandardAnalyzer

    from builder.pipeline import check
    from builder.search.index import plain_text

    checked = check(cfg)
    folder = Path(tempfile.mkdtemp(prefix="baseline-"))
    schema = fields.Schema(
        id=fields.ID(stored=True),
        title=fields.TEXT(analyzer=StandardAnalyzer()),
        body=fields.TEXT(analyzer=StandardAnalyzer()),
    )
    ix = index.create_in(str(folder), schema)
    writer = ix.writer()
    for node in checked.corpus:
        writer.add_document(
            id=node.id, title=node.title, body=plain_text(node.body, checked.corpus)
        )
    writer.commit()
    return folder


def baseline_search(folder: Path, text: str) -> list[str]:
    from whoosh import index, qparser

    ix = index.open_dir(str(folder))
    parser = qparser.MultifieldParser(["title", "body"], ix.schema, group=qparser.OrGroup)
    with ix.searcher() as s:
        return [h["id"] for h in s.search(parser.parse(clean_query(text) or "x"), limit=10)]


CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless, with the flags this machine needs (never a downloaded one)."""
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)


def browser_run(site: Path, queries: list[dict]) -> dict[str, Any]:
    """Run every query through the site's own search in Chromium from file:// (no network).

    Returns each query's top ten ids from the engine, the time from the first keystroke on a
    page just opened to its answer laid out (the index read, the engine built, a search run,
    the results rendered), and, in each of ``ROUNDS`` rounds over every query, the time each
    further query takes in the page: set the box, fire its input event, then read the list's
    box, which lays the page out. A reader sees the results only once they are laid out; a
    handler that leaves the layout to the browser is not done when it returns. The load
    average is taken after each round (the machine is shared).
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        blocked: list[str] = []
        page.route(
            "**/*",
            lambda r: (
                r.continue_()
                if r.request.url.startswith("file:")
                else (blocked.append(r.request.url), r.abort())
            ),
        )
        first = []
        for _ in range(5):
            page.goto((site.resolve() / "index.html").as_uri())
            page.wait_for_load_state("load")
            page.evaluate(
                """() => { const box = document.getElementById('portal-search-input');
                box.addEventListener('keydown', () => { window.__typed = performance.now(); },
                  {once: true, capture: true});
                const status = document.querySelector('.portal-search__status');
                new MutationObserver((_, o) => {
                  if (status.hasAttribute('data-seq')) {
                    document.getElementById('portal-search-listbox').getBoundingClientRect();
                    window.__shown = performance.now(); o.disconnect(); }
                }).observe(status, {attributes: true}); }"""
            )
            page.keyboard.press("/")
            page.keyboard.type("i")
            page.wait_for_function("() => window.__shown !== undefined", timeout=30_000)
            first.append(page.evaluate("() => window.__shown - window.__typed"))
        ids = page.evaluate(
            """qs => { const e = PortalSearchEngine(portalSearchIndex);
            return qs.map(q => e.search(q, {}, 10).hits.map(h => h.id)); }""",
            [q["query"] for q in queries],
        )
        rounds = []
        for _ in range(ROUNDS):
            each = page.evaluate(
                """qs => { const box = document.getElementById('portal-search-input');
                const list = document.getElementById('portal-search-listbox');
                const out = [];
                for (const q of qs) { const t = performance.now(); box.value = q;
                  box.dispatchEvent(new Event('input'));
                  list.getBoundingClientRect();  // lays the results out
                  out.push(performance.now() - t); }
                return out; }""",
                [q["query"] for q in queries],
            )
            rounds.append({"each_ms": each, "load": os.getloadavg()})
        browser.close()
    return {"ids": ids, "first_ms": first, "rounds": rounds, "blocked": blocked}


#: Rounds of the further-query timing in the browser, each over every query.
ROUNDS = 3


def load_text(load: tuple[float, float, float]) -> str:
    """The load average as uptime prints it: over 1, 5 and 15 minutes."""
    return " ".join(f"{x:.2f}" for x in load)


def percentile(values: list[float], share: float) -> float:
    return sorted(values)[int(share * (len(values) - 1))]


SHAPES = [
    "acronym",
    "question",
    "typo",
    "cross-framework",
    "product",
    "role",
    "exact-title",
    "jargon",
    "framework",
]


def table(queries: list[dict], ranks: dict[str, list[int | None]]) -> list[str]:
    """Per split and shape: MRR and hit@5 of each engine (a row per shape, then all)."""
    names = list(ranks)
    out = [
        "| half | shape | n | " + " | ".join(f"{n} MRR | {n} hit@5" for n in names) + " |",
        "|---|---|---|" + "---|---|" * len(names),
    ]
    for split in ("test", "tune"):
        for shape in [*SHAPES, "all"]:
            chosen = [
                i
                for i, q in enumerate(queries)
                if q["split"] == split and (shape == "all" or q["kind"] == shape)
            ]
            if not chosen:
                continue
            cells = []
            for n in names:
                m = metrics([ranks[n][i] for i in chosen])
                cells.append(f"{m['MRR']:.3f} | {m['hit@5']:.3f}")
            label = "**all**" if shape == "all" else shape
            half = "held out" if split == "test" else "tune"
            out.append(f"| {half} | {label} | {len(chosen)} | " + " | ".join(cells) + " |")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--browser", type=Path, help="a built site/ to run the in-site search on")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--tune-only", action="store_true", help="while tuning: hide held-out")
    args = parser.parse_args()
    cfg = BuildConfig.from_root(ROOT)
    queries = yaml.safe_load((ROOT / "tests" / "search" / "queries.yaml").read_text())["queries"]
    if args.tune_only:
        queries = [q for q in queries if q["split"] == "tune"]
    engine = SearchEngine(cfg)
    # A new engine loads a few things on first use (field lengths, the spelling table, the
    # synonym phrases): warm it up on other queries, then time each benchmark query once.
    load_before = os.getloadavg()
    start = time.perf_counter()
    engine.search("capacity")
    first = (time.perf_counter() - start) * 1000
    for warm in WARM_UP:
        engine.search(warm)
    portal_ids, latencies = [], []
    for q in queries:
        start = time.perf_counter()
        portal_ids.append([h.id for h in engine.search(q["query"], limit=10).hits])
        latencies.append((time.perf_counter() - start) * 1000)
    folder = baseline_index(cfg)
    ranks: dict[str, list[int | None]] = {
        "portal": [rank_of(ids, q["expect"]) for ids, q in zip(portal_ids, queries, strict=True)]
    }
    result: dict[str, Any] = {
        "queries": len(queries),
        "first_query_ms": first,
        "load": load_before,
    }
    if args.browser:
        run = browser_run(args.browser, queries)
        ranks["browser"] = [
            rank_of(ids, q["expect"]) for ids, q in zip(run["ids"], queries, strict=True)
        ]
        result["parity"] = sum(a == b for a, b in zip(run["ids"], portal_ids, strict=True))
        result["browser_first_ms"] = run["first_ms"]
        result["browser_rounds"] = [
            {
                "p50_ms": statistics.median(r["each_ms"]),
                "p95_ms": percentile(r["each_ms"], 0.95),
                "load": r["load"],
            }
            for r in run["rounds"]
        ]
        result["blocked"] = run["blocked"]
    ranks["baseline"] = [rank_of(baseline_search(folder, q["query"]), q["expect"]) for q in queries]
    result["latency_ms"] = {"p50": statistics.median(latencies), "p95": percentile(latencies, 0.95)}
    for split in ("test", "tune"):
        chosen = [i for i, q in enumerate(queries) if q["split"] == split]
        if not chosen:
            continue
        result[split] = {n: metrics([r[i] for i in chosen]) for n, r in ranks.items()}
    result["misses"] = [
        (q["query"], q["expect"][0], ids[:3])
        for q, ids, r in zip(queries, portal_ids, ranks["portal"], strict=True)
        if r != 1 and q["split"] == "tune"
    ]
    if args.json:
        print(json.dumps(result, indent=2))
        return
    n_test = sum(q["split"] == "test" for q in queries)
    print(
        f"{len(queries)} hand-judged queries (tests/search/queries.yaml): {len(queries) - n_test} "
        f"to tune on, {n_test} held out (never tuned on). MRR and hit@5 of `portal search`"
        + (", the site's own search in Chromium (file://)" if args.browser else "")
        + " and a plain page-level baseline (BM25F over title and body, words ORed, no "
        "synonyms, boosts or typo handling).\n"
    )
    print("\n".join(table(queries, ranks)))
    print(
        f"\n`portal search` in process: p50 {result['latency_ms']['p50']:.1f} ms, "
        f"p95 {result['latency_ms']['p95']:.1f} ms (each query once, after warming the engine "
        f"up on {len(WARM_UP)} other queries; the first query of a new engine took "
        f"{result['first_query_ms']:.1f} ms; load average {load_text(result['load'])})."
    )
    if args.browser:
        print(
            f"\nIn the site (Chromium, file://): the browser's top ten equals `portal search`'s "
            f"for {result['parity']} of {len(queries)} queries. First results "
            f"{statistics.median(result['browser_first_ms']):.0f} ms after the first keystroke "
            f"on a page just opened, laid out (median of 5; max "
            f"{max(result['browser_first_ms']):.0f} ms). Each further query, until its results "
            f"are laid out (engine, rendering and layout), in {ROUNDS} rounds over every query: "
            + "; ".join(
                f"p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms (load {load_text(r['load'])})"
                for r in result["browser_rounds"]
            )
            + f". Blocked network requests: {len(result['blocked'])}. Index files in site/search/: "
            + ", ".join(
                f"{f.name} {f.stat().st_size / 1e6:.2f} MB"
                for f in sorted((args.browser / "search").iterdir())
            )
            + " (raw, nothing else is read for search)."
        )
    for query, want, got in result["misses"]:
        print(f"- tune, not first: {query!r}: want {want}, got {got}")


if __name__ == "__main__":
    main()
