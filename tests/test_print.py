"""Printing, read back from PDFs (A4 and Letter) that Chromium prints.

Pages print portrait without navigation chrome; only a crosswalk's matrices get landscape
sheets. Internal links print as their text, with no file name after them; nothing that only
works on screen (maps, related lists) leaves an empty heading; a typical task fits on three
sheets; checklist boxes print as clear squares, one task per sheet.
"""

from __future__ import annotations

import io
import re

import pytest
from conftest import Offline
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FORMATS = ["A4", "Letter"]
NAV_WORDS = ("Browse", "Crosswalks", "Search", "Table of contents", "Made with")
#: A file name printed after a link, as "(role-incident-manager.html)".
FILE_NAME = re.compile(r"\(\S+\.(?:html|md)(?:#\S*)?\)")


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    import shutil

    from conftest import REPO, minimal_files

    from builder.config import BuildConfig
    from builder.pipeline import build

    root = tmp_path_factory.mktemp("print") / "project"
    files = dict(minimal_files())
    second = files["content/tasks/task-fix-an-outage.md"].replace(
        "task-fix-an-outage", "task-fix-twice"
    )
    files["content/tasks/task-fix-twice.md"] = second.replace(
        "title: Fix an outage", "title: Fix twice"
    )
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return build(BuildConfig.from_root(root)).site_index.parent


def pdf_of(browser, url: str, fmt: str = "Letter", *, css_size: bool = False) -> PdfReader:
    """Print ``url``; with ``css_size``, the page size the CSS asks for wins over ``fmt``, as in
    the browser's own print dialog."""
    tab = Offline(browser)
    tab.page.goto(url)
    tab.page.emulate_media(media="print")
    data = tab.page.pdf(format=fmt, print_background=False, prefer_css_page_size=css_size)
    tab.close()
    assert tab.blocked == []
    return PdfReader(io.BytesIO(data))


def orientations(reader: PdfReader) -> list[str]:
    return [
        "landscape" if float(p.mediabox.width) > float(p.mediabox.height) else "portrait"
        for p in reader.pages
    ]


def chrome(text: str) -> list[str]:
    """The navigation words that stand on a line of their own, as the site's chrome prints."""
    return [w for w in NAV_WORDS if re.search(rf"^{re.escape(w)}($| Material)", text, re.M)]


def text_of(reader: PdfReader) -> str:
    return "\n".join(p.extract_text() for p in reader.pages)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "name",
    [
        "task-escalate-an-incident.html",
        "task-assess-and-schedule-a-normal-change.html",
        "task-log-and-prioritise-an-incident.html",
    ],
)
def test_task_prints_portrait_on_three_sheets_as_plain_text(site, browser, name, fmt):
    reader = pdf_of(browser, (site / name).as_uri(), fmt)
    text = text_of(reader)
    assert "Steps" in text and "Checklist" in text
    assert len(reader.pages) <= 3
    assert set(orientations(reader)) == {"portrait"}
    assert chrome(text) == []
    assert FILE_NAME.findall(text) == []
    # Screen-only sections leave no heading behind.
    assert not re.search(r"^(Map|Similar guidance|Related roles and tasks)$", text, re.M)


@pytest.mark.parametrize("fmt", FORMATS)
def test_only_the_matrices_of_a_crosswalk_print_landscape(site, browser, fmt):
    reader = pdf_of(browser, (site / "crosswalks" / "itil-mof4.html").as_uri(), fmt)
    sides = orientations(reader)
    assert sides[0] == "portrait"  # the introduction
    assert sides.count("landscape") >= 2  # elements and roles
    landscape = [
        p.extract_text() for p, s in zip(reader.pages, sides, strict=True) if s == "landscape"
    ]
    assert all("ITIL v3 ↓ / MOF 4.0 →" in t for t in landscape)
    assert "Elements" in landscape[0]  # the heading prints with its matrix
    records = [
        p.extract_text() for p, s in zip(reader.pages, sides, strict=True) if s == "portrait"
    ]
    assert any("The records as a list" in t for t in records)
    assert FILE_NAME.findall(text_of(reader)) == []


@pytest.mark.parametrize(
    "name",
    [
        "task-escalate-an-incident.html",
        "itil-change-management.html",
        "role-change-manager.html",
        "checklists/role-change-manager.html",
        "crosswalks/itil-mof4.html",
        "index.html",
    ],
)
def test_no_heading_prints_without_content(site, browser, name):
    context = browser.new_context()
    page = context.new_page()
    page.goto((site / name).as_uri())
    page.emulate_media(media="print")
    empty = page.evaluate(
        """() => {
        const shown = (el) => el.getClientRects().length > 0;
        const level = (el) => /^H([1-6])$/.exec(el.tagName);
        const heads = [...document.querySelectorAll('.md-content h1, .md-content h2, .md-content h3')];
        return heads.filter(shown).filter((h) => {
          const mine = Number(level(h)[1]);
          // Everything after the heading, up to the next heading of its level or above.
          const walker = document.createTreeWalker(document.querySelector('.md-content'), NodeFilter.SHOW_ALL);
          walker.currentNode = h;
          let node = walker.nextNode();
          while (node && h.contains(node)) node = walker.nextNode();
          for (; node; node = walker.nextNode()) {
            if (node.nodeType === 1 && level(node) && Number(level(node)[1]) <= mine && shown(node)) break;
            if (node.nodeType === 3 && node.textContent.trim() && shown(node.parentElement)) return false;
            if (node.nodeType === 1 && ['TABLE', 'svg', 'INPUT'].includes(node.tagName) && shown(node)) return false;
          }
          return true;
        }).map((h) => h.textContent.trim());
    }"""
    )
    context.close()
    assert empty == []


def test_checklist_boxes_print_as_clear_squares(site, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto((site / "checklists" / "role-change-manager.html").as_uri())
    page.emulate_media(media="print")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.task-list-indicator')].map((el) => {
          const s = getComputedStyle(el, '::before');
          return [s.borderTopWidth, s.borderTopStyle, s.borderTopColor, s.width, s.maskImage || s.webkitMaskImage];
        })"""
    )
    context.close()
    assert len(boxes) > 20
    for width, style, colour, size, mask in boxes:
        assert float(width.removesuffix("px")) >= 1.5  # 1.5pt, about 2px
        assert style == "solid"
        assert colour == "rgb(0, 0, 0)"
        assert float(size.removesuffix("px")) >= 10
        assert mask == "none"  # Material's faint round icon is gone


@pytest.mark.parametrize("fmt", FORMATS)
def test_role_checklist_prints_one_task_per_sheet(small_site, browser, fmt):
    reader = pdf_of(browser, (small_site / "checklists" / "role-fixer.html").as_uri(), fmt)
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) == 2
    assert "Fix an outage" in pages[0] and "Fix twice" not in pages[0]
    assert "Fix twice" in pages[1]
    assert chrome("\n".join(pages)) == []
    assert set(orientations(reader)) == {"portrait"}
