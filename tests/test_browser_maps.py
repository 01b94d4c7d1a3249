"""Maps in headless Chromium from file://, network cut off: counts, clicks, focus, filters, XSS."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO, Offline, minimal_files, page
from playwright.sync_api import expect

from builder.config import BuildConfig
from builder.pipeline import build
from builder.render.maps import overview_view

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EVIL = "<img src=x onerror=window.__xss=1>"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("maps") / "project"
    files = dict(minimal_files())
    files["content/alpha/evil.md"] = page(
        "alpha-evil",
        "process",
        EVIL,
        framework="alpha",
        parent="alpha-operation",
        body="See [[alpha-change]].",
    )
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    cfg = BuildConfig.from_root(root)
    result = build(cfg)
    return cfg, result


@pytest.fixture
def offline(browser):
    o = Offline(browser)
    yield o
    o.close()


def open_map(offline: Offline, url: str) -> None:
    offline.page.goto(url)
    offline.page.wait_for_function("window.portalMaps && window.portalMaps.length > 0")


def test_overview_shows_every_node_the_graph_places(project, offline):
    cfg, result = project
    expected = len(overview_view(result.check.corpus, result.check.graph).nodes)
    open_map(offline, (cfg.site_dir / "maps" / "lifecycle.html").as_uri())
    count = offline.page.evaluate("window.portalMaps[0].nodeView.length")
    assert count == expected == 7
    # The mark `make bench` times the first render by: set once, when the map is drawn.
    offline.page.wait_for_function("performance.getEntriesByName('portal-map-drawn').length")
    assert offline.page.evaluate("performance.getEntriesByName('portal-map-drawn').length") == 1
    assert offline.blocked == []
    assert offline.errors == []


def node_point(offline, node_id: str) -> dict[str, float]:
    """Scroll the first map into view, zoom onto ``node_id`` and return its page coordinates."""
    return offline.page.evaluate(
        """(id) => {
            const m = window.portalMaps[0];
            m.app.querySelector(".pm-canvas").scrollIntoView();
            m.network.focus(id, {scale: 1.2, animation: false});
            const p = m.network.getPositions([id])[id];
            const d = m.network.canvasToDOM(p);
            const r = m.app.querySelector(".pm-canvas").getBoundingClientRect();
            return {x: r.left + d.x, y: r.top + d.y};
        }""",
        node_id,
    )


def test_clicking_a_node_opens_its_page(project, offline):
    cfg, _ = project
    open_map(offline, (cfg.site_dir / "maps" / "lifecycle.html").as_uri())
    point = node_point(offline, "beta-support")
    offline.page.mouse.click(point["x"], point["y"])
    offline.page.wait_for_url("**/beta-support.html")
    assert offline.blocked == []


@pytest.mark.parametrize("address", ["?focus=alpha-incident", "#focus=alpha-incident"])
def test_focus_link_selects_the_node(project, offline, address):
    cfg, _ = project
    open_map(offline, (cfg.site_dir / "maps" / "lifecycle.html").as_uri() + address)
    expect(offline.page.locator(".pm-status")).to_contain_text("Selected: Alpha Incident Handling.")
    selected = offline.page.evaluate("window.portalMaps[0].network.getSelectedNodes()")
    assert selected == ["alpha-incident"]


def test_find_box_focuses_and_the_address_follows(project, offline):
    cfg, _ = project
    open_map(offline, (cfg.site_dir / "maps" / "lifecycle.html").as_uri())
    offline.page.locator(".pm-find").fill("beta sup")
    offline.page.locator(".pm-find").press("Enter")
    offline.page.wait_for_url("**#focus=beta-support")
    assert offline.page.evaluate("window.portalMaps[0].network.getSelectedNodes()") == [
        "beta-support"
    ]


def test_filters_change_the_visible_count(project, offline):
    cfg, _ = project
    open_map(offline, (cfg.site_dir / "maps" / "lifecycle.html").as_uri())
    nodes = "window.portalMaps[0].nodeView.length"
    edges = "window.portalMaps[0].edgeView.length"
    before = offline.page.evaluate(nodes)
    assert before == 7
    offline.page.locator(".pm-framework[value='beta']").uncheck()
    offline.page.wait_for_function(f"{nodes} === {before - 3}")
    all_edges = offline.page.evaluate(edges)
    offline.page.locator(".pm-strength").fill("7")
    offline.page.locator(".pm-strength").dispatch_event("input")
    offline.page.wait_for_function(f"{edges} < {all_edges}")
    offline.page.locator(".pm-relation[value='automates']").uncheck()
    expect(offline.page.locator(".pm-status")).to_contain_text("Showing 4 of 7 elements")


def test_labels_never_run_as_script(project, offline):
    """On every map that draws the evil element, hover it until its tooltip shows."""
    cfg, _ = project
    for url in [
        cfg.site_dir / "maps" / "lifecycle.html",
        cfg.site_dir / "alpha-evil.html",
        cfg.site_dir / "alpha-change.html",
    ]:
        open_map(offline, url.as_uri())
        offline.page.wait_for_load_state("load")
        hover_until_tooltip(offline, "alpha-evil")
        assert offline.page.evaluate("window.__xss") is None, url
        assert offline.page.locator("img[src='x']").count() == 0, url
    assert offline.errors == []


def hover_until_tooltip(offline: Offline, node_id: str):
    """Move the pointer onto ``node_id`` and wait for vis-network's tooltip naming it."""
    point = node_point(offline, node_id)
    offline.page.mouse.move(point["x"] - 3, point["y"])
    offline.page.mouse.move(point["x"], point["y"])
    tip = offline.page.locator(".vis-tooltip")
    expect(tip).to_be_visible()
    expect(tip.locator("strong")).to_have_text(EVIL)
    return tip


def test_hovering_a_node_shows_its_tooltip_as_text(project, offline):
    cfg, _ = project
    open_map(offline, (cfg.site_dir / "maps" / "lifecycle.html").as_uri())
    tip = hover_until_tooltip(offline, "alpha-evil")
    expect(tip).to_contain_text("process")
    assert offline.page.locator(".vis-tooltip img").count() == 0
    assert offline.page.evaluate("window.__xss") is None


def test_text_table_opens_from_the_keyboard_with_every_node_and_edge(project, offline):
    cfg, result = project
    view = overview_view(result.check.corpus, result.check.graph)
    open_map(offline, (cfg.site_dir / "maps" / "lifecycle.html").as_uri())
    summary = offline.page.locator(".pm-table summary")
    assert summary.inner_text() == f"The same map as a table (7 elements, {len(view.edges)} links)"
    summary.focus()
    offline.page.keyboard.press("Enter")
    tables = offline.page.locator(".pm-table table")
    elements = tables.nth(0).locator("tbody tr")
    assert len(view.nodes) == 7
    expect(elements).to_have_count(7)
    expect(tables.nth(1).locator("tbody tr")).to_have_count(len(view.edges))
    names = elements.locator("td:first-child").all_inner_texts()
    assert names == sorted(n["name"] for n in view.nodes)
    assert EVIL in names  # labels are text here too
    assert offline.page.locator(".pm-table img").count() == 0
    links = elements.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert sorted(links) == sorted(f"../{n['id']}.html" for n in view.nodes)
    assert offline.errors == []


def test_local_map_on_a_page(project, offline):
    cfg, _ = project
    open_map(offline, (cfg.site_dir / "alpha-incident.html").as_uri())
    local = offline.page.evaluate(
        "window.portalMaps.map(m => [m.app.classList.contains('pm-local'), m.network.getSelectedNodes()])"
    )
    assert local == [[True, ["alpha-incident"]]]
    assert offline.blocked == []
    assert offline.errors == []


def test_one_copy_of_vis_network_and_small_map_pages(project):
    cfg, _ = project
    banner = b"A dynamic, browser-based visualization library"
    copies = [p for p in cfg.site_dir.rglob("*") if p.is_file() and banner in p.read_bytes()]
    assert [p.relative_to(cfg.site_dir).as_posix() for p in copies] == [
        "assets/vendor/vis-network/vis-network.min.js"
    ]
    for html in (cfg.site_dir / "maps").glob("*.html"):
        assert html.stat().st_size < 150_000, html.name
    assert (
        Path(cfg.site_dir / "maps" / "lifecycle.html").read_text().count("vis-network.min.js") == 1
    )


def test_search_results_never_run_labels(project, offline):
    cfg, _ = project
    offline.page.goto((cfg.site_dir / "index.html").as_uri())
    offline.page.keyboard.press("/")
    offline.page.locator("#portal-search-input").press_sequentially("onerror", delay=30)
    # The results for the whole word name the evil page, its title shown as text.
    expect(offline.page.locator("#portal-search-listbox")).to_contain_text("<img src=x")
    assert offline.page.evaluate("window.__xss") is None
    assert offline.page.locator(".portal-search img").count() == 0
    assert offline.blocked == []


def test_cli_search_returns_labels_as_data(project):
    from builder.search.engine import search

    cfg, _ = project
    hit = next(h for h in search(cfg, "onerror").hits if h.id == "alpha-evil")
    assert hit.title == EVIL  # JSON data for tools; nothing renders it as HTML
