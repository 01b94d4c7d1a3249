"""What a reader sees on the real site, in headless Chromium from file:// with the network cut
off: the crosswalk matrix at 1280 px, the Counterparts table in the content column, the 404 page
opened from disk, and the lifecycle map's own payload (issues 17 and 18)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
from conftest import Offline
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: The ITIL-MOF 3.0 crosswalk: its first matrix (36 columns) is the one at 1280 px that is wider
#: and taller than its frame, so it scrolls both ways.
MATRIX_PAGE = "crosswalks/itil-mof3.html"


@contextmanager
def reading(browser, width: int = 1280, height: int = 800) -> Iterator[Any]:
    """Yield an offline page of the given size; nothing may have been blocked or failed."""
    tab = Offline(browser, viewport={"width": width, "height": height})
    try:
        yield tab.page
    finally:
        tab.close()
    assert tab.blocked == []
    assert tab.errors == []


def box(locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, locator
    return found


def page_title(site: Path, href: str) -> str:
    """Return the heading of the page ``href`` (relative to crosswalks/) as the reader sees it."""
    text = (site / "crosswalks" / href).resolve().read_text(encoding="utf-8")
    found = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
    assert found, href
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).rstrip("¶").strip()


# -----------------------------------------------------------------------------
# The crosswalk matrix at 1280 x 800

#: The box of a link's ::after (the full name or the reason it shows on hover and focus), and
#: the visible box of the matrix frame around it, in px of the window.
TIP = """a => {
    const s = getComputedStyle(a, "::after");
    const r = a.getBoundingClientRect();
    const f = a.closest(".portal-matrix-wrap");
    const fr = f.getBoundingClientRect();
    const left = r.left + parseFloat(s.left), top = r.top + parseFloat(s.top);
    return {
        content: s.content,
        tip: [left, top, left + parseFloat(s.width), top + parseFloat(s.height)],
        frame: [fr.left + f.clientLeft, fr.top + f.clientTop,
                fr.left + f.clientLeft + f.clientWidth, fr.top + f.clientTop + f.clientHeight],
    };
}"""


def assert_tip_shown(p, link, text: str) -> None:
    """Wait until ``link`` shows ``text`` beside it, then check none of it is cut off."""
    p.wait_for_function(
        f"([a, want]) => ({TIP})(a).content === want",
        arg=[link.element_handle(), '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'],
    )
    shown = link.evaluate(TIP)
    (left, top, right, bottom), (fl, ft, fr, fb) = shown["tip"], shown["frame"]
    assert left >= fl - 0.5 and right <= fr + 0.5, (text, shown)
    assert top >= ft - 0.5 and bottom <= fb + 0.5, (text, shown)


#: Where the header row, the first column and a cell are in the window, and how far the matrix
#: frame has scrolled, measured at one moment.
PLACES = """f => {
    const at = (el) => {
        const r = el.getBoundingClientRect();
        return {x: r.x, y: r.y, width: r.width, height: r.height};
    };
    const rows = f.querySelectorAll("tbody th");
    return {
        "corner": at(f.querySelector("thead th")),
        "last column": at(f.querySelector("thead th:last-child")),
        "first row": at(rows[0]),
        "tenth row": at(rows[9]),
        "cell": at(f.querySelectorAll("tbody tr")[1].querySelector("td")),
        "scroll": [f.scrollLeft, f.scrollTop],
    };
}"""


def test_matrix_header_row_and_first_column_stay_in_view(site, browser):
    with reading(browser) as p:
        p.goto((site / MATRIX_PAGE).as_uri())
        frame = p.locator(".portal-matrix-wrap").first
        table = frame.locator("table.portal-matrix")
        first_column = table.locator("tbody th")
        size = frame.evaluate(
            "f => [f.scrollWidth - f.clientWidth, f.scrollHeight - f.clientHeight]"
        )
        assert size[0] >= 40 and size[1] >= 200, size  # it does scroll both ways at this size

        # The reader scrolls the page down until the matrix sits just below Material's header.
        bar = box(p.locator(".md-header")).get("height")
        p.mouse.move(640, 120)
        p.mouse.wheel(0, box(frame)["y"] - bar - 4)
        p.wait_for_function(
            "([f, bar]) => Math.abs(f.getBoundingClientRect().top - bar - 4) < 2",
            arg=[frame.element_handle(), bar],
        )
        before = frame.evaluate(PLACES)

        # Then scrolls the matrix across and down with the wheel over it.
        p.mouse.move(640, 500)
        p.mouse.wheel(300, 0)
        p.wait_for_function("f => f.scrollLeft >= 40", arg=frame.element_handle())
        p.mouse.wheel(0, 400)
        p.wait_for_function("f => f.scrollTop >= 200", arg=frame.element_handle())
        after = frame.evaluate(PLACES)  # (in one call: the wheel may still be scrolling)
        left, top = after["scroll"]

        # The header row keeps its height on screen; the first column keeps its place across.
        for name in ("corner", "last column"):
            assert after[name]["y"] == pytest.approx(before[name]["y"], abs=0.5), name
        for name in ("corner", "first row", "tenth row"):
            assert after[name]["x"] == pytest.approx(before[name]["x"], abs=0.5), name
        assert after["last column"]["x"] == pytest.approx(before["last column"]["x"] - left, abs=1)
        assert after["cell"]["x"] == pytest.approx(before["cell"]["x"] - left, abs=1)
        assert after["cell"]["y"] == pytest.approx(before["cell"]["y"] - top, abs=1)
        # In view: below Material's header and inside the window, and drawn on top of the rows
        # that scroll under them (what is painted at their centre is theirs).
        assert after["corner"]["y"] >= bar - 0.5
        assert after["corner"]["y"] + after["corner"]["height"] <= 800
        # Every header and row name still in the frame, clear of the corner (the columns that
        # scrolled left and the rows that scrolled up pass under it), is drawn on top.
        covered = frame.evaluate(
            """f => {
                const corner = f.querySelector("thead th").getBoundingClientRect();
                const fr = f.getBoundingClientRect();
                const right = fr.left + f.clientLeft + f.clientWidth;
                const bottom = fr.top + f.clientTop + f.clientHeight;
                return [...f.querySelectorAll("thead th, tbody th")].filter(th => {
                    const r = th.getBoundingClientRect();
                    const head = th.parentElement.parentElement.tagName === "THEAD";
                    if (th.matches("thead th:first-child")) return !th.contains(
                        document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
                    if (head ? r.left < corner.right || r.right > right
                             : r.top < corner.bottom || r.bottom > bottom) return false;
                    return [0.25, 0.5, 0.9].some(k => !th.contains(head
                        ? document.elementFromPoint(r.x + r.width / 2, r.y + r.height * k)
                        : document.elementFromPoint(r.x + r.width * k, r.y + r.height / 2)));
                }).map(th => th.innerText.trim());
            }"""
        )
        assert covered == []
        # Just below the header row, across the first column: a row name (the rows above it
        # have scrolled under the header).
        b = after["corner"]
        under = p.evaluate(
            """([x, y]) => {
                const th = document.elementFromPoint(x, y).closest("tbody th");
                return th ? th.innerText.trim() : null;
            }""",
            [b["x"] + 8, b["y"] + b["height"] + 6],
        )
        names = first_column.all_inner_texts()
        assert under in names and names.index(under) > 5, under


def test_matrix_columns_carry_the_full_name_for_hover_and_focus(site, browser):
    with reading(browser) as p:
        p.goto((site / MATRIX_PAGE).as_uri())
        columns = p.locator(".portal-matrix-wrap").first.locator("thead .pm-col a")
        described = columns.evaluate_all(
            """links => links.map(a => ({href: a.getAttribute("href"), short: a.innerText.trim(),
                label: a.getAttribute("aria-label"), full: a.dataset.full}))"""
        )
        assert len(described) >= 30
        for column in described:
            full = page_title(site, column["href"])
            assert column["label"] == full, column
            assert column["full"] == full, column
        assert any(c["short"] != c["full"] for c in described)  # the labels are short ones

        # Hover over the last column, then Tab to the one before it: each shows its full name,
        # whole, inside the matrix's frame.
        last, before_last = columns.last, columns.nth(len(described) - 2)
        last.hover()
        assert_tip_shown(p, last, described[-1]["full"])
        columns.nth(len(described) - 3).focus()
        p.keyboard.press("Tab")
        expect(before_last).to_be_focused()
        assert_tip_shown(p, before_last, described[-2]["full"])


def test_keyboard_reaches_every_header_and_cell_link(site, browser):
    with reading(browser) as p:
        p.goto((site / MATRIX_PAGE).as_uri())
        frame = p.locator(".portal-matrix-wrap").first
        links = frame.locator("a")
        count = links.count()
        # A cell of the last column, out of view until the keyboard reaches it.
        target = frame.locator("tbody tr td:last-child a").first
        target_index = target.evaluate(
            "(a) => [...a.closest('table').querySelectorAll('a')].indexOf(a)"
        )
        assert target_index > 0
        assert frame.evaluate("f => f.scrollLeft") == 0
        expect(target).not_to_be_in_viewport()

        frame.focus()
        expect(frame).to_be_focused()
        frame.evaluate(
            """f => {
                const links = [...f.querySelectorAll("a")];
                window.__reached = [];
                document.addEventListener("focusin", e => window.__reached.push(links.indexOf(e.target)));
            }"""
        )
        for _ in range(target_index + 1):
            p.keyboard.press("Tab")
        p.wait_for_function(f"window.__reached.length === {target_index + 1}")
        expect(target).to_be_focused()
        # Focus scrolled it into the frame's view, clear of the sticky first column.
        expect(target).to_be_in_viewport(ratio=1)
        cell, rows = box(target), box(frame.locator("tbody th").first)
        assert cell["x"] >= rows["x"] + rows["width"] - 0.5
        assert frame.evaluate("f => f.scrollLeft") > 0
        assert_tip_shown(p, target, target.get_attribute("title") or "")  # and its reason

        for _ in range(count - target_index - 1):
            p.keyboard.press("Tab")
        p.wait_for_function(f"window.__reached.length === {count}")
        assert p.evaluate("window.__reached") == list(range(count))


# -----------------------------------------------------------------------------
# The Counterparts table fits the content column


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", ["itil-change-management", "mof4-change-and-configuration"])
def test_counterparts_table_fits_the_content_column(site, browser, name, width):
    with reading(browser, width, 844) as p:
        p.goto((site / f"{name}.html").as_uri())
        table = p.locator(".portal-counterparts table")
        expect(table).to_be_visible()
        cells = table.locator("th, td")
        assert cells.count() >= 12  # a real table: a header and several counterparts
        article = box(p.locator("article.md-content__inner"))
        right = article["x"] + article["width"]
        overflowing = cells.evaluate_all(
            """(cells, right) => cells
                // A phone hides the header row visually (a 1 px clipped box, for screen readers).
                .filter(c => c.parentElement.parentElement.getBoundingClientRect().width > 1)
                .map(c => [c.getBoundingClientRect(), c.innerText.trim().slice(0, 40)])
                .filter(([r]) => r.width > 0 && r.right > right + 0.5)
                .map(([r, text]) => [text, Math.round(r.right - right)])""",
            right,
        )
        assert overflowing == []
        assert p.evaluate("document.documentElement.scrollWidth") <= width


# -----------------------------------------------------------------------------
# The 404 page from disk


def test_404_page_from_disk_is_styled_and_its_links_resolve(site, browser):
    with reading(browser) as p:
        p.goto((site / "404.html").as_uri())
        # Material's stylesheet applied: its header bar has the primary colour, not none.
        expect(p.locator(".md-header")).not_to_have_css("background-color", "rgba(0, 0, 0, 0)")
        expect(p.locator(".md-header")).to_have_css("position", "sticky")
        sheets = p.evaluate("[...document.styleSheets].map(s => s.href).filter(Boolean)")
        assert any("/assets/stylesheets/main." in s for s in sheets), sheets
        raw = p.evaluate(
            """[...document.querySelectorAll("a[href], link[href], script[src], img[src]")]
                .map(e => e.getAttribute("href") || e.getAttribute("src"))"""
        )
        assert raw
        assert [r for r in raw if r.startswith("/")] == []
        resolved = p.evaluate(
            """[...document.querySelectorAll("a[href], link[href], script[src], img[src]")]
                .map(e => e.href || e.src)"""
        )
        missing = [
            url
            for url in resolved
            if url.startswith("file:") and not Path(unquote(urlparse(url).path)).is_file()
        ]
        assert missing == []
        assert all(u.startswith(("file:", "https:", "http:", "mailto:")) for u in resolved)


# -----------------------------------------------------------------------------
# The lifecycle map's own payload


def test_real_lifecycle_map_page_payload_stays_small(site, browser):
    """The page and what only it loads: shared assets (vis-network, Material) are not counted."""
    loaded: list[str] = []
    with reading(browser) as p:
        p.on("requestfinished", lambda r: loaded.append(r.url))
        p.goto((site / "maps" / "lifecycle.html").as_uri())
        p.wait_for_function("window.portalMaps && window.portalMaps.length > 0")
        expect(p.locator(".portal-map-app").first).to_have_class(re.compile("pm-ready"))
    files = {Path(unquote(urlparse(u).path)) for u in loaded if u.startswith("file:")}
    shared = site / "assets"
    own = [f for f in files if not f.is_relative_to(shared)]
    assert site / "maps" / "lifecycle.html" in own
    assert sum(f.stat().st_size for f in own) < 150_000, sorted(own)
