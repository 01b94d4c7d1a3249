"""Printing: a task and a role's checklists print cleanly, without navigation chrome."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    import shutil

    from conftest import REPO, minimal_files, page

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
    files["content/alpha/extra.md"] = page(
        "alpha-extra", "guide", "Extra", body="[[task-fix-twice]]"
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
    context = browser.new_context()
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page.goto(url)
    page.emulate_media(media="print")
    data = page.pdf(format=fmt, print_background=False, prefer_css_page_size=css_size)
    context.close()
    return PdfReader(io.BytesIO(data))


NAV_WORDS = ("Browse", "Crosswalks", "Search", "Table of contents", "Made with")


@pytest.mark.parametrize("fmt", ["A4", "Letter"])
def test_task_prints_without_chrome_and_with_link_targets(site, browser, fmt):
    reader = pdf_of(browser, (site / "task-fix-an-outage.html").as_uri(), fmt)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Fix an outage" in text
    assert not [w for w in NAV_WORDS if w in text]
    assert "(role-fixer.html)" in text  # links are shown as text
    assert len(reader.pages) <= 8


@pytest.mark.parametrize("fmt", ["A4", "Letter"])
def test_role_checklist_prints_one_task_per_sheet(site, browser, fmt):
    reader = pdf_of(browser, (site / "checklists" / "role-fixer.html").as_uri(), fmt)
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) == 2
    assert "Fix an outage" in pages[0] and "Fix twice" not in pages[0]
    assert "Fix twice" in pages[1]
    assert not [w for w in NAV_WORDS if w in "\n".join(pages)]
