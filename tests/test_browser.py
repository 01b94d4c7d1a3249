"""The built portal in headless Chromium from file://, with the network cut off.

Playwright drives Debian's /usr/bin/chromium (never `playwright install`). Every request that
is not file:// is aborted and recorded; the tests assert that list stays empty.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import Offline, page
from playwright.sync_api import expect

from builder.config import BuildConfig
from builder.pipeline import build
from builder.search.engine import SearchEngine

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def offline(browser) -> Iterator[Offline]:
    o = Offline(browser)
    yield o
    o.close()


def test_home_opens_offline_without_errors(site, offline):
    offline.page.goto((site / "index.html").as_uri())
    offline.page.wait_for_load_state("load")
    assert offline.page.title().startswith("Home")
    assert offline.page.locator("h1").first.inner_text().rstrip("¶") == "ITSM Guidance Portal"
    assert offline.page.get_by_role("link", name="Service Transition").count() >= 1
    assert offline.blocked == []
    assert offline.errors == []


def test_process_page_shows_counterparts_and_follows_links(site, offline):
    offline.page.goto((site / "itil-change-management.html").as_uri())
    table = offline.page.locator(".portal-counterparts table")
    expect(table).to_contain_text("Change and Configuration")
    table.get_by_role("link", name="Change and Configuration").first.click()
    offline.page.wait_for_url("**/mof4-change-and-configuration.html")
    assert offline.blocked == []
    assert offline.errors == []


# -----------------------------------------------------------------------------
# The site's own search


QUERIES = REPO / "tests" / "search" / "queries.yaml"
EVIL = "<img src=x onerror=window.__xss=1>"


def search_box(offline: Offline, site: Path, name: str = "itil-service-transition.html"):
    offline.page.goto((site / name).as_uri())
    offline.page.wait_for_load_state("load")
    return offline.page.locator("#portal-search-input")


def options(offline: Offline):
    return offline.page.locator("#portal-search-listbox [role=option]")


def type_query(offline: Offline, box, text: str) -> None:
    """Type ``text`` and wait until the results shown are those of ``text``."""
    box.fill(text)
    status = offline.page.locator(".portal-search__status")
    expect(status).to_have_attribute("data-query", text)


def test_the_browser_ranks_every_benchmark_query_as_portal_search(site, offline):
    """Parity: the top ten in the browser, from file://, are `portal search --json`'s."""
    benchmark = [q["query"] for q in yaml.safe_load(QUERIES.read_text())["queries"]]
    queries = [*benchmark, "incidnet", "restor2 databses", '"change advisory board"', "xyzzyq"]
    queries += misspellings(150)  # words in no page: the browser stems them as whoosh does
    box = search_box(offline, site)
    box.focus()  # loads the index and the engine
    offline.page.wait_for_function("() => window.PortalSearchEngine && window.portalSearchIndex")
    got = offline.page.evaluate(
        """qs => { const e = PortalSearchEngine(portalSearchIndex);
        return qs.map(q => e.search(q, {}, 10).hits.map(h => h.id)); }""",
        queries,
    )
    cfg = BuildConfig.from_root(REPO, site_dir=site, build_dir=site.parent / "build")
    with SearchEngine(cfg) as engine:
        assert not engine.rebuilt  # the index the site was built with
        want = [[h.id for h in engine.search(q).hits] for q in queries]
    assert all(want[: len(benchmark)])  # every benchmark query finds pages
    assert dict(zip(queries, got, strict=True)) == dict(zip(queries, want, strict=True))
    assert offline.blocked == []
    assert offline.errors == []


def misspellings(count: int) -> list[str]:
    """Words of the portal with one letter dropped, added, changed or swapped, and an ending."""
    from whoosh.lang.porter import stem

    rng = random.Random(7)
    words = sorted({stem(w) for w in WORDS.split()} | set(WORDS.split()))
    out = []
    for _ in range(count):
        w = rng.choice(words)
        i = rng.randrange(len(w))
        w = rng.choice([w[:i] + w[i + 1 :], w[:i] + "e" + w[i:], w[:i] + "a" + w[i + 1 :], w[::-1]])
        out.append(w + rng.choice(["", "es", "ing", "ational"]))
    return out


WORDS = """change management incident problem release deployment capacity availability continuity
service desk configuration knowledge supplier financial portfolio catalogue security access
request fulfilment evaluation transition operation strategy design improvement monitoring"""


def test_the_browser_stems_a_word_in_no_page_as_whoosh_does(site, offline):
    from whoosh.lang.porter import stem

    rng = random.Random(3)
    words = [*WORDS.split(), *misspellings(400)]
    words += [
        "".join(rng.choice("aeiouybcdlmnrstg") for _ in range(rng.randint(1, 12)))
        for _ in range(3000)
    ]
    words += [
        w + end for w in words[:400] for end in ("eed", "ies", "sses", "ization", "fulness", "ly")
    ]
    box = search_box(offline, site)
    box.focus()
    offline.page.wait_for_function("() => window.PortalSearchEngine")
    got = offline.page.evaluate("ws => ws.map(w => PortalSearchEngine.porter(w))", words)
    assert dict(zip(words, got, strict=True)) == {w: stem(w) for w in words}


def test_the_browser_stems_every_word_of_the_site_and_its_inflections_as_whoosh_does(site, offline):
    """The index ships no stem table: every word a reader may type from the pages, and its
    usual inflections, must stem in the browser exactly as the index stemmed it."""
    from whoosh.lang.porter import stem

    text = (site / "search" / "portal-search-index.js").read_text(encoding="utf-8")
    data = json.loads(text[text.index("{") : text.rindex("}") + 1])
    assert "stems" not in data
    spelled = {w for group in data["spell"].values() for w in group.split(" ")}
    # The endings the stem table of index version 2 tried on every word.
    endings = ("s", "es", "ed", "d", "ing", "er", "ers", "ly", "ion", "ions", "ment", "ments")
    endings += ("al", "able")
    words = sorted(
        spelled
        | {w.removesuffix("e") + end for w in spelled if w.isalpha() for end in endings}
        | {w + end for w in spelled if w.isalpha() for end in endings}
    )
    assert len(spelled) > 4000 and len(words) > 80000  # the whole vocabulary, not a sample
    search_box(offline, site).focus()
    offline.page.wait_for_function("() => window.PortalSearchEngine")
    got = offline.page.evaluate("ws => ws.map(w => PortalSearchEngine.porter(w))", words)
    assert [w for w, s in zip(words, got, strict=True) if s != stem(w)] == []


def test_nothing_is_read_until_someone_searches(site, offline):
    box = search_box(offline, site)
    loaded = "() => [...document.scripts].map(s => s.src).filter(s => /search/.test(s))"
    assert offline.page.evaluate("typeof window.portalSearchIndex") == "undefined"
    assert [s.rsplit("/", 1)[-1] for s in offline.page.evaluate(loaded)] == ["portal-search.js"]
    box.focus()
    offline.page.wait_for_function("() => typeof window.portalSearchIndex === 'object'")
    names = sorted(s.rsplit("/", 1)[-1] for s in offline.page.evaluate(loaded))
    assert names == ["portal-search-engine.js", "portal-search-index.js", "portal-search.js"]
    assert offline.blocked == []


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("CAB", "itil-role-cab"),  # acronym
        (
            "how do I approve an emergency change",
            "task-approve-an-emergency-change-through-the-ecab",
        ),
        ("ITIL service desk in MOF", "mof4-customer-service"),  # cross-framework
        ("SCOM", "sc-operations-manager"),  # product
        ("problem manager", "role-problem-manager"),  # role
        ("Audit the CMDB", "task-audit-the-cmdb"),  # exact title
    ],
)
def test_typed_queries_of_every_shape(site, offline, query, first):
    box = search_box(offline, site)
    offline.page.keyboard.press("/")
    expect(box).to_be_focused()
    box.press_sequentially(query, delay=5)
    expect(offline.page.locator(".portal-search__status")).to_have_attribute("data-query", query)
    expect(options(offline).first).to_have_attribute("data-id", f"{first}", timeout=1)


def test_keyboard_opens_a_result_that_highlights_the_query(site, offline):
    box = search_box(offline, site)
    offline.page.keyboard.press("s")
    expect(box).to_be_focused()
    type_query(offline, box, "emergency change")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(options(offline).first).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")
    second = options(offline).nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", "portal-search-option-1")
    box.press("ArrowUp")
    expect(options(offline).first).to_have_attribute("aria-selected", "true")
    # The snippet is the page's own text with the query's words marked, never its facts table.
    snippet = options(offline).first.locator(".portal-search__snippet")
    expect(snippet.locator("mark").first).to_be_visible()
    expect(snippet).not_to_contain_text("Performed by")
    opened = options(offline).first.get_attribute("data-id")
    box.press("Enter")
    offline.page.wait_for_url(lambda url: url.split("?")[0].endswith(f"/{opened}.html"))
    assert "?hl=" in offline.page.url
    marks = offline.page.locator(".md-content mark.portal-search-hl")
    expect(marks.first).to_be_visible()
    assert (
        "emergenc" in marks.first.inner_text().lower()
        or "chang" in marks.first.inner_text().lower()
    )
    # Escape closes the list, then clears the box.
    box = offline.page.locator("#portal-search-input")
    box.focus()
    type_query(offline, box, "incident")
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("Escape")
    expect(box).to_have_value("")
    assert offline.blocked == []
    assert offline.errors == []


def test_arrow_keys_scroll_results_and_a_new_query_shows_its_results_from_the_top(site, browser):
    """The keyboard brings the active result into view; the next query's results then show
    from the top of the panel, with the filters and the count above them, not scrolled."""
    short = Offline(browser, viewport={"width": 1280, "height": 480})
    try:
        box = search_box(short, site)
        box.focus()
        type_query(short, box, "change management")
        expect(options(short)).to_have_count(10)
        for _ in range(9):
            box.press("ArrowDown")
        last = options(short).nth(9)
        expect(last).to_have_attribute("aria-selected", "true")
        expect(last).to_be_in_viewport()  # inside the panel's scrolled box, too
        panel = ".portal-search__panel"
        short.page.wait_for_function(f"() => document.querySelector('{panel}').scrollTop > 0")
        type_query(short, box, "incident")
        short.page.wait_for_function(f"() => document.querySelector('{panel}').scrollTop === 0")
        expect(short.page.locator("#portal-search-framework")).to_be_in_viewport()
        expect(options(short).first).to_be_in_viewport()
        assert short.errors == []
    finally:
        short.close()


def test_typos_get_did_you_mean_and_nonsense_a_helpful_empty_state(site, offline):
    box = search_box(offline, site)
    box.focus()
    type_query(offline, box, "knowlege managment")
    fix = offline.page.locator(".portal-search__fix")
    expect(fix).to_contain_text("Did you mean knowledge management?")
    expect(options(offline).first).to_have_attribute("data-id", "itil-knowledge-management")
    type_query(offline, box, "xyzzyq")
    expect(options(offline)).to_have_count(0)
    empty = offline.page.locator(".portal-search__empty")
    expect(empty).to_contain_text("No pages match \u201cxyzzyq\u201d.")
    expect(empty).to_contain_text("Try fewer words")


def test_filters_narrow_the_results(site, offline):
    box = search_box(offline, site)
    box.focus()
    type_query(offline, box, "change management")
    expect(options(offline).first).to_have_attribute("data-id", "itil-change-management")
    offline.page.select_option("#portal-search-framework", "mof4")
    expect(options(offline).first).to_have_attribute("data-id", "mof4-change-and-configuration")
    ids = options(offline).evaluate_all("os => os.map(o => o.dataset.id)")
    assert ids and all(i.startswith("mof4") for i in ids)
    offline.page.select_option("#portal-search-framework", "")
    offline.page.select_option("#portal-search-kind", "task")
    kind = ".portal-search__badge:not(.portal-search__badge--fw)"
    expect(options(offline).first.locator(kind)).to_have_text("task")
    assert set(options(offline).locator(kind).all_inner_texts()) == {"task"}
    offline.page.select_option("#portal-search-role", "role-change-manager")
    expect(options(offline)).not_to_have_count(0)
    type_query(offline, box, "xyzzyq")
    offline.page.locator(".portal-search__empty button").click()
    expect(offline.page.locator("#portal-search-kind")).to_have_value("")
    assert offline.errors == []


@pytest.fixture
def evil_site(make_project) -> Path:
    evil = page(
        "alpha-evil",
        "process",
        EVIL,
        framework="alpha",
        parent="alpha-operation",
        body="Quarantine every payload before review. Nothing else here.",
    )
    cfg = make_project({"content/alpha/evil.md": evil}, minimal=True)
    return build(cfg).site_index.parent


def test_titles_and_snippets_are_text_never_markup(evil_site, offline):
    box = search_box(offline, evil_site, "index.html")
    box.focus()
    type_query(offline, box, "quarantine payload")
    first = options(offline).first
    expect(first).to_have_attribute("data-id", "alpha-evil")
    expect(first.locator(".portal-search__title")).to_have_text(EVIL)
    expect(first.locator(".portal-search__snippet mark").first).to_have_text("Quarantine")
    # Only the summary holds "onerror": the snippet is the summary, markup shown as text.
    type_query(offline, box, "onerror")
    snippet = options(offline).first.locator(".portal-search__snippet")
    expect(snippet).to_contain_text(f"What {EVIL} is for")
    expect(snippet.locator("mark")).to_have_text(["onerror"])
    assert offline.page.locator(".portal-search img").count() == 0
    assert offline.page.evaluate("window.__xss") is None
    box.press("Enter")
    offline.page.wait_for_url("**/alpha-evil.html?hl=*")
    expect(offline.page.locator("mark.portal-search-hl").first).to_be_visible()
    assert offline.page.evaluate("window.__xss") is None
    assert offline.blocked == []
