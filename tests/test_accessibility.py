"""Accessibility: axe-core (through axe-playwright-python) on every kind of page.

No serious or critical violation is allowed on any kind of page a reader meets (home, stage,
process, SMF, review, role, task, checklist, learning path, crosswalk, gaps, map, glossary,
assessment, role finder, search results), in the light and the dark scheme, at 1280 and 390 px.
In the dark scheme the rules about colour are the ones run (see COLOUR_RULES).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import Offline
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = [
    "index.html",
    "itil-service-transition.html",
    "itil-change-management.html",
    "mof4-change-and-configuration.html",
    "mof4-operational-health-review.html",
    "role-change-manager.html",
    "task-assess-and-schedule-a-normal-change.html",
    "checklists/role-change-manager.html",
    "learning/role-change-manager.html",
    "crosswalks/itil-mof4.html",
    "crosswalks/itil-mof4-gaps.html",
    "maps/lifecycle.html",
    "assessment.html",
    "roles.html",
    "glossary.html",
]
SCHEMES = ["light", "dark"]
WIDTHS = [1280, 390]


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="module")
def tabs(browser) -> Iterator[dict[tuple[str, int], Offline]]:
    """One offline tab per scheme and width, reused page after page (a new context per page
    costs more than axe itself)."""
    opened: dict[tuple[str, int], Offline] = {}
    for scheme in SCHEMES:
        for width in WIDTHS:
            tab = Offline(browser)
            tab.page.set_viewport_size({"width": width, "height": 900})
            tab.page.emulate_media(color_scheme=scheme)
            opened[(scheme, width)] = tab
    yield opened
    for tab in opened.values():
        tab.close()


#: In the dark scheme only colours change (Material swaps its colour variables), so only the
#: rules about colour can change their verdict there; running just those keeps the suite fast.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def serious(axe, page, scheme: str = "light") -> list[tuple[str, str, list[str]]]:
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if scheme == "dark":
        options["runOnly"] = {"type": "rule", "values": COLOUR_RULES}
    result = axe.run(page, options=options)
    return [
        (v["id"], v["impact"], [str(n["target"]) for n in v["nodes"][:3]])
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def open_page(tab: Offline, url: str, scheme: str) -> Any:
    page = tab.page
    page.goto(url)
    page.wait_for_load_state("load")
    # The scheme a reader's system asks for is the one Material shows.
    expected = "slate" if scheme == "dark" else "default"
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === {expected!r}")
    # Scripts that change the page have run: every map is drawn (pm-ready) before axe looks.
    page.wait_for_function(
        "[...document.querySelectorAll('.portal-map-app')].every(m => m.classList.contains('pm-ready'))"
    )
    return page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_violation(site, tabs, axe, name, scheme, width):
    tab = tabs[(scheme, width)]
    page = open_page(tab, (site / name).as_uri(), scheme)
    assert serious(axe, page, scheme) == []
    assert tab.blocked == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_search_results_have_no_serious_violation(site, tabs, axe, scheme, width):
    """The portal's own search box: a list of results, then the empty state."""
    tab = tabs[(scheme, width)]
    page = open_page(tab, (site / "itil-service-operation.html").as_uri(), scheme)
    box = page.locator("#portal-search-input")
    box.click()
    box.press_sequentially("incident", delay=20)
    options = page.locator("#portal-search-listbox [role=option]")
    expect(options.first).to_be_visible()
    assert serious(axe, page, scheme) == []
    box.fill("xyzzyq")
    expect(options).to_have_count(0)
    assert serious(axe, page, scheme) == []
    assert tab.blocked == []
