"""Feeds to items: RSS/Atom through feedparser, and feed autodiscovery in HTML pages.

feedparser is given the body we fetched (as a stream, so it never fetches anything itself):
every byte comes through the SSRF-safe fetcher in bot/sources/.
"""

from __future__ import annotations

import calendar
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from bot.errors import SourceError

FEED_MIME = ("application/rss+xml", "application/atom+xml", "application/feed+xml")
_SPACE = re.compile(r"\s+")
_BREAKS = ("br", "p", "div", "li", "h1", "h2", "h3", "h4", "tr", "blockquote")


class NotAFeedError(SourceError):
    """The address serves neither a feed nor a page that declares one."""


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed or channel, as read (nothing fetched yet)."""

    guid: str | None
    link: str | None
    title: str | None
    summary: str  # plain text: the feed's content or description, tags removed
    published: datetime | None
    # A channel post is the article itself (its link, if any, is a fallback to fetch when
    # the post is too short); a feed entry's summary is only a teaser of the page at `link`.
    own_text: bool = False
    permalink: str | None = None  # where the item itself lives (a channel post's t.me link)


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's title, home page and newest entries (capped)."""

    title: str
    link: str | None
    items: list[FeedItem]
    total: int  # entries in the document, before the cap


def plain_text(html: str) -> str:
    """Strip tags and collapse whitespace (feed summaries are HTML fragments)."""
    if not html.strip():
        return ""
    if "<" not in html and "&" not in html:
        return _SPACE.sub(" ", html).strip()
    import lxml.html

    try:
        root = lxml.html.fromstring(f"<div>{html}</div>")
    except (ValueError, TypeError, lxml.etree.ParserError):  # odd fragments: strip crudely
        return _SPACE.sub(" ", re.sub(r"<[^>]+>", " ", html)).strip()
    for node in root.iter(*_BREAKS):  # "One<br>two" reads "One two", not "Onetwo"
        node.tail = " " + (node.tail or "")
    text = root.text_content()
    return _SPACE.sub(" ", text).strip()


def _when(entry: dict[str, Any]) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(name)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    return None


def _summary(entry: dict[str, Any]) -> str:
    # Full content (content:encoded, Atom content) beats the description when both exist.
    contents = [c.get("value", "") for c in entry.get("content") or []]
    best = max([*contents, entry.get("summary", "")], key=len, default="")
    return plain_text(str(best))


def parse_feed(body: bytes, url: str, *, max_items: int) -> ParsedFeed:
    """Parse RSS or Atom with feedparser; keep the first `max_items` entries."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": url})
    if not parsed.get("version") and not parsed.entries:
        raise NotAFeedError(
            "That address doesn't serve an RSS or Atom feed I can read.", hint=False
        )
    feed = parsed.feed
    items = []
    for entry in parsed.entries[:max_items]:
        link = entry.get("link")
        items.append(
            FeedItem(
                guid=str(entry["id"]) if entry.get("id") else None,
                link=urljoin(url, str(link)) if link else None,  # feedparser resolves most
                title=plain_text(str(entry.get("title", ""))) or None,
                summary=_summary(entry),
                published=_when(entry),
            )
        )
    title = plain_text(str(feed.get("title", ""))) or url
    link = feed.get("link")
    return ParsedFeed(
        title=title,
        link=urljoin(url, str(link)) if link else None,
        items=items,
        total=len(parsed.entries),
    )


def discover(html: bytes, url: str) -> list[str]:
    """Return the feeds a page declares with <link rel="alternate" type="…rss/atom…">."""
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except (ValueError, TypeError, lxml.etree.ParserError):
        return []
    found: list[str] = []
    for node in root.iter("link"):
        rel = (node.get("rel") or "").lower().split()
        kind = (node.get("type") or "").lower().split(";")[0].strip()
        href = (node.get("href") or "").strip()
        if "alternate" in rel and kind in FEED_MIME and href:
            absolute = urljoin(url, href)
            if absolute.startswith(("http://", "https://")) and absolute not in found:
                found.append(absolute)
    return found
