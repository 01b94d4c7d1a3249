"""Wall-clock and CPU seconds per named phase of one process.

The build runs in two processes, so wall time alone cannot say where its CPU goes: each
process times its own phases, and the index worker sends its figures back with its result.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator

__all__ = ["Phases"]

log = logging.getLogger(__name__)


class Phases:
    """Seconds per phase of this process, in the order the phases ran.

    ``wall`` holds wall-clock seconds, ``cpu`` this process's CPU seconds (user and system, all
    threads). A phase timed twice adds up.
    """

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self._log = logger

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        """Time the ``with`` block as phase ``name``."""
        if self._log:
            self._log.info("%s ...", name)
        wall, cpu = time.monotonic(), time.process_time()
        try:
            yield
        finally:
            self.wall[name] = self.wall.get(name, 0.0) + time.monotonic() - wall
            self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - cpu
            if self._log:
                self._log.info("%s done in %.2fs", name, self.wall[name])
