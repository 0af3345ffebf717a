"""Content-addressed files under BOT_DATA_DIR: briefings (JSON) and article texts.

Each store is given a data directory, or the index's Blobs when the index is on
PostgreSQL: then each folder is a kind of the blobs table (bot/store/blobs.py), with the
same bytes under the same keys, and nothing is written to disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import logging
import os
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from bot.models import StoredBriefing
from bot.store.blobs import Blobs, Shelf
from bot.store.outage import DatabaseUnavailableError, RetryPolicy, retry_unit

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
V = TypeVar("V")


def place(where: Path | Blobs, name: str) -> Path | Shelf:
    """Return the folder `name` of a data directory, or that kind of the blobs table."""
    return where / name if isinstance(where, Path) else where.shelf(name)


def _folder(root: Path | Shelf) -> Path:
    if isinstance(root, Shelf):
        raise TypeError(f"{root.kind} are kept in the blobs table, not in files")
    return root


def cache_key(*parts: str) -> str:
    """Derive a file-safe key from the parts that decide whether an answer is reusable."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:40]


def atomic_write(path: Path, data: str, *, durable: bool = True) -> None:
    """Write via a temp file and rename, so a crash never leaves half a file behind.

    `durable=False` skips the fsync: after a power cut the file may be empty or missing,
    which is fine for anything that can be made again (a corrupt cache entry is a miss).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class JsonStore(Generic[M]):
    """One human-readable JSON file per key, in two-level fan-out folders (or one blob)."""

    def __init__(self, root: Path | Shelf, model: type[M]) -> None:
        self._root = root
        self._model = model

    @property
    def root(self) -> Path | Shelf:
        """Return the folder the files live in, or the kind of blob they are."""
        return self._root

    def path(self, key: str) -> Path:
        """Return where `key` lives on disk (a store in the blobs table has no files)."""
        return _folder(self._root) / key[:2] / f"{key}.json"

    def get(self, key: str) -> M | None:
        """Return the stored value, or None when absent, corrupt or half-written."""
        try:
            if isinstance(self._root, Shelf):
                data = self._root.get(key)
            else:
                data = self.path(key).read_bytes()
            return None if data is None else self._model.model_validate_json(data)
        except FileNotFoundError:
            return None
        except (OSError, ValidationError, ValueError) as exc:
            # A corrupt entry is a miss; the next write replaces it. So is an unreadable
            # one: a failing disk or database costs a new answer, not the reply.
            log.warning("cache entry %s unreadable, treating as a miss: %s", key, exc)
            return None

    def put(self, key: str, value: M) -> None:
        """Store `value` under `key` atomically."""
        data = value.model_dump_json(indent=2) + "\n"  # as the file has it: bytes move as-is
        if isinstance(self._root, Shelf):
            self._root.put(key, data.encode())
            return
        # Not fsynced before the reply: an answer lost to a power cut is a cache miss and
        # is made again; the article itself (ArticleTexts) is kept durably.
        atomic_write(self.path(key), data, durable=False)


class BriefingCache(JsonStore[StoredBriefing]):
    """Briefings keyed by (article hash, prompt name and version, model)."""

    def __init__(self, data_dir: Path | Blobs) -> None:
        super().__init__(place(data_dir, "briefings"), StoredBriefing)

    @staticmethod
    def key_for(article_hash: str, prompt_name: str, prompt_version: str, model: str) -> str:
        """Key a briefing by everything that changes its content."""
        return cache_key("briefing", article_hash, prompt_name, prompt_version, model)


class ArticleTexts:
    """Article texts by content hash, kept so nothing accepted is ever lost."""

    def __init__(self, data_dir: Path | Blobs, *, retry: RetryPolicy | None = None) -> None:
        self._root = place(data_dir, "articles")
        # In the blobs table, a write waits out a database outage as Index.run does: the
        # job is done only once its text is kept, so a failed write would answer it twice.
        self._retry = retry if isinstance(self._root, Shelf) else None
        self._writing: dict[str, asyncio.Future[None]] = {}  # texts on their way to disk
        # ... and those texts meanwhile: a reply can go out before its fsync, and a /ask or
        # /story right after it must read the article it answers (read from other threads:
        # one dict lookup, atomic in CPython).
        self._in_flight: dict[str, str] = {}

    def path(self, content_hash: str) -> Path:
        """Return where an article's text lives (texts in the blobs table have no files)."""
        return _folder(self._root) / content_hash[:2] / f"{content_hash}.txt"

    def put(self, content_hash: str, text: str) -> None:
        """Store the text once; content-addressed, so an existing file is already right."""
        if isinstance(self._root, Shelf):
            self._root.add(content_hash, text.encode())  # durable when committed, as fsynced
            return
        path = self.path(content_hash)
        if not path.exists():
            atomic_write(path, text)

    def put_soon(self, content_hash: str, text: str) -> asyncio.Future[None]:
        """Start `put` on a thread of its own (one write per text at a time); await it later."""
        if (writing := self._writing.get(content_hash)) is None:
            self._in_flight[content_hash] = text
            put = functools.partial(asyncio.to_thread, self.put, content_hash, text)
            writing = asyncio.ensure_future(
                put() if self._retry is None else retry_unit(put, self._retry)
            )
            self._writing[content_hash] = writing
            writing.add_done_callback(functools.partial(self._written, content_hash))
        return writing

    def _written(self, content_hash: str, done: asyncio.Future[None]) -> None:
        del self._writing[content_hash]
        self._in_flight.pop(content_hash, None)
        if not done.cancelled() and (exc := done.exception()) is not None:
            log.error("could not save the text of article %s: %s", content_hash[:12], exc)

    async def saved(self, content_hash: str, text: str) -> bool:
        """Wait until the text is kept (fsynced or committed), written now if needed; else False."""
        writing = self._writing.get(content_hash) or self.put_soon(content_hash, text)
        with contextlib.suppress(OSError, DatabaseUnavailableError):  # logged by _written
            await asyncio.shield(writing)
        return not writing.cancelled() and writing.exception() is None

    async def settled(self) -> None:
        """Wait for every text still on its way to disk (failures are logged by _written)."""
        await asyncio.gather(*map(asyncio.shield, self._writing.values()), return_exceptions=True)

    def get(self, content_hash: str) -> str | None:
        """Return the text (one still being written too), or None."""
        if (text := self._in_flight.get(content_hash)) is not None:
            return text
        try:
            if isinstance(self._root, Shelf):
                body = self._root.get(content_hash)
                return None if body is None else body.decode("utf-8")
            return self.path(content_hash).read_text(encoding="utf-8")
        except (FileNotFoundError, UnicodeDecodeError):
            return None


class SingleFlight(Generic[V]):
    """Concurrent requests for one key share one computation (one LLM call, one cost)."""

    def __init__(self) -> None:
        self._inflight: dict[str, asyncio.Future[V]] = {}

    async def run(self, key: str, make: Callable[[], Awaitable[V]]) -> tuple[V, bool]:
        """Return (value, shared): shared is True when another caller's work was reused."""
        if (pending := self._inflight.get(key)) is not None:
            return await asyncio.shield(pending), True
        future: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            value = await make()
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: waiters may be gone, that's fine
            raise
        else:
            future.set_result(value)
            return value, False
        finally:
            del self._inflight[key]
