"""`portal serve`: serves site/ on loopback and rebuilds when content changes."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request

import pytest

pytestmark = pytest.mark.slow


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


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
            deadline = time.monotonic() + 60
            while "Alpha Change Enablement" not in fetch(base + "alpha-change.html"):
                assert time.monotonic() < deadline, "no rebuild within 60 s"
                time.sleep(0.3)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
