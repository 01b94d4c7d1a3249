"""Search quality on tests/search/queries.yaml: MRR, hit@1 and hit@5.

Compares `portal search` with a plain baseline (BM25F over title and body, no synonyms, no
boosts, no typo handling) on the same queries, and, with --browser, measures the in-site
search's hit@5 in Chromium from file://. Prints a Markdown table; `make bench` collects it.
"""

from __future__ import annotations

import argparse
import json
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


def in_site_ranks(site: Path, queries: list[dict]) -> list[int | None]:
    """Type each query into Material's search box (file://, no network) and rank its results.

    Each query starts from an empty box; the results are read once Material reports how many
    documents match, and again until two readings agree (the list renders in steps).
    """
    from playwright.sync_api import sync_playwright

    meta = "(document.querySelector('.md-search-result__meta') || {}).textContent || ''"
    links = "li.md-search-result__item > a.md-search-result__link"
    ranks: list[int | None] = []
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        page.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
        )
        page.goto((site.resolve() / "index.html").as_uri())
        page.keyboard.press("/")
        box = page.locator("input.md-search__input")
        for q in queries:
            box.fill("")
            page.wait_for_function(f"() => !/matching/i.test({meta})", timeout=10_000)
            # Fill all but the last character, then type it: one keyup, one search.
            box.fill(q["query"][:-1])
            box.press_sequentially(q["query"][-1])
            try:
                # The first query waits for the search worker to load the index.
                page.wait_for_function(f"() => /matching/i.test({meta})", timeout=30_000)
            except Exception:
                ranks.append(None)
                continue
            read = lambda: page.locator(links).evaluate_all(  # noqa: E731
                "ls => ls.map(a => a.getAttribute('href'))"
            )
            hrefs, previous = read(), None
            while hrefs != previous:
                page.wait_for_timeout(200)
                previous, hrefs = hrefs, read()
            ids: list[str] = []
            for h in hrefs:
                name = h.split("?")[0].split("#")[0].rsplit("/", 1)[-1].removesuffix(".html")
                if name not in ids:
                    ids.append(name)
            ranks.append(rank_of(ids, q["expect"]))
        browser.close()
    return ranks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--browser", type=Path, help="a built site/ to measure in-site search on")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    cfg = BuildConfig.from_root(ROOT)
    queries = yaml.safe_load((ROOT / "tests" / "search" / "queries.yaml").read_text())["queries"]
    engine = SearchEngine(cfg)
    # A new engine loads a few things on first use (field lengths, the spelling table, the
    # synonym phrases): warm it up on other queries, then time each benchmark query once.
    start = time.perf_counter()
    engine.search("capacity")
    first = (time.perf_counter() - start) * 1000
    for warm in WARM_UP:
        engine.search(warm)
    portal_ranks, misses, latencies = [], [], []
    for q in queries:
        start = time.perf_counter()
        ids = [h.id for h in engine.search(q["query"], limit=10).hits]
        latencies.append((time.perf_counter() - start) * 1000)
        rank = rank_of(ids, q["expect"])
        portal_ranks.append(rank)
        if rank != 1:
            misses.append((q["query"], q["expect"][0], ids[:3]))
    folder = baseline_index(cfg)
    base_ranks = [rank_of(baseline_search(folder, q["query"]), q["expect"]) for q in queries]
    result = {
        "queries": len(queries),
        "portal": metrics(portal_ranks),
        "baseline": metrics(base_ranks),
        "first_query_ms": first,
        "latency_ms": {
            "p50": statistics.median(latencies),
            "p95": sorted(latencies)[int(0.95 * (len(latencies) - 1))],
        },
        "misses": misses,
    }
    if args.browser:
        result["in_site"] = metrics(in_site_ranks(args.browser, queries))
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"| engine | MRR | hit@1 | hit@5 | ({len(queries)} queries) |")
    print("|---|---|---|---|---|")
    for name in ("portal", "baseline", "in_site"):
        if name in result:
            m = result[name]
            print(f"| {name} | {m['MRR']:.3f} | {m['hit@1']:.3f} | {m['hit@5']:.3f} | |")
    print(
        f"\nportal search latency in process: p50 {result['latency_ms']['p50']:.1f} ms, "
        f"p95 {result['latency_ms']['p95']:.1f} ms (each query once, after warming the engine "
        f"up on {len(WARM_UP)} other queries; the first query of a new engine took "
        f"{result['first_query_ms']:.1f} ms)"
    )
    for query, want, got in misses:
        print(f"- not first: {query!r}: want {want}, got {got}")


if __name__ == "__main__":
    main()
