"""Screenshots of every kind of page, light and dark, at 1280 and 390 px, from file://.

`make bench` calls :func:`take_screenshots` on the site it builds; run this file alone to shoot
an existing site: ``python benchmarks/screenshots.py site build/screenshots``. The pictures are
for people to look at; nothing here asserts anything.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

#: One page of every kind a reader meets, by the name its pictures get.
PAGES = {
    "home": "index.html",
    "stage": "itil-service-transition.html",
    "process": "itil-change-management.html",
    "smf": "mof4-change-and-configuration.html",
    "review": "mof4-operational-health-review.html",
    "role": "role-change-manager.html",
    "task": "task-escalate-an-incident.html",
    "checklist": "checklists/role-incident-manager.html",
    "learning-path": "learning/role-incident-manager.html",
    "crosswalk": "crosswalks/itil-mof4.html",
    "gaps": "crosswalks/itil-mof4-gaps.html",
    "map": "maps/lifecycle.html",
    "glossary": "glossary.html",
    "assessment": "assessment.html",
    "roles": "roles.html",
    "not-found": "404.html",
}
#: The search results are a state of a page, not a page: typed into the home page.
SEARCH = ("search", "index.html", "change")
SCHEMES = ("light", "dark")
MAP_DRAWN = "performance.getEntriesByName('portal-map-drawn').length > 0"
WIDTHS = (1280, 390)


def take_screenshots(site: Path, out: Path) -> list[str]:
    """Save a full-page PNG per page kind, scheme and width into ``out``; return report lines."""
    from playwright.sync_api import sync_playwright
    from search_quality import launch

    out.mkdir(parents=True, exist_ok=True)
    shots = [(name, rel, None) for name, rel in PAGES.items()] + [SEARCH]
    start = time.monotonic()
    count = 0
    with sync_playwright() as p:
        browser = launch(p)
        for scheme in SCHEMES:
            for width in WIDTHS:
                context = browser.new_context(
                    viewport={"width": width, "height": 900}, color_scheme=scheme
                )
                page = context.new_page()
                page.route("**/*", _offline)
                for name, rel, query in shots:
                    page.goto((site / rel).as_uri())
                    if query:
                        _search(page, query)
                    if "portal-map-app" in (site / rel).read_text(encoding="utf-8"):
                        page.wait_for_function(MAP_DRAWN, timeout=15_000)
                    page.screenshot(path=str(out / f"{name}-{scheme}-{width}.png"), full_page=True)
                    count += 1
                context.close()
        browser.close()
    seconds = time.monotonic() - start
    where = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
    return [
        "## Screenshots",
        "",
        f"{count} full-page screenshots ({len(shots)} page kinds x light, dark x 1280, 390 px) "
        f"in `{where}/`, taken in {seconds:.0f} s. Look at them: nothing checks them.",
        "",
    ]


def _offline(route: Any) -> None:
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        route.abort()


def _search(page: Any, query: str) -> None:
    """Focus the portal's search box with its key (``/``, at every width), type ``query`` and
    wait for the results."""
    page.keyboard.press("/")
    page.keyboard.type(query, delay=20)
    page.locator("[role=option]").first.wait_for(timeout=15_000)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    site_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "build" / "screenshots"
    print("\n".join(take_screenshots(site_dir.resolve(), target.resolve())))
