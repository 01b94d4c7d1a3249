"""The one writer: atomic UTF-8 files, and guarded directory cleaning."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

__all__ = ["clean_dir", "write_bytes", "write_text"]


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8 with ``\\n`` line ends, atomically; create parents."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temp file in the same folder, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def clean_dir(path: Path, *, inside: Path) -> None:
    """Remove ``path`` and everything in it, refusing any folder outside ``inside``."""
    resolved, base = path.resolve(), inside.resolve()
    if resolved == base or base not in resolved.parents:
        msg = f"refusing to clean {resolved}: it is not inside {base}"
        raise ValueError(msg)
    if path.exists():
        shutil.rmtree(path)
