"""The built portal in headless Chromium from file://, with the network cut off.

Playwright drives Debian's /usr/bin/chromium (never `playwright install`). Every request that
is not file:// is aborted and recorded; the tests assert that list stays empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Offline
from playwright.sync_api import expect

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


def test_search_finds_an_acronym_from_the_slice(site, offline):
    offline.page.goto((site / "itil-service-transition.html").as_uri())
    offline.page.keyboard.press("/")
    offline.page.locator("input.md-search__input").press_sequentially("CAB", delay=50)
    # Results come once per keystroke ("C", "CA", "CAB"), each after the worker answers: wait
    # for the list whose highlighted words all start with "cab", which only the last query gives.
    offline.page.wait_for_function(
        """() => {
            const marks = [...document.querySelectorAll(".md-search-result mark")];
            return marks.length > 0 && marks.every(m => m.textContent.toLowerCase().startsWith("cab"));
        }"""
    )
    hrefs = offline.page.locator(".md-search-result__link").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    pages = {h.split("?")[0].rsplit("/", 1)[-1] for h in hrefs}
    assert pages & {"itil-change-management.html", "itil-role-cab.html"}
    assert not any("/maps/" in h for h in hrefs)  # map pages are not search results
    # Results show each page's kind, and its framework where it has one, as tags.
    tags = offline.page.locator(".md-search-result__item .md-tag").all_inner_texts()
    assert {"Task", "ITIL v3"} <= set(tags)
    first = offline.page.locator(".md-search-result__item").first.locator(".md-tag")
    assert first.all_inner_texts()[0] in {"Task", "Process", "Role", "Framework"}
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
