"""Check every internal link and anchor of a built site; list external links, never follow them."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = ["BrokenLink", "LinkReport", "check_site"]

_ATTR = re.compile(r"""\s(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_ID = re.compile(r"""\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_SKIP_SCHEMES = ("mailto:", "tel:", "data:", "blob:")


@dataclass(frozen=True, slots=True)
class BrokenLink:
    page: str
    target: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.target} ({self.reason})"


@dataclass
class LinkReport:
    pages: int = 0
    internal: int = 0
    broken: list[BrokenLink] = field(default_factory=list)
    external: dict[str, set[str]] = field(default_factory=dict)

    def markdown(self) -> str:
        lines = [
            "# Link report",
            "",
            f"{self.pages} pages, {self.internal} internal links checked, {len(self.broken)} broken, "
            f"{len(self.external)} distinct external links (listed, not followed).",
            "",
            "## Broken",
            "",
            *(f"- {b}" for b in self.broken),
            "",
            "## External",
            "",
            *(f"- {url} (on {len(pages)} pages)" for url, pages in sorted(self.external.items())),
        ]
        return "\n".join(lines) + "\n"


def check_site(site: Path) -> LinkReport:
    """Check ``site``: every relative href/src must name a file, and every #anchor an id there."""
    report = LinkReport()
    ids: dict[Path, set[str]] = {}
    pages = sorted(site.rglob("*.html"))
    report.pages = len(pages)
    for page in pages:
        text = page.read_text(encoding="utf-8", errors="replace")
        for target in _links(text):
            if target.startswith(("http://", "https://", "//")):
                report.external.setdefault(target, set()).add(page.relative_to(site).as_posix())
                continue
            if target.startswith(_SKIP_SCHEMES) or target.lower().startswith("javascript:"):
                if target.lower().startswith("javascript:"):
                    report.broken.append(BrokenLink(_rel(site, page), target, "script URL"))
                continue
            report.internal += 1
            problem = _resolve(site, page, target, ids)
            if problem:
                report.broken.append(BrokenLink(_rel(site, page), target, problem))
    return report


def _links(text: str) -> Iterator[str]:
    for m in _ATTR.finditer(text):
        value = html.unescape(m.group(2) if m.group(2) is not None else m.group(3)).strip()
        if value:
            yield value


def _resolve(site: Path, page: Path, target: str, ids: dict[Path, set[str]]) -> str | None:
    parts = urlsplit(target)
    path = unquote(parts.path)
    file = (
        page
        if not path
        else (site / path.lstrip("/") if path.startswith("/") else page.parent / path)
    )
    file = file.resolve()
    if file.is_dir():
        file = file / "index.html"
    if site.resolve() not in file.parents and file != site.resolve():
        return "outside the site"
    if not file.is_file():
        return "missing file"
    if parts.fragment and file.suffix == ".html":
        if file not in ids:
            ids[file] = _ids(file.read_text(encoding="utf-8", errors="replace"))
        fragment = unquote(parts.fragment)
        if fragment not in ids[file] and not fragment.startswith(("focus=", "__")):
            return "missing anchor"
    return None


def _ids(text: str) -> set[str]:
    return {
        html.unescape(m.group(1) if m.group(1) is not None else m.group(2))
        for m in _ID.finditer(text)
    }


def _rel(site: Path, page: Path) -> str:
    return page.relative_to(site).as_posix()
