"""Build the offline ITSM guidance portal from content/ and mappings/.

The public API is small: :func:`build` and :func:`check` run the pipeline on a
:class:`BuildConfig`; every user-facing failure is a :class:`BuilderError`.
"""

from __future__ import annotations

__version__ = "0.1.0"

from builder.config import BuildConfig
from builder.errors import BuilderError, ValidationFailed
from builder.pipeline import BuildResult, CheckResult, build, check

__all__ = [
    "BuildConfig",
    "BuildResult",
    "BuilderError",
    "CheckResult",
    "ValidationFailed",
    "__version__",
    "build",
    "check",
]
