"""Where search indexes live, what they were built from, and which one is current.

The index lives in ``build/search/``. Each build writes a new *generation* folder, then points
``build/search/CURRENT`` at it with one atomic rename: a reader never sees a half-written index.
``meta.json`` in a generation holds the hash of the sources it was built from, the synonym
table and the valid filter values; beside it, ``spelling.json`` holds the spelling table (each
word of the pages and how many pages use it), ``phrases.json`` the synonym phrases matched at
index time and ``intent.json`` what reads a query's intent. This module imports nothing heavy,
so that ``portal search`` starts fast.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.config import BuildConfig
from builder.fsutil import write_text

__all__ = [
    "INDEX_VERSION",
    "IndexMeta",
    "content_hash",
    "copy_to_site",
    "current_generation",
    "index_dir",
    "publish_generation",
    "read_intent",
    "read_phrases",
    "read_spelling",
    "write_intent",
    "write_phrases",
    "write_spelling",
]

#: Bump when the schema or the documents change shape: older indexes are then rebuilt.
INDEX_VERSION = "11"


@dataclass(frozen=True, slots=True)
class IndexMeta:
    """What an index generation was built from, and the data queries need."""

    content_hash: str
    synonyms: dict[str, list[str]]
    filters: dict[str, list[str]]
    titles: dict[str, str]

    def to_json(self) -> str:
        data = {
            "version": INDEX_VERSION,
            "content_hash": self.content_hash,
            "synonyms": self.synonyms,
            "filters": self.filters,
            "titles": self.titles,
        }
        return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def read(cls, generation: Path) -> IndexMeta:
        """Read a generation's meta.json; an index of another version reads as stale."""
        data = json.loads((generation / "meta.json").read_text(encoding="utf-8"))
        if data.get("version") != INDEX_VERSION:
            return cls("", {}, {}, {})
        return cls(data["content_hash"], data["synonyms"], data["filters"], data["titles"])


def write_phrases(generation: Path, phrases: dict[str, dict[str, Any]]) -> None:
    """Store the synonym phrases matched at index time (field -> stems -> [ids, scores])."""
    text = json.dumps(phrases, sort_keys=True, separators=(",", ":"))
    write_text(generation / "phrases.json", text + "\n")


def read_phrases(generation: Path) -> dict[str, dict[str, Any]]:
    """Read what :func:`write_phrases` stored; an index without it has no known phrases."""
    try:
        text = (generation / "phrases.json").read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    found: dict[str, dict[str, Any]] = json.loads(text)
    return {
        field: {stems: (ids, scores) for stems, (ids, scores) in known.items()}
        for field, known in found.items()
    }


def write_intent(generation: Path, data: dict[str, Any]) -> None:
    """Store what reads a query's intent: framework names, alignments, each page's names."""
    write_text(generation / "intent.json", json.dumps(data, sort_keys=True) + "\n")


def read_intent(generation: Path) -> dict[str, Any]:
    """Read what :func:`write_intent` stored."""
    found: dict[str, Any] = json.loads((generation / "intent.json").read_text(encoding="utf-8"))
    return found


def write_spelling(generation: Path, table: dict[str, int]) -> None:
    """Store the spelling table: each word of the pages -> the number of pages that use it."""
    text = json.dumps(table, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    write_text(generation / "spelling.json", text + "\n")


def read_spelling(generation: Path) -> dict[str, int]:
    """Read what :func:`write_spelling` stored."""
    found: dict[str, int] = json.loads((generation / "spelling.json").read_text(encoding="utf-8"))
    return found


#: The browser's copy of the index (see :mod:`builder.search.export`), in a generation and in
#: the site's ``search/`` folder.
BROWSER_INDEX = "portal-search-index.js"


def copy_to_site(generation: Path, site_dir: Path) -> None:
    """Copy the browser's copy of the index from ``generation`` into ``site_dir/search/``."""
    (site_dir / "search").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(generation / BROWSER_INDEX, site_dir / "search" / BROWSER_INDEX)


def index_dir(cfg: BuildConfig) -> Path:
    """Return the folder that holds the index generations."""
    return cfg.build_dir / "search"


def content_hash(cfg: BuildConfig) -> str:
    """Return a hash of every source file the index depends on, and of the index version."""
    digest = hashlib.sha256(f"index {INDEX_VERSION}\n".encode())
    paths: list[Path] = []
    if cfg.content_dir.is_dir():
        paths += [p for p in cfg.content_dir.rglob("*") if p.suffix in {".md", ".yaml", ".yml"}]
    if cfg.mappings_dir.is_dir():
        paths += [p for p in cfg.mappings_dir.rglob("*") if p.suffix in {".yaml", ".yml"}]
    for overlay in cfg.overlays:  # an organisation's overlays change what is indexed
        if overlay.is_dir():
            paths += [p for p in overlay.rglob("*") if p.suffix in {".md", ".yaml", ".yml"}]
    for path in sorted(paths):
        digest.update(cfg.relpath(path).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def current_generation(search_dir: Path) -> Path | None:
    """Return the current generation folder, or None when there is no usable index."""
    try:
        name = (search_dir / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    folder = search_dir / name
    return folder if name and (folder / "meta.json").is_file() else None


def publish_generation(search_dir: Path, generation: Path) -> None:
    """Make ``generation`` current (one atomic rename); keep only it and the previous one.

    The previous generation is kept so that a reader that opened it a moment ago can finish.
    """
    previous = current_generation(search_dir)
    write_text(search_dir / "CURRENT", generation.name + "\n")
    keep = {generation.name, previous.name if previous else ""}
    for old in search_dir.glob("gen-*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
