"""End to end: the whole pipeline, mkdocs included, into a temporary project."""

from __future__ import annotations

import gc
import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import minimal_files

from builder.cli import cli
from builder.errors import SiteBuildError, ValidationFailed
from builder.pipeline import build

pytestmark = pytest.mark.slow

EXTERNAL = re.compile(r'(?:src|href)="https?://|url\(https?://|@import "https?://')


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def built(make_project):
    cfg = make_project(minimal=True)
    result = build(cfg)
    return cfg, result


def test_build_writes_every_page_and_the_search_index(built):
    cfg, result = built
    site = cfg.site_dir
    assert result.site_index == site / "index.html"
    for node_id in minimal_files_ids():
        assert (site / f"{node_id}.html").is_file(), node_id
    assert (site / "browse" / "kind-process.html").is_file()
    assert "url=alpha-change.html" in (site / "alpha-change-old.html").read_text()
    index = (site / "search" / "portal-search-index.js").read_text()
    assert "Alpha Incident Handling" in index
    phases = ["hash", "load", "graph", "validate", "render", "site", "index wait"]
    assert list(result.timings) == phases
    assert set(result.worker_timings) == {"related", "index"}
    assert result.seconds >= sum(result.timings.values())


def test_build_reports_the_cpu_of_each_phase_of_both_processes(built):
    _, result = built
    assert list(result.cpu) == list(result.timings)
    assert all(seconds >= 0 for seconds in result.cpu.values())
    steps = ["analyse", "related", "segment", "phrases", "spelling", "export"]
    assert list(result.worker_cpu) == [*steps, "process"]
    # The worker's whole CPU counts from its fork: it holds every step it timed.
    assert result.worker_cpu["process"] >= sum(result.worker_cpu[s] for s in steps) > 0


def test_site_loads_nothing_from_the_network(built):
    cfg, _ = built
    offenders = [
        p.relative_to(cfg.site_dir).as_posix()
        for p in cfg.site_dir.rglob("*")
        if p.suffix in {".html", ".js", ".css"} and EXTERNAL.search(p.read_text(errors="replace"))
    ]
    assert offenders == []
    html = (cfg.site_dir / "index.html").read_text()
    assert "assets/javascripts/portal-search.js" in html
    assert sorted(p.name for p in (cfg.site_dir / "search").iterdir()) == ["portal-search-index.js"]
    assert "fonts.googleapis" not in html


def test_bad_mapping_leaves_site_byte_identical(built):
    cfg, _ = built
    before = tree_digest(cfg.site_dir)
    (cfg.mappings_dir / "alpha-beta.yaml").write_text(
        (cfg.mappings_dir / "alpha-beta.yaml").read_text().replace("strength: 6", "strength: 60")
    )
    result = CliRunner().invoke(cli, ["-q", "build", "--root", str(cfg.root)])
    assert result.exit_code == 1
    assert result.output == (
        "Error: mappings/alpha-beta.yaml:8: 'strength' must be between 1 and 10; got 60\n"
        "Aborted with 1 error; nothing was written.\n"
    )
    assert tree_digest(cfg.site_dir) == before


def test_mkdocs_failure_leaves_site_byte_identical(built):
    cfg, _ = built
    before = tree_digest(cfg.site_dir)
    page = cfg.content_dir / "alpha" / "alpha-change.md"
    page.write_text(page.read_text() + "\nSee [nowhere](nowhere.md).\n")
    with pytest.raises(SiteBuildError, match=r"nowhere\.md"):
        build(cfg)
    assert tree_digest(cfg.site_dir) == before
    assert list(cfg.site_dir.parent.glob(".site.new-*")) == []


def test_build_leaves_the_collector_as_it_found_it(built):
    # `portal serve` builds again and again in one process: what a build froze, or made while
    # it paused the collector for mkdocs, must be collectable once it is over, failed or not.
    cfg, _ = built
    assert gc.isenabled() and gc.get_freeze_count() == 0
    page = cfg.content_dir / "alpha" / "alpha-change.md"
    page.write_text(page.read_text() + "\nSee [nowhere](nowhere.md).\n")
    with pytest.raises(SiteBuildError, match=r"nowhere\.md"):
        build(cfg)
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_rebuild_swaps_in_the_new_site_and_cleans_stale_builds(built):
    cfg, _ = built
    stale = cfg.site_dir.parent / ".site.new-killed"
    (stale / "junk").mkdir(parents=True)
    page = cfg.content_dir / "alpha" / "alpha-change.md"
    page.write_text(
        page.read_text().replace("title: Alpha Change Control", "title: Alpha Change Enablement")
    )
    build(cfg)
    assert "Alpha Change Enablement" in (cfg.site_dir / "alpha-change.html").read_text()
    assert not stale.exists()
    assert sorted(p.name for p in cfg.site_dir.parent.iterdir() if p.name.startswith(".site")) == []


def test_validation_failure_writes_nothing(make_project):
    cfg = make_project({"mappings/x.yaml": "frameworks: 3\nrecords: []\n"}, minimal=True)
    with pytest.raises(ValidationFailed):
        build(cfg)
    assert not cfg.site_dir.exists()
    assert not cfg.build_dir.exists()


def test_unwritable_site_parent_is_a_clear_error(make_project, tmp_path):
    cfg = make_project(minimal=True)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cfg = type(cfg)(**{**{f: getattr(cfg, f) for f in cfg.__slots__}, "site_dir": blocker / "site"})
    with pytest.raises(SiteBuildError, match=r"cannot write beside .*/file/site"):
        build(cfg)


def minimal_files_ids() -> list[str]:
    return sorted(Path(p).stem for p in minimal_files() if p.startswith("content/"))


def test_pages_get_related_guidance_that_they_do_not_already_link(built):
    cfg, result = built
    G = result.check.graph
    text = (cfg.build_dir / "docs" / "alpha-change.md").read_text()
    section = text.split("## Similar guidance\n\n", 1)[1].split("\n\n", 1)[0]
    related = [line.split("](", 1)[1].split(".md)", 1)[0] for line in section.splitlines()]
    assert 1 <= len(related) <= 5
    linked = set(G.successors("alpha-change")) | set(G.predecessors("alpha-change"))
    assert not set(related) & (linked | {"alpha-change"})


def test_build_publishes_the_search_index(built):
    from builder.search.store import IndexMeta, content_hash, current_generation, index_dir

    cfg, _ = built
    generation = current_generation(index_dir(cfg))
    assert generation is not None
    assert IndexMeta.read(generation).content_hash == content_hash(cfg)


def test_preload_mkdocs_imports_what_the_config_names(tmp_path):
    """The build imports mkdocs' theme, plugins and extensions while it waits on the index
    worker; a config it cannot read is left for mkdocs to report."""
    import subprocess
    import sys

    from builder.site import preload_mkdocs

    for text in ("- not\n- a mapping\n", "plugins: [nope-plugin]\nmarkdown_extensions: [nope]\n"):
        bad = tmp_path / "bad.yml"
        bad.write_text(text)
        preload_mkdocs(bad)  # no exception
    preload_mkdocs(tmp_path / "missing.yml")
    code = (
        "import sys; from pathlib import Path; from builder.site import preload_mkdocs; "
        "preload_mkdocs(Path('mkdocs.yml')); "
        "print(all(m in sys.modules for m in ('mkdocs.commands.build', "
        "'material.templates', 'pymdownx.superfences')))"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert out.stdout.strip() == "True", out.stderr
