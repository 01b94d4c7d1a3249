"""Exceptions and problem records of the builder.

Exception tree::

    BuilderError                 anything the user can fix; the CLI exits 1 with its message
     ├── SourceError             one problem at one place in content/ or mappings/
     │    ├── ContentError       a Markdown guidance file
     │    └── MappingError       a mappings YAML file
     ├── ValidationFailed        the collected problems of a whole run (load + validate)
     ├── RenderError             a page or asset could not be generated
     └── SiteBuildError          mkdocs failed, or site/ could not be swapped in

Checks never raise: they yield :class:`Problem` records, which the pipeline sorts by
location, prints all at once, and turns into one :class:`ValidationFailed`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "BuilderError",
    "ContentError",
    "MappingError",
    "Problem",
    "RenderError",
    "SiteBuildError",
    "SourceError",
    "SourceLocation",
    "ValidationFailed",
]

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class SourceLocation:
    """A place in a source file: a path relative to the project root and a 1-based line."""

    path: str
    line: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding of a check: where, how bad, a stable code, and a message."""

    location: SourceLocation
    code: str
    message: str
    level: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def __str__(self) -> str:
        if self.level == ERROR:
            return f"{self.location}: {self.message}"
        return f"{self.location}: {self.level}: {self.message}"


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Return problems ordered by file and line, then by message."""
    return sorted(problems, key=lambda p: (p.location.path, p.location.line, p.message))


class BuilderError(Exception):
    """Base class of every error the user can act on."""


class SourceError(BuilderError):
    """A problem at one location in a source file."""

    def __init__(self, location: SourceLocation, message: str) -> None:
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message


class ContentError(SourceError):
    """A problem in a content/ Markdown file."""


class MappingError(SourceError):
    """A problem in a mappings/ YAML file."""


class ValidationFailed(BuilderError):
    """The run found errors (or warnings, in strict mode); nothing was written."""

    def __init__(self, problems: Iterable[Problem], strict: bool = False) -> None:
        self.problems = sort_problems(problems)
        errors = sum(1 for p in self.problems if p.is_error)
        warnings = len(self.problems) - errors
        if errors:
            summary = f"Aborted with {_plural(errors, 'error')}"
        else:
            summary = f"Aborted with {_plural(warnings, 'warning')} in strict mode"
        lines = [str(p) for p in self.problems]
        super().__init__("\n".join([*lines, f"{summary}; nothing was written."]))
        self.strict = strict


class RenderError(BuilderError):
    """Generating the docs tree failed."""


class SiteBuildError(BuilderError):
    """mkdocs failed or site/ could not be replaced; the previous site/ is untouched."""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
