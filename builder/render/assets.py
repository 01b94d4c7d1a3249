"""The site's static files: the package's assets and the vis-network build the maps run on."""

from __future__ import annotations

import importlib.util
import shutil
from importlib import resources
from pathlib import Path

__all__ = ["VIS_VERSION", "copy_assets"]

#: The vis-network build inside pyvis 0.3.2 that the maps use.
VIS_VERSION = "vis-9.1.2"


def copy_assets(dest: Path) -> None:
    """Copy ``builder/assets`` into ``dest`` and vis-network into ``dest/vendor/vis-network``."""
    source = resources.files("builder") / "assets"
    with resources.as_file(source) as src:
        shutil.copytree(src, dest, dirs_exist_ok=True)
    # vis-network ships once, copied from the installed pyvis package (no CDN, no second copy).
    target = dest / "vendor" / "vis-network"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(
        _pyvis_dir() / "templates" / "lib" / VIS_VERSION / "vis-network.min.js",
        target / "vis-network.min.js",
    )


def _pyvis_dir() -> Path:
    """The installed pyvis package's folder, found without importing pyvis: its import pulls
    in IPython (a quarter of a second of CPU) for a file this build only copies."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        msg = "pyvis is not installed: the maps need the vis-network build it ships"
        raise ModuleNotFoundError(msg)
    return Path(next(iter(spec.submodule_search_locations)))
