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

from builder.index_store import current_generation, index_dir
from builder.pipeline import build

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


def test_a_build_killed_mid_way_leaves_the_previous_site_and_index(make_project):
    cfg = make_project(minimal=True)
    build(cfg)
    site_before = digest(cfg.site_dir)
    index_before = current_generation(index_dir(cfg))
    page = cfg.content_dir / "alpha" / "alpha-change.md"
    page.write_text(page.read_text().replace("Alpha Change Control", "Alpha Change Enablement"))
    proc = start_build(cfg.root)
    deadline = time.monotonic() + 120
    while not list(cfg.root.glob(".site.new-*")):  # the site phase has started writing
        assert proc.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL
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
