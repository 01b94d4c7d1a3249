"""Fault tolerance: a killed build, two builds at once, and a site/ that cannot be written."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder.config import BuildConfig
from builder.errors import SiteBuildError
from builder.pipeline import build
from builder.search.store import current_generation, index_dir

pytestmark = pytest.mark.slow


def digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def start_build(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "builder", "-q", "build", "--root", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def built_then_edited(cfg: BuildConfig) -> tuple[dict[str, str], Path | None]:
    """Build, then edit a page; return the site's digest and the index generation built."""
    build(cfg)
    site_before = digest(cfg.site_dir)
    index_before = current_generation(index_dir(cfg))
    page = cfg.content_dir / "alpha" / "alpha-change.md"
    page.write_text(page.read_text().replace("Alpha Change Control", "Alpha Change Enablement"))
    return site_before, index_before


def children_of(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_a_build_killed_mid_way_leaves_the_previous_site_and_index(make_project):
    cfg = make_project(minimal=True)
    site_before, index_before = built_then_edited(cfg)
    proc = start_build(cfg.root)
    deadline = time.monotonic() + 120
    while not list(cfg.root.glob(".site.new-*")):  # the site phase has started writing
        assert proc.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    workers = children_of(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    # The search-index worker dies with the build: no writer is left behind.
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in workers):
        assert time.monotonic() < deadline, f"index worker outlived the build: {workers}"
        time.sleep(0.05)
    assert digest(cfg.site_dir) == site_before
    assert current_generation(index_dir(cfg)) == index_before
    # The next build succeeds and clears what the killed one left behind.
    build(cfg)
    assert "Alpha Change Enablement" in (cfg.site_dir / "alpha-change.html").read_text()
    assert list(cfg.root.glob(".site.new-*")) == []


def test_two_builds_at_once_both_end_cleanly(make_project):
    cfg = make_project(minimal=True)
    first, second = start_build(cfg.root), start_build(cfg.root)
    outputs = [p.communicate(timeout=300) for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    pages = sorted(p.name for p in cfg.site_dir.glob("*.html"))
    assert "index.html" in pages and "alpha-change.html" in pages
    assert list(cfg.root.glob(".site.*")) == []
    generation = current_generation(index_dir(cfg))
    assert generation is not None and (generation / "meta.json").is_file()


def test_an_index_that_cannot_be_written_fails_the_build_and_keeps_the_site(
    make_project, monkeypatch
):
    cfg = make_project(minimal=True)
    site_before, index_before = built_then_edited(cfg)

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    # The worker is forked from this process, so it runs the patched function.
    monkeypatch.setattr("builder.search.index.write_index", disk_full)
    with pytest.raises(SiteBuildError, match="search index could not be written: OSError"):
        build(cfg)
    assert digest(cfg.site_dir) == site_before
    assert current_generation(index_dir(cfg)) == index_before
    assert list(cfg.root.glob(".site.*")) == []
