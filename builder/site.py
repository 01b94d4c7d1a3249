"""Run mkdocs on the generated docs tree and swap the result into site/ atomically.

The new site is built in a temporary folder beside site/ and exchanged with it in one
``renameat2(RENAME_EXCHANGE)`` call where the kernel offers it (two renames elsewhere). A failed
or interrupted build leaves the previous site/ exactly as it was.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import logging
import os
import shutil
import tempfile
from pathlib import Path

import yaml

from builder.config import BuildConfig
from builder.errors import SiteBuildError
from builder.fsutil import write_text
from builder.render.nav import NavItem

__all__ = ["run_mkdocs", "swap_site", "write_mkdocs_config"]

log = logging.getLogger(__name__)

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def write_mkdocs_config(cfg: BuildConfig, docs_dir: Path, nav: list[NavItem]) -> Path:
    """Write build/mkdocs.yml: it inherits the project's mkdocs.yml and adds docs_dir and nav."""
    path = cfg.build_dir / "mkdocs.yml"
    data = {
        "INHERIT": os.path.relpath(cfg.mkdocs_config, cfg.build_dir),
        "docs_dir": os.path.relpath(docs_dir, cfg.build_dir),
        "nav": nav,
    }
    write_text(path, yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
    return path


def preload_mkdocs(config_file: Path) -> None:
    """Import mkdocs and the theme, plugins and Markdown extensions ``config_file`` names.

    The build calls this while it waits on the index worker, so that the site phase does not
    spend its first second importing. Best effort: a name that cannot be imported here is left
    for mkdocs itself to report.
    """
    import importlib
    from importlib.metadata import entry_points

    import mkdocs.commands.build  # noqa: F401 - imported to have it loaded

    class _Tolerant(yaml.SafeLoader):
        pass

    _Tolerant.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Tolerant) or {}
    except (OSError, yaml.YAMLError):
        return
    if not isinstance(data, dict):
        return
    names = [next(iter(p)) if isinstance(p, dict) else p for p in data.get("plugins") or []]
    theme = (data.get("theme") or {}).get("name") if isinstance(data.get("theme"), dict) else None
    # mkdocs prefers a plugin of the theme's own namespace ("material/search" over "search").
    wanted = [("mkdocs.plugins", f"{theme}/{n}") for n in names]
    wanted += [("mkdocs.plugins", n) for n in names] + [("mkdocs.themes", theme)]
    for group, name in wanted:
        for ep in entry_points(group=group, name=str(name)):
            with contextlib.suppress(Exception):
                ep.load()
    for ext in data.get("markdown_extensions") or []:
        name = next(iter(ext)) if isinstance(ext, dict) else str(ext)
        for module in (name, f"markdown.extensions.{name}"):
            with contextlib.suppress(Exception):
                importlib.import_module(module)
                break


def run_mkdocs(config_file: Path, site_dir: Path) -> None:
    """Build the site described by ``config_file`` into ``site_dir``, strictly.

    Raises:
        SiteBuildError: mkdocs reported an error or (strict) a warning.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    handler = _CollectWarnings()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    # Keep mkdocs' own chatter out of the terminal: its warnings are repeated in our error.
    # Never raise its level: strict mode counts warnings on this very logger.
    propagate, mkdocs_log.propagate = mkdocs_log.propagate, log.isEnabledFor(logging.DEBUG)
    try:
        config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
        build(config)
    except (Abort, MkDocsException) as e:
        details = "\n".join(handler.messages)
        msg = f"mkdocs failed: {e}" + (f"\n{details}" if details else "")
        raise SiteBuildError(msg) from e
    finally:
        mkdocs_log.removeHandler(handler)
        mkdocs_log.propagate = propagate


def swap_site(new_site: Path, site_dir: Path) -> None:
    """Put ``new_site`` in place of ``site_dir`` atomically and delete the old site."""
    if not site_dir.exists():
        os.rename(new_site, site_dir)
        return
    if _exchange(new_site, site_dir):
        shutil.rmtree(new_site)  # now holds the previous site
        return
    old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.old-", dir=site_dir.parent))
    os.rmdir(old)
    os.rename(site_dir, old)
    os.rename(new_site, site_dir)
    shutil.rmtree(old)


def new_site_dir(site_dir: Path) -> Path:
    """Create and return an empty temporary folder beside ``site_dir`` (same filesystem)."""
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.new-", dir=site_dir.parent))
    except OSError as e:
        msg = f"cannot write beside {site_dir}: {e.strerror}; check that its folder is writable"
        raise SiteBuildError(msg) from e


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one system call; return False where that is not available."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


class _CollectWarnings(logging.Handler):
    """Keep mkdocs' warnings so that a strict failure can say what they were."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"mkdocs: {record.getMessage()}")
