"""Exceptions and problem records of the builder.

Exception tree (every class here, and every one the builder raises for the user)::

    BuilderError                 anything the user can fix; the CLI exits 1 with its message
     ├── ValidationFailed        the collected problems of a whole run (load + validate)
     ├── SiteBuildError          mkdocs failed, the search index could not be written, or
     │                           site/ could not be swapped in
     ├── SearchError             a query or filter value that search cannot use
     └── AmbiguousName           a name given on the command line matches no element, or
                                 several (also a LookupError)

Loaders and checks never raise for a fault in the sources: they return or yield
:class:`Problem` records, which the pipeline sorts by location, prints all at once, and turns
into one :class:`ValidationFailed`. (tests/test_errors.py holds this docstring to the code.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "AmbiguousName",
    "BuilderError",
    "Problem",
    "SearchError",
    "SiteBuildError",
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


class SiteBuildError(BuilderError):
    """mkdocs failed or site/ could not be replaced; the previous site/ is untouched."""


class SearchError(BuilderError):
    """The query or a filter cannot be used (an unknown filter value, an empty query)."""


class AmbiguousName(BuilderError, LookupError):
    """A name matched no node, or several: ``candidates`` lists what the user may have meant."""

    def __init__(self, name: str, candidates: list[tuple[str, str]]) -> None:
        self.name = name
        self.candidates = candidates
        if candidates:
            shown = "; ".join(f"{i} ({t})" for i, t in candidates[:10])
            what = "matches several elements" if len(candidates) > 1 else "is unclear"
            msg = f"{name!r} {what}: {shown}"
        else:
            msg = f"no element is called {name!r}"
        super().__init__(msg)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
