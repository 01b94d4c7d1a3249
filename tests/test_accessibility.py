"""Accessibility: axe-core (through axe-playwright-python) on every kind of page.

No serious or critical violation is allowed on the home page, a stage, a process, an SMF, a
persona, a task, a crosswalk matrix, a map, the search results, the assessment and the
role finder.
"""

from __future__ import annotations

import pytest
from conftest import Offline
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = [
    "index.html",
    "itil-service-transition.html",
    "itil-change-management.html",
    "mof4-change-and-configuration.html",
    "role-change-manager.html",
    "task-assess-and-schedule-a-normal-change.html",
    "crosswalks/itil-mof4.html",
    "crosswalks/itil-mof4-gaps.html",
    "maps/lifecycle.html",
    "assessment.html",
    "roles.html",
    "glossary.html",
]


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def serious(axe, page) -> list[tuple[str, str, list[str]]]:
    result = axe.run(page)
    return [
        (v["id"], v["impact"], [str(n["target"]) for n in v["nodes"][:3]])
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_violation(site, browser, axe, name):
    offline = Offline(browser)
    offline.page.goto((site / name).as_uri())
    offline.page.wait_for_load_state("load")
    # Scripts that change the page have run: every map is drawn (pm-ready) before axe looks.
    offline.page.wait_for_function(
        "[...document.querySelectorAll('.portal-map-app')].every(m => m.classList.contains('pm-ready'))"
    )
    assert serious(axe, offline.page) == []
    offline.close()


def test_search_results_have_no_serious_violation(site, browser, axe):
    offline = Offline(browser)
    offline.page.goto((site / "itil-service-operation.html").as_uri())
    offline.page.keyboard.press("/")
    offline.page.locator("#portal-search-input").press_sequentially("incident", delay=20)
    options = offline.page.locator("#portal-search-listbox [role=option]")
    expect(options.first).to_be_visible(timeout=15_000)
    assert serious(axe, offline.page) == []
    offline.page.locator("#portal-search-input").fill("xyzzyq")
    expect(options).to_have_count(0)
    assert serious(axe, offline.page) == []
    offline.close()
