"""The built portal in headless Chromium from file://, with the network cut off.

Playwright drives Debian's /usr/bin/chromium (never `playwright install`). Every request that
is not file:// is aborted and recorded; the tests assert that list stays empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.config import BuildConfig
from builder.pipeline import build

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the repository's real content into a temporary site."""
    out = tmp_path_factory.mktemp("real")
    cfg = BuildConfig.from_root(REPO, site_dir=out / "site", build_dir=out / "build")
    return build(cfg).site_index.parent


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail("/usr/bin/chromium is missing: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield b
        b.close()


class Offline:
    """A page whose non-file requests are aborted; console errors and blocked URLs recorded."""

    def __init__(self, browser) -> None:
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def close(self) -> None:
        self.context.close()


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


def test_search_finds_an_acronym_from_the_slice(site, offline):
    offline.page.goto((site / "itil-service-transition.html").as_uri())
    offline.page.keyboard.press("/")
    offline.page.locator("input.md-search__input").press_sequentially("CAB", delay=50)
    results = offline.page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    hrefs = offline.page.locator(".md-search-result__link").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert any("itil-change-management.html" in h for h in hrefs)
    assert offline.blocked == []
    assert offline.errors == []


def test_process_page_shows_counterparts_and_follows_links(site, offline):
    offline.page.goto((site / "itil-change-management.html").as_uri())
    table = offline.page.locator(".portal-counterparts table")
    assert "Change and Configuration" in table.inner_text()
    table.get_by_role("link", name="Change and Configuration").first.click()
    offline.page.wait_for_load_state("load")
    assert offline.page.url.endswith("mof4-change-and-configuration.html")
    assert offline.blocked == []
    assert offline.errors == []
