"""Maps in headless Chromium from file://, network cut off: what they paint, how they answer
the keyboard, the pointer and links, and that labels never run as script."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, Offline, minimal_files, page
from mapmetrics import RECORDER, frame
from playwright.sync_api import expect

from builder.config import BuildConfig
from builder.pipeline import build
from builder.render.maps import map_json, overview_view
from builder.render.mapstyle import RELATION_STYLE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EVIL = "<img src=x onerror=window.__xss=1>"
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


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


@contextmanager
def viewing(browser, width: int = 1280, height: int = 800, scheme: str = "light") -> Iterator[Any]:
    """Yield a page of the given size and colour scheme that records what maps paint."""
    tab = Offline(browser, viewport={"width": width, "height": height}, color_scheme=scheme)
    tab.context.add_init_script(RECORDER)  # runs on every navigation of the tab's page
    try:
        yield tab.page
    finally:
        tab.close()
    assert tab.blocked == []


def open_map(p, url: str) -> None:
    p.goto(url)
    p.wait_for_function("window.portalMaps && window.portalMaps.length > 0")


def lifecycle(cfg) -> str:
    return (cfg.site_dir / "maps" / "lifecycle.html").as_uri()


def selected(p):
    return p.locator(".portal-map-app").first


def node_point(p, node_id: str) -> dict[str, float]:
    """Scroll the first map to ``node_id`` and return where it is on the page."""
    return p.evaluate(
        """(id) => {
            const m = window.portalMaps[0];
            const pos = m.network.getPositions([id])[id];
            const box = m.app.querySelector(".pm-canvas").getBoundingClientRect();
            window.scrollBy(0, box.top + m.network.canvasToDOM(pos).y - innerHeight / 2);
            const d = m.network.canvasToDOM(pos);
            const r = m.app.querySelector(".pm-canvas").getBoundingClientRect();
            return {x: r.left + d.x, y: r.top + d.y};
        }""",
        node_id,
    )


# -----------------------------------------------------------------------------
# What the maps paint, on the real content


def real_maps(site: Path) -> list[str]:
    """The lifecycle overview, every pair map, one stage map and the largest role map."""
    maps = site / "maps"
    roles = sorted(maps.glob("role-*.html"), key=lambda p: len(p.read_bytes()))
    return [
        "lifecycle",
        *(p.stem for p in sorted(maps.glob("pair-*.html"))),
        "stage-itil-service-operation",
        roles[-1].stem,
    ]


@pytest.mark.parametrize("device", SIZES)
def test_every_map_is_readable_at_first_paint(site, browser, device):
    width, height = SIZES[device]
    assert len(real_maps(site)) >= 13  # lifecycle, 10 pairs, a stage, a role
    with viewing(browser, width, height) as p:
        for name in real_maps(site):
            open_map(p, (site / "maps" / f"{name}.html").as_uri())
            painted = frame(p)
            overlap, a, b = painted.worst_overlap
            assert painted.median_px >= 11, (name, painted.median_px)
            assert overlap <= 3, (name, overlap, a, b)
            if device == "desktop":
                assert painted.span >= 0.6, (name, painted.span)
            # The canvas shows the whole drawing: it grows, and the page scrolls down, not across.
            assert painted.canvas["width"] <= width
            assert p.evaluate("document.documentElement.scrollWidth") <= width, name


def test_dark_scheme_labels_keep_their_contrast(site, browser):
    with viewing(browser, scheme="dark") as p:
        for name in real_maps(site):
            open_map(p, (site / "maps" / f"{name}.html").as_uri())
            p.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
            painted = frame(p)
            assert painted.contrast() >= 4.5, name
            assert painted.background != "rgb(255, 255, 255)"
            # The legend's line samples are drawn in the dark scheme's colours, as the canvas.
            html = (site / "maps" / f"{name}.html").read_text(encoding="utf-8")
            shown = re.findall(r'class="pm-relation" value="([\w-]+)"', html)
            assert shown, name
            for rel in shown:
                label = p.locator(f'label:has(.pm-relation[value="{rel}"])')
                # (A horizontal line has no height, so Playwright never calls it visible.)
                expect(label.locator("line.pm-scheme-dark")).to_have_css("display", "inline")
                expect(label.locator("line.pm-scheme-dark")).to_have_attribute(
                    "stroke", RELATION_STYLE[rel].dark
                )
                expect(label.locator("line.pm-scheme-light")).to_have_css("display", "none")


def test_presenter_mode_fills_the_screen_with_larger_labels(site, browser):
    url = (site / "maps" / "pair-itil-mof4.html").as_uri()
    with viewing(browser, 1280, 800) as p:
        open_map(p, url)
        page_px = frame(p).median_px
        open_map(p, url + "?present=1")
        app = selected(p)
        expect(app).to_have_class(re.compile("pm-present"))
        expect(app.locator(".pm-legend")).to_be_hidden()
        box = app.locator(".pm-canvas").bounding_box()
        assert box["width"] == 1280 and box["height"] > 700
        assert frame(p).median_px > page_px
        app.locator(".pm-canvas").press("Escape")
        expect(app).not_to_have_class(re.compile("pm-present"))


# -----------------------------------------------------------------------------
# Pointer, keyboard and links, on the minimal project


def test_overview_shows_every_node_the_graph_places(project, offline):
    cfg, result = project
    expected = len(overview_view(result.check.corpus, result.check.graph).nodes)
    open_map(offline.page, lifecycle(cfg))
    assert offline.page.evaluate("window.portalMaps[0].nodeView.length") == expected == 7
    # The mark `make bench` times the first render by: set once, when the map is drawn.
    offline.page.wait_for_function("performance.getEntriesByName('portal-map-drawn').length")
    assert offline.page.evaluate("performance.getEntriesByName('portal-map-drawn').length") == 1
    assert offline.blocked == []
    assert offline.errors == []


def test_a_click_selects_and_shows_details_then_opening_is_a_second_action(project, offline):
    cfg, _ = project
    p = offline.page
    open_map(p, lifecycle(cfg))
    point = node_point(p, "beta-support")
    p.mouse.click(point["x"], point["y"])
    details = p.locator(".pm-details")
    expect(details).to_be_visible()
    expect(details.locator("h3")).to_have_text("Beta Support")
    expect(details).to_contain_text("smf · Beta Framework")
    expect(details.locator(".pm-details-list li")).to_have_text(
        ["intersects with: Alpha Incident Handling (6/10)"]
    )
    assert p.url.endswith("lifecycle.html#focus=beta-support")  # still on the map
    details.locator("a.pm-open").click()
    p.wait_for_url("**/beta-support.html")
    assert offline.blocked == []


@pytest.mark.parametrize(
    "address",
    [
        "?focus=alpha-incident",
        "#focus=alpha-incident",
        "#focus=ALPHA%20INCIDENT%20HANDLING",  # the title, any case
        "?focus=aih",  # an alias (the acronym)
        "#focus=Alpha-Incident-Handling",  # the title written as an id
    ],
)
def test_focus_link_accepts_id_alias_and_title(project, offline, address):
    cfg, _ = project
    open_map(offline.page, lifecycle(cfg) + address)
    app = selected(offline.page)
    expect(app).to_have_attribute("data-selected", "alpha-incident")
    expect(offline.page.locator(".pm-status")).to_contain_text("Selected: Alpha Incident Handling.")
    expect(offline.page.locator(".pm-details h3")).to_have_text("Alpha Incident Handling")


def test_an_ambiguous_focus_offers_the_choices(project, offline):
    cfg, _ = project
    p = offline.page
    open_map(p, lifecycle(cfg) + "#focus=alpha")
    choices = p.locator(".pm-choices button")
    expect(choices).to_have_count(3)  # Alpha Operation, Alpha Change Control, Alpha Incident ...
    expect(p.locator(".pm-status")).to_contain_text("3 elements match")
    choices.filter(has_text="Alpha Change Control").click()
    expect(selected(p)).to_have_attribute("data-selected", "alpha-change")


def test_an_unknown_focus_says_so_and_offers_find(project, offline):
    cfg, _ = project
    p = offline.page
    open_map(p, lifecycle(cfg) + "#focus=task-fix-an-outage")
    expect(p.locator(".pm-status")).to_contain_text(
        "No element called \u201ctask-fix-an-outage\u201d on this map. Try Find"
    )
    expect(p.locator(".pm-find")).to_have_value("task-fix-an-outage")
    expect(selected(p)).not_to_have_attribute("data-selected", re.compile("."))


def test_editing_the_focus_in_the_address_refocuses(project, offline):
    cfg, _ = project
    p = offline.page
    open_map(p, lifecycle(cfg) + "#focus=alpha-incident")
    expect(selected(p)).to_have_attribute("data-selected", "alpha-incident")
    p.evaluate("location.hash = 'focus=beta%20tool'")
    expect(selected(p)).to_have_attribute("data-selected", "beta-tool")


def test_find_box_focuses_and_the_address_follows(project, offline):
    cfg, _ = project
    p = offline.page
    open_map(p, lifecycle(cfg))
    p.locator(".pm-find").fill("beta sup")
    p.locator(".pm-find").press("Enter")
    expect(selected(p)).to_have_attribute("data-selected", "beta-support")
    p.wait_for_url(re.compile(r"#focus=beta-support$"))


def test_copy_link_keeps_filters_and_strength(project, browser):
    cfg, _ = project
    with viewing(browser) as p:
        open_map(p, lifecycle(cfg) + "#focus=alpha-incident")
        p.locator(".pm-framework[value='beta']").uncheck()
        p.locator(".pm-strength").fill("7")
        p.locator(".pm-copy").click()
        app = selected(p)
        expect(app).to_have_attribute(
            "data-link", re.compile("#focus=alpha-incident&hide=beta&min=7$")
        )
        link = app.get_attribute("data-link")
        p.goto("about:blank")
        open_map(p, link)
        expect(p.locator(".pm-framework[value='beta']")).not_to_be_checked()
        expect(p.locator(".pm-strength")).to_have_value("7")
        expect(selected(p)).to_have_attribute("data-selected", "alpha-incident")
        expect(p.locator(".pm-status")).to_contain_text("Showing 4 of 7 elements")


def test_filters_change_the_visible_count(project, offline):
    cfg, _ = project
    p = offline.page
    open_map(p, lifecycle(cfg))
    status = p.locator(".pm-status")
    expect(status).to_contain_text("Showing 7 of 7 elements and 3 of 3 links.")
    p.locator(".pm-framework[value='beta']").uncheck()
    expect(status).to_contain_text("Showing 4 of 7 elements and 0 of 3 links.")
    p.locator(".pm-framework[value='beta']").check()
    p.locator(".pm-strength").fill("7")
    expect(status).to_contain_text("Showing 7 of 7 elements and 2 of 3 links.")  # 6 < 7
    p.locator(".pm-relation[value='automates']").uncheck()
    expect(status).to_contain_text("Showing 7 of 7 elements and 1 of 3 links.")


def test_keyboard_moves_between_nodes_zooms_and_opens(project, offline):
    cfg, result = project
    p = offline.page
    data = json.loads(map_json(overview_view(result.check.corpus, result.check.graph)))
    column = sorted(data["nodes"], key=lambda n: n["wide"][1])  # the lane, top to bottom
    open_map(p, lifecycle(cfg) + "#focus=" + column[0]["id"])
    canvas = p.locator(".pm-canvas")
    canvas.focus()
    expect(canvas).to_be_focused()
    assert p.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    canvas.press("ArrowDown")
    expect(selected(p)).to_have_attribute("data-selected", column[1]["id"])
    canvas.press("ArrowDown")
    canvas.press("ArrowUp")
    expect(selected(p)).to_have_attribute("data-selected", column[1]["id"])
    scale = "window.portalMaps[0].network.getScale()"
    before = p.evaluate(scale)
    canvas.press("+")
    p.wait_for_function(f"{scale} > {before}")
    canvas.press("0")
    p.wait_for_function(f"Math.abs({scale} - {before}) < 1e-6")
    keys = p.locator(".pm-keys")
    canvas.press("?")
    expect(keys).to_be_visible()
    canvas.press("?")
    expect(keys).to_be_hidden()
    canvas.press("Enter")
    p.wait_for_url(f"**/{column[1]['id']}.html")
    assert offline.errors == []


def test_buttons_look_like_buttons(project, offline):
    cfg, _ = project
    open_map(offline.page, lifecycle(cfg))
    style = offline.page.locator(".pm-fit").evaluate(
        "b => { const s = getComputedStyle(b); return [s.cursor, s.borderTopStyle, s.backgroundColor]; }"
    )
    assert style[0] == "pointer" and style[1] == "solid"
    assert style[2] not in ("rgba(0, 0, 0, 0)", "transparent")


def test_the_map_prints_as_a_picture_with_its_legend(project, offline):
    cfg, _ = project
    p = offline.page
    open_map(p, lifecycle(cfg))
    p.emulate_media(media="print")
    app = selected(p)
    expect(app.locator("canvas")).to_be_visible()
    expect(app.locator(".pm-legend")).to_be_visible()
    expect(app.locator(".pm-toolbar")).to_be_hidden()
    expect(app.locator(".pm-legend input").first).to_be_hidden()


def hover_until_tooltip(p, node_id: str):
    """Move the pointer onto ``node_id`` and wait for vis-network's tooltip naming it."""
    point = node_point(p, node_id)
    p.mouse.move(point["x"] - 3, point["y"])
    p.mouse.move(point["x"], point["y"])
    tip = p.locator(".vis-tooltip")
    expect(tip).to_be_visible()
    expect(tip.locator("strong")).to_have_text(EVIL)
    return tip


def test_labels_never_run_as_script(project, offline):
    """On every map that draws the evil element, hover it until its tooltip shows."""
    cfg, _ = project
    p = offline.page
    for url in [
        cfg.site_dir / "maps" / "lifecycle.html",
        cfg.site_dir / "alpha-evil.html",
        cfg.site_dir / "maps" / "stage-alpha-operation.html",
    ]:
        open_map(p, url.as_uri())
        p.wait_for_load_state("load")
        hover_until_tooltip(p, "alpha-evil")
        assert p.evaluate("window.__xss") is None, url
        expect(p.locator("img[src='x']")).to_have_count(0)
    assert offline.errors == []


def test_hovering_a_node_shows_its_tooltip_as_text(project, offline):
    cfg, _ = project
    p = offline.page
    open_map(p, lifecycle(cfg))
    tip = hover_until_tooltip(p, "alpha-evil")
    expect(tip).to_contain_text("process")
    expect(p.locator(".vis-tooltip img")).to_have_count(0)
    assert p.evaluate("window.__xss") is None


def test_text_table_opens_from_the_keyboard_with_every_node_and_edge(project, offline):
    cfg, result = project
    view = overview_view(result.check.corpus, result.check.graph)
    p = offline.page
    open_map(p, lifecycle(cfg))
    summary = p.locator(".pm-table summary")
    expect(summary).to_have_text(f"The same map as a table (7 elements, {len(view.edges)} links)")
    summary.focus()
    p.keyboard.press("Enter")
    tables = p.locator(".pm-table table")
    elements = tables.nth(0).locator("tbody tr")
    expect(elements).to_have_count(7)
    names = elements.locator("td:first-child")
    expect(names).to_have_text(sorted(n["name"] for n in view.nodes))
    expect(p.locator(".pm-table img")).to_have_count(0)
    links = elements.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert sorted(links) == sorted(f"../{n['id']}.html" for n in view.nodes)
    expect(tables.nth(1).locator("tbody tr")).to_have_count(len(view.edges))
    assert offline.errors == []


def test_local_map_on_a_page(project, offline):
    cfg, _ = project
    p = offline.page
    open_map(p, (cfg.site_dir / "alpha-incident.html").as_uri())
    app = selected(p)
    expect(app).to_have_class(re.compile("pm-local"))
    expect(app).to_have_attribute("data-selected", "alpha-incident")
    assert p.evaluate("window.portalMaps.length") == 1
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
    expect(offline.page.locator(".portal-search img")).to_have_count(0)
    assert offline.blocked == []


def test_cli_search_returns_labels_as_data(project):
    from builder.search.engine import search

    cfg, _ = project
    hit = next(h for h in search(cfg, "onerror").hits if h.id == "alpha-evil")
    assert hit.title == EVIL  # JSON data for tools; nothing renders it as HTML
