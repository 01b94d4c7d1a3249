"""The one configuration object of a build, resolved once and passed explicitly."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["BuildConfig"]


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
    ) -> BuildConfig:
        """Return the default layout under ``root``; ``site_dir``/``build_dir`` override."""
        base = Path(root).resolve()
        return cls(
            root=base,
            content_dir=base / "content",
            mappings_dir=base / "mappings",
            build_dir=(base / (build_dir or "build")).resolve(),
            site_dir=(base / (site_dir or "site")).resolve(),
            mkdocs_config=base / "mkdocs.yml",
            strict=strict,
        )

    def relpath(self, path: Path) -> str:
        """Return ``path`` relative to the project root, with forward slashes."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()
