"""Fault tolerance: a killed build, two builds at once, and a site/ that cannot be written."""

from __future__ import annotations

import contextlib
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


# A build that stops at a known point: the index worker inside write_index and the main
# process after mkdocs has written the new site beside site/, each announcing it by a file and
# then waiting to be killed. Nothing depends on how fast the machine is.
HELD_BUILD = """
import sys, threading
from pathlib import Path
import builder.search.index, builder.pipeline
from builder.cli import main

flags = Path(sys.argv[1])
run_mkdocs = builder.pipeline.run_mkdocs

def hold(name):
    (flags / name).write_text("")
    threading.Event().wait()

def write_index(*args, **kwargs):
    hold("worker-writing-index")

def run_mkdocs_then_hold(config_file, site_dir):
    run_mkdocs(config_file, site_dir)
    hold("site-written")

builder.search.index.write_index = write_index
builder.pipeline.run_mkdocs = run_mkdocs_then_hold
sys.argv = ["portal", "-q", "build", "--root", sys.argv[2]]
main()
"""


def wait_for_files(proc: subprocess.Popen[bytes], log: Path, *paths: Path) -> None:
    """Wait until every path exists; fail if the build ends first (it cannot end by itself)."""
    deadline = time.monotonic() + 300
    while not all(p.exists() for p in paths):
        assert proc.poll() is None, log.read_text()
        assert time.monotonic() < deadline, f"the held build never reached {paths}"
        time.sleep(0.05)


def test_a_build_killed_mid_way_leaves_the_previous_site_and_index(make_project, tmp_path):
    cfg = make_project(minimal=True)
    site_before, index_before = built_then_edited(cfg)
    flags = tmp_path / "flags"
    flags.mkdir()
    log = tmp_path / "build.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", HELD_BUILD, str(flags), str(cfg.root)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    workers: list[int] = []
    try:
        wait_for_files(proc, log, flags / "worker-writing-index", flags / "site-written")
        # Both processes are now held: the new site is written beside site/, not swapped in,
        # and the worker is alive in the middle of writing the index.
        assert len(list(cfg.root.glob(".site.new-*"))) == 1
        workers = children_of(proc.pid)
        assert len(workers) == 1, workers
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
        # The search-index worker dies with the build: no writer is left behind.
        deadline = time.monotonic() + 30
        while not _is_gone(workers[0]):
            assert time.monotonic() < deadline, f"index worker outlived the build: {workers}"
            time.sleep(0.05)
    finally:
        for pid in [proc.pid, *workers]:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert digest(cfg.site_dir) == site_before
    assert current_generation(index_dir(cfg)) == index_before
    # The next build succeeds and clears what the killed one left behind.
    build(cfg)
    assert "Alpha Change Enablement" in (cfg.site_dir / "alpha-change.html").read_text()
    assert list(cfg.root.glob(".site.new-*")) == []


def _is_gone(pid: int) -> bool:
    """True once ``pid`` has exited (gone, or a zombie waiting to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in {"Z", "X"}


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
