"""The search-index worker: a second process that finds related pages, then writes the index.

The build's main process renders pages and runs mkdocs on one core; the worker uses the other.
It is forked once the sources are checked, so it shares the corpus and graph without copying
them, and it dies with the build: a killed build leaves no writer behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import multiprocessing
import os
import shutil
import signal
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import networkx as nx

from builder.errors import SiteBuildError
from builder.model import Corpus
from builder.timing import Phases

__all__ = ["IndexWorker"]

_PR_SET_PDEATHSIG = 1


class IndexWorker:
    """Find related pages and write a search-index generation in a forked process.

    ``related()`` waits for the related pages, ``generation()`` for the written index (not yet
    current); ``cancel()`` stops the worker and deletes what it wrote.
    """

    def __init__(self, corpus: Corpus, G: nx.MultiDiGraph, search_dir: Path, digest: str):
        #: Wall-clock seconds of the worker's two results, "related" and "index".
        self.timings: dict[str, float] = {}
        #: The worker's CPU seconds per step, and its whole CPU as "process" once it is done.
        self.cpu: dict[str, float] = {}
        self._related: dict[str, list[str]] | None = None
        self._generation: Path | None = None
        ctx = multiprocessing.get_context("fork")
        self._conn, child = ctx.Pipe(duplex=False)
        self._process = ctx.Process(
            target=_work, args=(child, os.getpid(), corpus, G, search_dir, digest), daemon=True
        )
        self._process.start()
        child.close()

    def has_related(self) -> bool:
        """Whether the related pages are ready (``related()`` would not wait)."""
        return self._related is not None or self._conn.poll()

    def related(self) -> dict[str, list[str]]:
        """The related pages of every node (waits for the worker to find them)."""
        if self._related is None:
            self._related = self._receive("related")
        return self._related

    def generation(self) -> Path:
        """The written index generation, not yet current (waits for the worker to finish)."""
        if self._generation is None:
            self.related()
            self._generation = Path(self._receive("index"))
            self._process.join()
        return self._generation

    def cancel(self) -> None:
        """Stop the worker and delete whatever it wrote."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._conn.close()
        if self._generation is not None:
            shutil.rmtree(self._generation, ignore_errors=True)

    def _receive(self, expected: str) -> Any:
        try:
            kind, value, seconds, cpu = self._conn.recv()
        except EOFError:
            self._process.join()
            msg = f"the search-index worker stopped (exit code {self._process.exitcode})"
            raise SiteBuildError(msg) from None
        if kind == "error":
            msg = f"the search index could not be written: {value}"
            raise SiteBuildError(msg)
        assert kind == expected, (kind, expected)
        self.timings[kind] = seconds
        self.cpu.update(cpu)
        return value


def _work(
    conn: Connection,
    parent: int,
    corpus: Corpus,
    G: nx.MultiDiGraph,
    search_dir: Path,
    digest: str,
) -> None:
    """The worker's body: send ("related", ...), then ("index", folder) or ("error", text).

    Each message is (kind, value, wall-clock seconds, CPU seconds per step).
    """
    from builder.search.index import analyse_documents, find_related, write_index

    _die_with(parent)
    # What the worker makes (the analysed pages, their postings) lives until it exits, which
    # it does without a final collection: the collector's passes would find next to nothing.
    gc.disable()
    phase = Phases()
    try:
        start = time.monotonic()
        # Every page is analysed once: the related pages and the index are made from that.
        with phase("analyse"):
            analysed = analyse_documents(corpus, G)
        with phase("related"):
            related = find_related(corpus, G, analysed)
        conn.send(("related", related, time.monotonic() - start, dict(phase.cpu)))
        start = time.monotonic()
        generation = write_index(corpus, G, search_dir, digest, phase, analysed)
        # The forked process's own CPU, from the fork on: its steps and what lies between.
        phase.cpu["process"] = time.process_time()
        conn.send(("index", str(generation), time.monotonic() - start, phase.cpu))
    except Exception as e:
        with contextlib.suppress(OSError):
            conn.send(("error", f"{type(e).__name__}: {e}", 0.0, {}))
    finally:
        conn.close()


def _die_with(parent: int) -> None:
    """Ask Linux to kill this process when the build that forked it dies."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is not None:
        ctypes.CDLL(libc_name, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before prctl took effect
        os._exit(1)
