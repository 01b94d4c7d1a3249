"""The one configuration object of a build, resolved once and passed explicitly."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = ["PROJECT_FILE", "BuildConfig"]

#: The optional project file at the root: it names the overlays a plain ``portal build`` applies.
PROJECT_FILE = "portal.yaml"


@dataclass(frozen=True, slots=True)
class BuildConfig:
    """Where a build reads from and writes to.

    Every path is absolute. ``root`` is the project folder: source paths in messages are
    relative to it.
    """

    root: Path
    content_dir: Path
    mappings_dir: Path
    build_dir: Path
    site_dir: Path
    mkdocs_config: Path
    strict: bool = False
    #: Overlay folders, applied in order over content/ and mappings/ (see AUTHORING.md).
    overlays: tuple[Path, ...] = ()
    #: Whether ``overlays`` come from the project file (its faults are then reported there).
    overlays_from_project: bool = False

    @property
    def assessment_file(self) -> Path:
        """The self-assessment questionnaire (optional)."""
        return self.root / "assessment" / "questions.yaml"

    @classmethod
    def from_root(
        cls,
        root: str | Path = ".",
        *,
        site_dir: str | Path | None = None,
        build_dir: str | Path | None = None,
        strict: bool = False,
        overlays: tuple[str | Path, ...] | None = None,
    ) -> BuildConfig:
        """Return the default layout under ``root``; ``site_dir``/``build_dir`` override.

        ``overlays`` (folders, relative to the working directory) replace the ``overlays:`` list
        of ``root/portal.yaml``, whose entries are relative to ``root``. The project file is
        read leniently here; the overlay loader reports its faults with their lines.
        """
        base = Path(root).resolve()
        from_project = overlays is None
        if overlays is None:
            overlays = tuple(base / p for p in _project_overlays(base / PROJECT_FILE))
        return cls(
            root=base,
            content_dir=base / "content",
            mappings_dir=base / "mappings",
            build_dir=(base / (build_dir or "build")).resolve(),
            site_dir=(base / (site_dir or "site")).resolve(),
            mkdocs_config=base / "mkdocs.yml",
            strict=strict,
            overlays=tuple(Path(p).resolve() for p in overlays),
            overlays_from_project=from_project,
        )

    @property
    def project_file(self) -> Path:
        """The project file (optional): ``portal.yaml`` at the root."""
        return self.root / PROJECT_FILE

    def relpath(self, path: Path) -> str:
        """Return ``path`` relative to the project root, with forward slashes."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def _project_overlays(path: Path) -> list[str]:
    """Return the ``overlays:`` entries of the project file; nothing when absent or unreadable."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    items = data.get("overlays") if isinstance(data, dict) else None
    return [p for p in items if isinstance(p, str)] if isinstance(items, list) else []
