"""Build the offline ITSM guidance portal from content/ and mappings/.

The public API is small: :func:`build` and :func:`check` run the pipeline on a
:class:`BuildConfig`; every user-facing failure is a :class:`BuilderError`. Names are imported
on first use, so that ``portal search`` starts without loading the whole pipeline.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
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

_HOMES = {
    "BuildConfig": "builder.config",
    "BuilderError": "builder.errors",
    "ValidationFailed": "builder.errors",
    "BuildResult": "builder.pipeline",
    "CheckResult": "builder.pipeline",
    "build": "builder.pipeline",
    "check": "builder.pipeline",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    msg = f"module 'builder' has no attribute {name!r}"
    raise AttributeError(msg)
