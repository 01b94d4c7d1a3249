"""The site's static files: the package's assets and the vis-network build the maps run on."""

from __future__ import annotations

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
    vis = resources.files("pyvis") / "templates" / "lib" / VIS_VERSION / "vis-network.min.js"
    with resources.as_file(vis) as script:
        target = dest / "vendor" / "vis-network"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(script, target / "vis-network.min.js")
