"""Process flow and template pages in the browser: both colour schemes, and print to PDF."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import REPO, Offline, minimal_files
from test_anatomy import files
from test_print import pdf_of

from builder.config import BuildConfig
from builder.pipeline import build

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NAV_WORDS = ("Browse", "Crosswalks", "Table of contents", "Made with")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("anatomy") / "project"
    for rel, text in {**minimal_files(), **files()}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return build(BuildConfig.from_root(root)).site_index.parent


def luminance(css: str) -> float:
    r, g, b = (int(v) for v in re.findall(r"\d+", css)[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_flow_follows_the_colour_scheme(site, browser, scheme):
    from playwright.sync_api import expect

    tab = Offline(browser, color_scheme=scheme, viewport={"width": 390, "height": 800})
    page = tab.page
    page.goto((site / "alpha-change.html").as_uri())
    flow = page.locator("svg.portal-flow")
    expect(flow.locator("g.pf-step")).to_have_count(4)
    expect(flow.locator("g.pf-decision")).to_have_count(1)
    expect(flow).to_be_visible()
    ink = flow.evaluate("e => getComputedStyle(e).color")
    fill = flow.locator("rect.pf-box").first.evaluate("e => getComputedStyle(e).fill")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    # Lines and text contrast with the page; boxes are filled with the page's own background.
    assert abs(luminance(ink) - luminance(background)) > 0.6
    assert abs(luminance(fill) - luminance(background)) < 0.05
    # At phone width the flow fits the column instead of overflowing it.
    width = flow.evaluate("e => e.getBoundingClientRect().width")
    column = page.locator("article").evaluate("e => e.clientWidth")
    assert width <= column
    assert tab.blocked == []
    tab.close()


def test_template_prints_upright_with_every_field(site, browser):
    reader = pdf_of(browser, (site / "template-change-form.html").as_uri(), css_size=True)
    for sheet in reader.pages:
        assert sheet.mediabox.height > sheet.mediabox.width  # portrait
    text = "\n".join(p.extract_text() for p in reader.pages)
    for name in ("Change form", "Field", "What to record", "Entry", "Change title", "Reason"):
        assert name in text
    assert not [w for w in NAV_WORDS if w in text]
    assert len(reader.pages) <= 2


def test_process_flow_prints_as_text(site, browser):
    reader = pdf_of(browser, (site / "alpha-change.html").as_uri(), css_size=True)
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for label in ("1. Record the change", "Approved?", "4. Close the record", "Start", "End"):
        assert label in text
