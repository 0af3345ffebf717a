"""Fetched pages by canonical URL, fresh for a window: one article, one fetch."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import BaseModel

from bot.sources.urls import url_key
from bot.store.blobs import Blobs, Shelf
from bot.store.briefing_cache import JsonStore, cache_key, place


class FetchedPage(BaseModel):
    """One fetched page as stored: the extracted text and metadata, and when it was fetched."""

    url: str
    fetched_at: datetime
    text: str
    title: str | None = None
    site: str | None = None
    author: str | None = None
    published: str | None = None
    canonical_url: str | None = None


def utc_now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


def prune_files(root: Path, before: float) -> int:
    """Delete the files under `root` last modified before `before`; count them.

    By the file's own time, not the page's: a file is written when its page is fetched, and
    a temporary file left by a failed write (a full disk) goes the same way.
    """
    removed = 0
    for path in root.glob("*/*"):
        with contextlib.suppress(FileNotFoundError):  # another pruner, or a rewrite
            if path.is_file() and path.stat().st_mtime < before:
                path.unlink()
                removed += 1
    return removed


def prune_fetched(where: Path | Blobs, before: float) -> int:
    """Delete the fetch cache's pages written before `before` (epoch s), files or blobs."""
    fetched = place(where, "fetched")
    if isinstance(fetched, Shelf):
        return fetched.prune(datetime.fromtimestamp(before, UTC))
    return prune_files(fetched, before)


class FetchCache:
    """Pages under BOT_DATA_DIR/fetched, keyed by the canonical form of every URL that led there."""

    def __init__(
        self,
        data_dir: Path | Blobs,
        *,
        fresh_hours: float,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._where = data_dir
        self._store = JsonStore(place(data_dir, "fetched"), FetchedPage)
        self._fresh = timedelta(hours=fresh_hours)
        self._clock = clock

    @staticmethod
    def key(url: str) -> str:
        """Key a URL by its canonical form (no tracking parameters, http = https, no www.)."""
        return cache_key("fetched", url_key(url))

    def get(self, url: str) -> FetchedPage | None:
        """Return the page if it was fetched within the freshness window."""
        page = self._store.get(self.key(url))
        if page is None or self._clock() - page.fetched_at > self._fresh:
            return None
        return page

    def prune(self, before: float) -> int:
        """Delete pages (and stray half-written files) last written before `before` (epoch s)."""
        return prune_fetched(self._where, before)

    def put(self, page: FetchedPage, *urls: str) -> None:
        """Store the page under each URL (asked for, redirected to, declared canonical)."""
        for key in {self.key(u) for u in urls if u}:
            self._store.put(key, page)
