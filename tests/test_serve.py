"""`portal serve`: serves site/ on loopback and rebuilds when content changes."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from conftest import QUESTIONNAIRE

pytestmark = pytest.mark.slow


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def wait_for(url: str, text: str) -> None:
    """Fetch ``url`` until it contains ``text`` (a page not yet built is a 404 meanwhile)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            if text in fetch(url):
                return
        except urllib.error.HTTPError as e:
            assert e.code == 404, e
        assert time.monotonic() < deadline, f"no rebuild within 60 s: {text!r} not in {url}"
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
            assert "Alpha Change Control" in fetch(base + "alpha-change.html")
            page = cfg.content_dir / "alpha" / "alpha-change.md"
            page.write_text(
                page.read_text().replace(
                    "title: Alpha Change Control", "title: Alpha Change Enablement"
                )
            )
            wait_for(base + "alpha-change.html", "Alpha Change Enablement")
            # assessment/ is watched too: a new questionnaire brings the self-assessment page.
            (cfg.root / "assessment").mkdir()
            (cfg.root / "assessment" / "questions.yaml").write_text(QUESTIONNAIRE)
            wait_for(base + "assessment.html", "How are incidents logged?")
        finally:
            proc.terminate()
            proc.wait(timeout=10)
