"""Rendered pictures kept on disk by a hash of the data they show, rendered off the event loop.

The key is the renderer's version, the picture's kind and its data (the Timeline or
StanceMap, as JSON): the same stances make the same file, a new stance or a new renderer
makes another. A render takes 0.1-0.3 s of CPU, so it runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)

RENDERER_VERSION = "1"
T = TypeVar("T")


def picture_key(kind: str, data: object) -> str:
    """Return the hash naming a picture of `data` (a dataclass) drawn by this renderer."""
    body = json.dumps(asdict(data), default=str, sort_keys=True, ensure_ascii=False)  # type: ignore[call-overload]
    return hashlib.sha256(f"{RENDERER_VERSION}\n{kind}\n{body}".encode()).hexdigest()


class PictureCache:
    """PNG files under one directory, named by `picture_key`."""

    def __init__(self, directory: Path) -> None:
        self._dir = directory

    def get_or_render(self, kind: str, data: T, render: Callable[[T], bytes]) -> bytes:
        """Return the cached picture of `data`, rendering and keeping it on a miss (blocking)."""
        path = self._dir / f"{picture_key(kind, data)}.png"
        try:
            return path.read_bytes()
        except OSError:
            pass  # not cached yet, or the cache can't be read: render it
        png = render(data)
        try:
            self._dir.mkdir(parents=True, exist_ok=True)
            part = path.with_suffix(f".{os.getpid()}.part")
            part.write_bytes(png)
            part.replace(path)  # atomic: a reader never sees half a file
        except OSError as exc:
            log.warning("picture not cached (%s): %s", path, exc)
        return png

    async def picture(self, kind: str, data: T, render: Callable[[T], bytes]) -> bytes:
        """Return the picture of `data`, rendered in a worker thread if not cached."""
        return await asyncio.to_thread(self.get_or_render, kind, data, render)


__all__ = ["PictureCache", "picture_key"]
