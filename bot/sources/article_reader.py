"""Links and documents to Articles: the service a handler, the CLI or a job worker calls.

Light at import time on purpose: httpx, trafilatura and pypdf load on first use, so a cached
`briefbot brief` does not pay for them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.articles.dates import PAGE, page_date
from bot.articles.text import make_article, normalize_text
from bot.config import Settings
from bot.errors import ArticleError, NoArticleError, SourceError
from bot.models import Article, Source
from bot.sources.fetch_cache import FetchCache, FetchedPage, utc_now
from bot.sources.urls import host_label
from bot.store.briefing_cache import SingleFlight

if TYPE_CHECKING:
    import httpx

    from bot.sources.extract import Page
    from bot.sources.fetch import Fetcher, Resolver
    from bot.store.blobs import Blobs

log = logging.getLogger(__name__)


def page_source(page: FetchedPage) -> Source:
    """Attribute a page: site name, author and date where known, linked to its URL."""
    url = page.canonical_url or page.url
    parts = [page.site or host_label(url)]
    if page.author:
        parts.append(page.author)
    if page.published:
        parts.append(page.published)
    return Source(label=" · ".join(parts), url=url)


class SourceService:
    """Fetch, extract and cache pages; read documents; hand back Articles."""

    def __init__(
        self,
        settings: Settings,
        *,
        resolver: Resolver | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], datetime] = utc_now,
        blobs: Blobs | None = None,
    ) -> None:
        self._settings = settings
        self._resolver = resolver
        self._transport = transport
        self._clock = clock
        self.cache = FetchCache(  # in the blobs table when the index is on PostgreSQL
            blobs or settings.bot_data_dir, fresh_hours=settings.fetch_cache_hours, clock=clock
        )
        self._fetcher: Fetcher | None = None
        self._flights: SingleFlight[FetchedPage] = SingleFlight()

    @property
    def fetcher(self) -> Fetcher:
        """Return the fetcher, built on first use."""
        if self._fetcher is None:
            from bot.sources.fetch import Fetcher, Limits, system_resolver

            self._fetcher = Fetcher(
                Limits(
                    max_bytes=self._settings.fetch_max_bytes,
                    timeout_s=self._settings.fetch_timeout_s,
                ),
                allow_private=self._settings.fetch_allow_private_networks,
                resolver=self._resolver or system_resolver,
                transport=self._transport,
            )
        return self._fetcher

    def feed_fetcher(self, max_bytes: int) -> Fetcher:
        """Return a fetcher like the links' one (same guards, resolver, timeout) for feeds."""
        from bot.sources.fetch import Fetcher, Limits, system_resolver

        return Fetcher(
            Limits(max_bytes=max_bytes, timeout_s=self._settings.fetch_timeout_s),
            allow_private=self._settings.fetch_allow_private_networks,
            resolver=self._resolver or system_resolver,
            transport=self._transport,
        )

    def cached_page(self, url: str) -> FetchedPage | None:
        """Return the page fetched for this URL (or a variant of it) within the window."""
        return self.cache.get(url)

    async def page(self, url: str) -> tuple[FetchedPage, bool]:
        """Return (page, from_cache): from the fetch cache, or fetched and extracted now."""
        if (hit := self.cache.get(url)) is not None:
            return hit, True
        # Two chats sharing the same fresh link at once cause one fetch, not two.
        page, shared = await self._flights.run(FetchCache.key(url), lambda: self._fetch(url))
        return page, shared

    async def _fetch(self, url: str) -> FetchedPage:
        fetched = await self.fetcher.fetch(url)
        page = await asyncio.to_thread(_extract, fetched.kind, fetched.body, fetched.charset, url)
        stored = FetchedPage(
            url=fetched.url,
            fetched_at=self._clock(),
            text=page.text,
            title=page.title,
            site=page.site,
            author=page.author,
            published=page.published,
            canonical_url=_confirmed_canonical(page.canonical_url, url, fetched.url),
        )
        try:
            self.cache.put(stored, url, fetched.url, stored.canonical_url or "")
        except OSError as exc:  # a cache, not the record: a full disk must not fail the page
            log.warning("fetch cache not written for %s: %s", host_label(fetched.url), exc)
        log.info("fetched %s: %d characters", host_label(fetched.url), len(page.text))
        return stored

    async def article_from_url(self, url: str) -> Article:
        """Fetch (or reuse) the page behind a link and return it as an Article."""
        page, _cached = await self.page(url)
        article = self._article(page.text, page.title, page_source(page))
        if (published := page_date(page.published)) is None:
            return article  # dated on receipt: a dateline in its text, else the day it came
        return article.model_copy(update={"published_at": published, "published_from": PAGE})

    async def article_from_document(
        self,
        data: bytes,
        *,
        file_name: str | None,
        mime_type: str | None,
        source: Source | None = None,
    ) -> Article:
        """Read a PDF, HTML or text document and return it as an Article."""
        from bot.sources.documents import SUPPORTED, document_kind, read_document

        kind = document_kind(file_name, mime_type)
        if kind is None:
            raise SourceError(SUPPORTED, hint=False)
        page = await asyncio.to_thread(
            read_document,
            data,
            kind,
            file_name=file_name,
            enough_chars=self._settings.max_article_chars + 1,
        )
        label = source or Source(label=file_name or "a document")
        title = page.title or (file_name.rsplit(".", 1)[0] if file_name else None)
        return self._article(page.text, title, label)

    def _article(self, text: str, title: str | None, source: Source) -> Article:
        settings = self._settings
        try:
            return make_article(
                text,
                title=title,
                source=source,
                min_chars=settings.min_article_chars,
                max_chars=settings.max_article_chars,
            )
        except ArticleError as exc:
            if len(normalize_text(text)) > settings.max_article_chars:
                raise SourceError(str(exc), hint=False) from None  # too long: say so as it is
            raise NoArticleError("That holds too little text to brief.") from None


def _extract(kind: str, body: bytes, charset: str | None, url: str) -> Page:
    from bot.sources.documents import read_document
    from bot.sources.extract import decode_html, extract_page

    if kind == "html":
        return extract_page(decode_html(body, charset), url=url)
    return read_document(body, kind)


def _confirmed_canonical(canonical: str | None, asked: str, fetched: str) -> str | None:
    # A page may declare any canonical URL, even another user's page on a shared host
    # (telegra.ph, medium.com/@user): trust it only when it names the page we asked for or
    # were redirected to, or a hostile page could make itself the cached answer for another.
    if not canonical or not canonical.startswith(("http://", "https://")):
        return None
    from bot.sources.urls import url_key

    return canonical if url_key(canonical) in {url_key(asked), url_key(fetched)} else None
