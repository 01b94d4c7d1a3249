"""`portal serve`: serves site/ on loopback and rebuilds when content changes."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from conftest import QUESTIONNAIRE

pytestmark = pytest.mark.slow


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def wait_for(url: str, text: str, output: list[str]) -> None:
    """Fetch ``url`` until it contains ``text`` (a page not yet built is a 404 meanwhile).

    ``output`` is what the server has printed so far, shown when the wait fails.
    """
    deadline = time.monotonic() + 120
    while True:
        try:
            if text in fetch(url):
                return
        except urllib.error.HTTPError as e:
            assert e.code == 404, e
        assert time.monotonic() < deadline, (
            f"no rebuild within 120 s: {text!r} not in {url}; the server printed:\n"
            + "".join(output)
        )
        time.sleep(0.3)


def test_serve_rebuilds_on_change(make_project):
    cfg = make_project(minimal=True)
    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "builder",
            "-q",
            "serve",
            "--root",
            str(cfg.root),
            "--port",
            "0",
            "--interval",
            "0.2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
            assert match, line
            base = match.group(1)
            # Read the rest of what the server prints as it comes, so that its pipe never
            # fills and a failed wait can show it.
            output: list[str] = []
            threading.Thread(target=lambda: output.extend(proc.stdout), daemon=True).start()
            assert "Alpha Change Control" in fetch(base + "alpha-change.html")
            page = cfg.content_dir / "alpha" / "alpha-change.md"
            page.write_text(
                page.read_text().replace(
                    "title: Alpha Change Control", "title: Alpha Change Enablement"
                )
            )
            wait_for(base + "alpha-change.html", "Alpha Change Enablement", output)
            # assessment/ is watched too: a new questionnaire brings the self-assessment page.
            (cfg.root / "assessment").mkdir()
            (cfg.root / "assessment" / "questions.yaml").write_text(QUESTIONNAIRE)
            wait_for(base + "assessment.html", "How are incidents logged?", output)
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def test_an_edit_made_before_the_watcher_runs_is_rebuilt(make_project, monkeypatch):
    """The baseline is the snapshot `serve` takes before its first build, not one the
    watcher thread takes whenever it gets to run: an edit in between still rebuilds."""
    from builder import cli

    cfg = make_project(minimal=True)
    baseline = cli._snapshot(cfg)
    page = cfg.content_dir / "alpha" / "alpha-change.md"
    page.write_text(page.read_text() + "\nOne more line.\n")
    built = threading.Event()
    monkeypatch.setattr(cli, "_rebuild", lambda _root: built.set() or True)
    stop = threading.Event()
    watcher = threading.Thread(target=cli._watch, args=(cfg, 0.01, baseline, stop))
    watcher.start()
    try:
        assert built.wait(60), "the watcher never rebuilt for an edit made before it started"
    finally:
        stop.set()
        watcher.join(timeout=60)
    assert not watcher.is_alive()
