"""Take a new standard text into an overlay: ``portal overlay refresh``.

When a standard section that an overlay replaces changes upstream, ``portal check`` warns
(:mod:`builder.load.overlays`). This module shows what changed and records the new fingerprint:

- :func:`stale_sections` lists every replaced section whose recorded fingerprint is not that
  of the standard text now (or that records none);
- :func:`replaced_text` finds the standard text the overlay was written against: the version
  of the standard file, in the project's git history, whose section has the recorded
  fingerprint (an overlay keeps only the fingerprint, so without git history the old text is
  unknown and only the new text can be shown);
- :func:`section_diff` is the unified diff from that text to the standard text now;
- :func:`accept` rewrites the fingerprint in the overlay file in place, and nothing else: every
  other byte of the file (comments, quoting, line ends) stays as it was.
"""

from __future__ import annotations

import difflib
import logging
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from builder.config import BuildConfig
from builder.errors import BuilderError, Problem, ValidationFailed
from builder.fsutil import write_bytes
from builder.load.content import load_content, split_front_matter
from builder.load.mappings import load_mappings
from builder.load.overlays import (
    StaleSection,
    apply_overlays,
    fingerprint,
    section_text,
    yaml_string,
)
from builder.load.schema import did_you_mean

__all__ = ["Replaced", "accept", "replaced_text", "section_diff", "stale_sections"]

log = logging.getLogger(__name__)

#: How far back :func:`replaced_text` looks in the history of one file.
HISTORY_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Replaced:
    """The standard text an overlay replaced, as found in git history."""

    commit: str
    path: str
    text: str


def stale_sections(cfg: BuildConfig, only: Iterable[str] = ()) -> list[StaleSection]:
    """Return the replaced sections of ``cfg``'s overlays that need a refresh, in file order.

    Args:
        cfg: the project, with its overlays.
        only: node ids to keep (all when empty).

    Raises:
        ValidationFailed: content/, mappings/ or an overlay has errors (fix them first).
        BuilderError: an id of ``only`` names no element.
    """
    guidance, problems, _ = load_content(cfg)
    files, records, mapping_problems = load_mappings(cfg)
    overlaid = apply_overlays(cfg, guidance, files, records)
    errors = [p for p in [*problems, *mapping_problems, *overlaid.problems] if p.is_error]
    if errors:
        raise ValidationFailed(errors)
    wanted = set(only)
    known = {n.id for n in overlaid.guidance}
    for node_id in sorted(wanted - known):
        msg = f"unknown id {node_id!r}{did_you_mean(node_id, known)}"
        raise BuilderError(msg)
    stale = [s for s in overlaid.stale if not wanted or s.node_id in wanted]
    return sorted(stale, key=lambda s: (s.location.path, s.location.line))


def replaced_text(cfg: BuildConfig, stale: StaleSection) -> Replaced | None:
    """Return the standard text with the fingerprint ``stale`` records, newest version first,
    from the git history of the file that now holds the standard section; None when the
    project is not a git work tree or no version matches."""
    if not stale.recorded:
        return None
    path = cfg.root / stale.standard.path
    history = _git(cfg.root, "log", f"-{HISTORY_LIMIT}", "--format=%H", "--name-only",
                   "--follow", "--", str(path))  # fmt: skip
    if history is None:
        return None
    commit = ""
    for line in history.splitlines():
        if not line.strip():
            continue
        if re.fullmatch(r"[0-9a-f]{40}", line):
            commit = line
            continue
        raw = _git(cfg.root, "show", f"{commit}:{line}")
        if raw is None:
            continue
        _, body, _, _ = split_front_matter(raw.encode(), line)
        text = section_text(body, stale.title)
        if text is not None and fingerprint(text) == stale.recorded:
            return Replaced(commit, line, text)
    return None


def section_diff(stale: StaleSection, old: Replaced | None) -> str:
    """Return the unified diff from the replaced standard text to the standard text now (from
    nothing when the replaced text is unknown)."""
    if old is None:
        before = "(not recorded)" if not stale.recorded else f"fingerprint {stale.recorded}"
        source = f"{stale.standard.path} (replaced text not found: {before})"
        lines: list[str] = []
    else:
        source = f"{old.path} at {old.commit[:10]} (fingerprint {stale.recorded})"
        lines = old.text.strip("\n").split("\n")
    target = f"{stale.standard} (now, fingerprint {stale.current})"
    diff = difflib.unified_diff(
        lines, stale.standard_text.strip("\n").split("\n"), source, target, lineterm=""
    )
    return "\n".join(diff)


def accept(cfg: BuildConfig, stale: StaleSection) -> None:
    """Record ``stale.current`` as the fingerprint of ``stale``'s section in the overlay file.

    Only the value on the section's line under ``replace`` changes.

    Raises:
        ValidationFailed: the line no longer holds the entry (the file changed since it was
            read).
    """
    path = cfg.root / stale.location.path
    raw = path.read_bytes()
    lines = raw.splitlines(keepends=True)
    index = stale.location.line - 1
    line = lines[index].decode("utf-8") if 0 <= index < len(lines) else ""
    new = _with_fingerprint(line, stale.title, stale.recorded, stale.current)
    if new is None:
        msg = f"no entry '{stale.title}: {stale.recorded}' on this line; run the command again"
        raise ValidationFailed([Problem(stale.location, "stale-entry", msg)])
    lines[index] = new.encode("utf-8")
    write_bytes(path, b"".join(lines))
    log.debug("%s: recorded '%s: %s'", stale.location, stale.title, stale.current)


# -----------------------------------------------------------------------------
# Helpers


def _with_fingerprint(line: str, title: str, recorded: str, current: str) -> str | None:
    """Return ``line`` with the value of its ``title`` key set to ``current``, or None.

    >>> _with_fingerprint("  Steps: 1083d235628b   # note\\n", "Steps", "1083d235628b", "abc")
    '  Steps: abc   # note\\n'
    >>> _with_fingerprint('  "Key concepts":\\n', "Key concepts", "", "abc")
    '  "Key concepts": abc\\n'
    >>> _with_fingerprint("replace: {Steps: 0f, Scope: 1e}\\n", "Scope", "1e", "abc")
    'replace: {Steps: 0f, Scope: abc}\\n'
    >>> _with_fingerprint("  Scope: # to do\\r\\n", "Scope", "", "abc")
    '  Scope: abc # to do\\r\\n'
    """
    key = "|".join(re.escape(k) for k in (title, f'"{title}"', f"'{title}'"))
    value = r"(?P<value>\"[^\"]*\"|'[^']*'|[^\s#,}]*)"
    found = re.search(rf"(?:^|(?<=[\s{{,]))(?:{key})[ \t]*:(?P<gap>[ \t]*){value}", line)
    if found is None or _scalar(found.group("value")) != recorded:
        return None  # another key, or another value than the one read
    head, rest = line[: found.start("gap")], line[found.end() :]
    gap = found.group("gap") or " "
    return f"{head}{gap}{yaml_string(current)}{' ' if rest.startswith('#') else ''}{rest}"


def _scalar(token: str) -> str:
    """Return a YAML value token as the overlay loader records it ('' for none)."""
    try:
        value = yaml.safe_load(token) if token.strip() else None
    except yaml.YAMLError:
        return token
    return "" if value is None else str(value).strip()


def _git(root: Path, *args: str) -> str | None:
    """Return the output of a git command run in ``root``, or None when it fails."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
    except OSError:
        return None
    if done.returncode != 0:
        log.debug("git %s: %s", " ".join(args), done.stderr.strip())
        return None
    return done.stdout
