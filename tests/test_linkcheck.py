"""The link checker: broken files and anchors are found; external links are listed only."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from builder.cli import cli
from builder.linkcheck import check_site


def test_finds_missing_files_and_anchors(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="sub/page.html#ok">a</a> <a href="sub/page.html#nope">b</a> '
        '<a href="gone.html">c</a> <a href="https://example.org/x">d</a> <img src="img.png">'
        '<a href="#top">e</a><h1 id="top">T</h1><a href="mailto:x@y">m</a>'
    )
    (tmp_path / "sub" / "page.html").write_text('<h2 id="ok">x</h2><a href="../index.html">up</a>')
    report = check_site(tmp_path)
    assert sorted(str(b) for b in report.broken) == [
        "index.html: gone.html (missing file)",
        "index.html: img.png (missing file)",
        "index.html: sub/page.html#nope (missing anchor)",
    ]
    assert report.external == {"https://example.org/x": {"index.html"}}
    assert report.internal == 6


def test_links_outside_the_site_are_broken(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "secret.html").write_text("x")
    (tmp_path / "site" / "index.html").write_text('<a href="../secret.html">x</a>')
    assert [b.reason for b in check_site(tmp_path / "site").broken] == ["outside the site"]


@pytest.mark.slow
def test_the_built_portal_has_no_broken_link(site):
    report = check_site(site)
    assert report.pages > 400
    assert [str(b) for b in report.broken] == []


def test_cli_reports_broken_links_and_exits_1(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text('<a href="gone.html">x</a>')
    result = CliRunner().invoke(cli, ["-q", "links", "--root", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "1 pages, 1 internal links, 1 broken, 0 external (listed in build/links.md).",
        "Error: index.html: gone.html (missing file)",
    ]
    assert (tmp_path / "build" / "links.md").read_text().startswith("# Link report")
