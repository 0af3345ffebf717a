"""One feed item to an Article: the page through the links' fetcher, the summary as a fallback."""

from __future__ import annotations

import hashlib
import logging

from bot.articles.text import make_article
from bot.errors import ArticleError
from bot.feeds.parse import FeedItem
from bot.models import Article, Source
from bot.sources.article_reader import SourceService
from bot.sources.urls import host_label, url_key

log = logging.getLogger(__name__)
FALLBACK_NOTE = "feed summary only: the page couldn't be fetched"


def item_keys(item: FeedItem) -> tuple[str | None, str | None]:
    """Return (GUID key, link key); an item with neither is keyed by its title and text."""
    link = item.permalink or item.link
    link_key = url_key(link) if link else None
    guid_key = item.guid.strip() if item.guid and item.guid.strip() else None
    if guid_key is None and link_key is None:
        digest = hashlib.sha256(f"{item.title}\x1f{item.summary}".encode()).hexdigest()
        guid_key = f"sha256:{digest}"
    return guid_key, link_key


def _make(
    text: str, title: str | None, source: Source, min_chars: int, max_chars: int
) -> Article | None:
    try:
        return make_article(
            text, title=title, source=source, min_chars=min_chars, max_chars=max_chars
        )
    except ArticleError:
        return None


async def item_article(
    item: FeedItem, feed_title: str, sources: SourceService, *, min_chars: int, max_chars: int
) -> Article | None:
    """Make the item's article; None when there is nothing to brief (too short, unreadable)."""
    if item.own_text:  # a channel post is its own article when it is long enough
        source = Source(label=feed_title, url=item.permalink)
        if (article := _make(item.summary, item.title, source, min_chars, max_chars)) is not None:
            return article
    if item.link:
        try:
            page = await sources.article_from_url(item.link)
        except ArticleError as exc:
            log.info("feed item page from %s unavailable: %s", host_label(item.link), exc)
        else:
            source = Source(label=feed_title, url=item.permalink or item.link)
            return page.model_copy(update={"source": source, "title": item.title or page.title})
    if item.own_text:
        return None
    # Said in the attribution, so the briefing, /who and the digest all show it (an entry with
    # no link at all carries its whole text in the feed: nothing to say then).
    label = f"{feed_title} ({FALLBACK_NOTE})" if item.link else feed_title
    source = Source(label=label, url=item.link)
    return _make(item.summary, item.title, source, min_chars, max_chars)
