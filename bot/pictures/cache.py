"""Rendered pictures kept on disk by a hash of the data they show, rendered off the event loop.

The key is the renderer's version, the picture's kind and its data (the Timeline or
StanceMap, as JSON): the same stances make the same file, a new stance or a new renderer
makes another. A render takes 0.1-0.3 s of CPU, almost all of it holding the GIL, so the
running bot renders in a child process (`use_process`): in a thread the event loop would
wait for the GIL behind it. The CLI and tests render in a worker thread.

With the index on PostgreSQL the pictures are blobs of the kind `pictures` instead of
files (bot/store/blobs.py), read and written off the event loop just the same.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict
from pathlib import Path
from typing import TypeVar

from bot.store.blobs import Shelf

log = logging.getLogger(__name__)

RENDERER_VERSION = "2"
RENDER_TIMEOUT_S = 30.0  # a render that takes longer is given up on: the answer goes as text
MAX_FILES = 1000  # pictures kept; a stale one is only a cache miss, so the oldest go first
T = TypeVar("T")
# matplotlib's font objects are cached process-wide and are not thread-safe, even when
# every render has its own Figure: renders in threads take turns.
_RENDERING = threading.Lock()


def picture_key(kind: str, data: object) -> str:
    """Return the hash naming a picture of `data` (a dataclass) drawn by this renderer."""
    body = json.dumps(asdict(data), default=str, sort_keys=True, ensure_ascii=False)  # type: ignore[call-overload]
    return hashlib.sha256(f"{RENDERER_VERSION}\n{kind}\n{body}".encode()).hexdigest()


def _quiet() -> None:
    """Point the render process's stdout and stderr at /dev/null (it runs in that process).

    Its results and errors come back through the pool; holding the bot's own output pipes
    would keep them open after the bot itself is gone (a supervisor reading them would hang).
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


class PictureCache:
    """PNG files under one directory (or blobs of one kind), named by `picture_key`."""

    def __init__(self, directory: Path | Shelf) -> None:
        self._dir = directory
        self._processes = False
        self._pool: ProcessPoolExecutor | None = None

    def use_process(self, warm: Callable[[], object] | None = None) -> None:
        """Render in a child process from now on, started now and warmed up with `warm`.

        `warm` (a module-level function: it runs in the child) imports what rendering needs,
        so the first /who after a start does not wait for matplotlib to load.
        """
        self._processes = True
        if warm is not None:
            self._start().submit(warm)

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: forking a process with threads (the index's, PTB's) can deadlock
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_quiet)
        return self._pool

    def close(self) -> None:
        """Stop the child process, if one was started."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _read(self, key: str) -> bytes | None:
        try:
            if isinstance(self._dir, Shelf):
                return self._dir.get(key)
            return (self._dir / f"{key}.png").read_bytes()
        except OSError:
            return None  # not cached yet, or the cache can't be read: render it

    def _keep(self, key: str, png: bytes) -> None:
        try:
            if isinstance(self._dir, Shelf):
                self._dir.put(key, png)
                self._dir.keep_newest(MAX_FILES)
                return
            self._dir.mkdir(parents=True, exist_ok=True)
            path = self._dir / f"{key}.png"
            part = path.with_suffix(f".{os.getpid()}.part")
            part.write_bytes(png)
            part.replace(path)  # atomic: a reader never sees half a file
            self._prune(self._dir)
        except OSError as exc:
            log.warning("picture %s not cached: %s", key[:12], exc)

    @staticmethod
    def _prune(directory: Path) -> None:
        files = list(directory.glob("*.png"))
        if len(files) <= MAX_FILES:
            return
        files.sort(key=lambda f: f.stat().st_mtime)
        for old in files[: len(files) - MAX_FILES]:
            old.unlink(missing_ok=True)

    def get_or_render(self, kind: str, data: T, render: Callable[[T], bytes]) -> bytes:
        """Return the cached picture of `data`, rendering and keeping it on a miss (blocking)."""
        key = picture_key(kind, data)
        png = self._read(key)
        if png is None:
            with _RENDERING:
                png = render(data)
            self._keep(key, png)
        return png

    async def picture(self, kind: str, data: T, render: Callable[[T], bytes]) -> bytes:
        """Return the picture of `data`, rendered off the event loop if not cached."""
        if not self._processes:
            rendering = asyncio.to_thread(self.get_or_render, kind, data, render)
            return await asyncio.wait_for(rendering, RENDER_TIMEOUT_S)
        key = picture_key(kind, data)
        png = await asyncio.to_thread(self._read, key)
        if png is not None:
            return png
        pool = self._start()
        try:
            in_child = asyncio.get_running_loop().run_in_executor(pool, render, data)
            png = await asyncio.wait_for(in_child, RENDER_TIMEOUT_S)
        except BrokenProcessPool:
            self._pool = None  # the child died (killed, out of memory): the next render restarts it
            raise
        await asyncio.to_thread(self._keep, key, png)
        return png
