"""``portal overlay refresh`` (builder/load/refresh.py): an upstream change to a replaced
section is shown as a diff and, with --accept, its fingerprint is recorded in place."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import cli
from builder.config import BuildConfig
from builder.load.overlays import fingerprint
from builder.pipeline import check
from tests.conftest import REPO
from tests.test_overlays import REPLACE_SCOPE, ext, scope_fingerprint

STANDARD = "content/alpha/alpha-incident.md"
OURS = "ours/content/alpha-incident.md"
ADDED = "Now also covers suppliers' outages."


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def change_upstream(root: Path) -> str:
    """Add a sentence to the standard Scope section; return the new standard text."""
    path = root / STANDARD
    text = path.read_text().replace("## Scope\n\n", f"## Scope\n\n{ADDED}\n\n", 1)
    path.write_text(text)
    return text


def refresh(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["overlay", "refresh", "--root", str(root), *args])
    return result.exit_code, result.output


def warnings(cfg) -> list[str]:
    return [str(p) for p in check(cfg).problems]


@pytest.fixture
def upstream(make_project):
    """A project in git whose overlay replaced Scope, then an upstream commit that changes it."""
    cfg = make_project(REPLACE_SCOPE, minimal=True)
    git(cfg.root, "init", "-q")
    git(cfg.root, "add", "-A")
    git(cfg.root, "commit", "-q", "-m", "standard and overlay")
    first = git(cfg.root, "rev-parse", "HEAD").strip()
    change_upstream(cfg.root)
    git(cfg.root, "commit", "-q", "-am", "upstream improves Scope")
    return cfg, first


def test_warning_then_diff_then_accept_then_clean(upstream) -> None:
    cfg, first = upstream
    before = (cfg.root / OURS).read_bytes()
    found = warnings(cfg)
    assert len(found) == 1
    assert found[0].startswith(
        f'{OURS}:6: warning: replaces section "Scope" of alpha-incident, which changed since'
    )
    new = fingerprint(_scope(cfg.root))
    # Without --accept: the diff from the text the overlay replaced to the text now.
    code, out = refresh(cfg.root)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == f'{OURS}:6: section "Scope" of alpha-incident: changed since'
    assert lines[1] == f"--- {STANDARD} at {first[:10]} (fingerprint {scope_fingerprint()})"
    assert lines[2].startswith(f"+++ {STANDARD}:") and lines[2].endswith(
        f"(now, fingerprint {new})"
    )
    assert f"+{ADDED}" in lines and "+" in lines  # the sentence and the blank line after it
    assert not any(line.startswith("-") and not line.startswith("---") for line in lines)
    assert lines[-1].startswith("1 section to review.")
    assert (cfg.root / OURS).read_bytes() == before  # showing writes nothing
    # --accept rewrites the fingerprint on its line, and not one other byte of the file.
    code, out = refresh(cfg.root, "--accept")
    assert code == 0, out
    assert out.strip() == f"{OURS}:6: recorded 'Scope: {new}' (alpha-incident)"
    after = (cfg.root / OURS).read_bytes()
    assert after == before.replace(
        f"  Scope: {scope_fingerprint()}\n".encode(), f"  Scope: {new}\n".encode()
    )
    assert after != before
    assert warnings(cfg) == []
    assert refresh(cfg.root) == (
        0,
        "Nothing to refresh: each replaced section records its standard text's fingerprint.\n",
    )


def _scope(root: Path) -> str:
    text = (root / STANDARD).read_text()
    return text.split("## Scope\n", 1)[1].split("\n## ", 1)[0]


def test_accept_keeps_comments_and_other_entries(make_project) -> None:
    files = dict(REPLACE_SCOPE)
    text = files[OURS].replace(
        f"Scope: {scope_fingerprint()}", "Scope: 000000000000   # checked in March"
    )
    files[OURS] = text
    cfg = make_project(files, minimal=True)
    before = (cfg.root / OURS).read_bytes()
    code, out = refresh(cfg.root, "--accept")
    assert code == 0, out
    expected = before.replace(
        b"Scope: 000000000000   #", f"Scope: {scope_fingerprint()}   #".encode()
    )
    assert (cfg.root / OURS).read_bytes() == expected
    assert warnings(cfg) == []


def test_without_history_the_new_text_is_shown_whole(make_project) -> None:
    cfg = make_project(REPLACE_SCOPE, minimal=True)
    change_upstream(cfg.root)  # not a git work tree: the replaced text cannot be found
    code, out = refresh(cfg.root)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[1] == (
        f"--- {STANDARD} (replaced text not found: fingerprint {scope_fingerprint()})"
    )
    assert f"+{ADDED}" in lines
    assert not any(line.startswith("-") and not line.startswith("---") for line in lines)


def test_an_entry_with_no_fingerprint_is_filled_in(make_project) -> None:
    files = dict(REPLACE_SCOPE)
    files[OURS] = ext("extends: alpha-incident\nreplace:\n  Scope:", "## Scope\n\nOurs.")
    cfg = make_project(files, minimal=True)
    code, out = refresh(cfg.root)
    assert (
        out.splitlines()[0]
        == f'{OURS}:4: section "Scope" of alpha-incident: records no fingerprint'
    )
    code, out = refresh(cfg.root, "alpha-incident", "--accept")
    assert code == 0, out
    assert f"  Scope: {scope_fingerprint()}\n" in (cfg.root / OURS).read_text()
    assert warnings(cfg) == []


def test_ids_limit_the_refresh(upstream) -> None:
    cfg, _ = upstream
    before = (cfg.root / OURS).read_bytes()
    assert refresh(cfg.root, "alpha-change", "--accept")[1].startswith("Nothing to refresh")
    assert refresh(cfg.root, "alpha-incidnt", "--accept") == (
        1,
        "Error: unknown id 'alpha-incidnt'; did you mean 'alpha-incident'?\n",
    )
    assert (cfg.root / OURS).read_bytes() == before


def test_an_overlay_with_errors_is_not_refreshed(upstream) -> None:
    cfg, _ = upstream
    path = cfg.root / OURS
    before = path.read_text().replace("extends: alpha-incident", "extends: alpha-incidnet")
    path.write_text(before)
    code, out = refresh(cfg.root, "--accept")
    assert code == 1
    assert f"{OURS}:2: extends unknown id 'alpha-incidnet'; did you mean 'alpha-incident'?" in out
    assert path.read_text() == before


def test_the_example_overlay_over_a_changed_standard_procedure(tmp_path: Path) -> None:
    """The worked example: the standard Steps it replaces gain a check upstream."""
    root = tmp_path / "portal"
    for folder in ("content", "mappings", "examples/overlay-fernbrook"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "portal.yaml").write_text("overlays: [examples/overlay-fernbrook]\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "portal and overlay")
    standard = root / "content/tasks/task-assess-and-schedule-a-normal-change.md"
    old = "1. **Check the RFC is complete.**"
    new = "1. **Check the RFC is complete and names a business owner.**"
    standard.write_text(standard.read_text().replace(old, new, 1))
    git(root, "commit", "-q", "-am", "upstream: the RFC names a business owner")
    extension = root / "examples/overlay-fernbrook/content/extensions/" / standard.name
    code, out = refresh(root)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].startswith(
        "examples/overlay-fernbrook/content/extensions/task-assess-and-schedule-a-normal-change.md:4:"
    )
    assert any(line.startswith(f"-{old}") for line in lines)
    assert any(line.startswith(f"+{new}") for line in lines)
    code, out = refresh(root, "--accept")
    assert code == 0, out
    assert "# fingerprint of the standard text replaced" in extension.read_text()
    cfg = BuildConfig.from_root(root, strict=True)
    assert warnings(cfg) == []
