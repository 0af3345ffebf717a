"""Public Telegram channels, read through their web preview at t.me/s/NAME."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.feeds.parse import FeedItem, NotAFeedError, ParsedFeed

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Telegram usernames: 5 to 32 characters, a letter first, letters, digits and underscores.
_NAME = r"[A-Za-z][A-Za-z0-9_]{3,31}"
_AT_NAME = re.compile(rf"^@({_NAME})$")
_HOSTS = {"t.me", "www.t.me", "telegram.me", "www.telegram.me"}
_TITLE_CHARS = 120


def channel_name(text: str) -> str | None:
    """Return the channel's username for "@name", "t.me/name" or "t.me/s/name"; else None."""
    text = text.strip()
    if match := _AT_NAME.match(text):
        return match.group(1)
    url = text if "://" in text else f"https://{text}"
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if host not in _HOSTS:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if segments[:1] == ["s"]:
        segments = segments[1:]
    if len(segments) != 1 or not re.fullmatch(_NAME, segments[0]):
        return None  # a single post (t.me/name/123), an invite link (+abc), joinchat…
    return segments[0]


def is_telegram_link(text: str) -> bool:
    """Tell whether text is a t.me (or telegram.me) link of any kind."""
    url = text.strip() if "://" in text else f"https://{text.strip()}"
    try:
        return (urlsplit(url).hostname or "").lower() in _HOSTS
    except ValueError:
        return False


def preview_url(name: str) -> str:
    """Return the public web preview of a channel."""
    return f"https://t.me/s/{name}"


def _classes(node: HtmlElement) -> set[str]:
    return set((node.get("class") or "").split())


def _text(node: HtmlElement) -> str:
    # <br> is a line break in a post; text_content() would glue the lines together.
    for br in node.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines = (" ".join(line.split()) for line in node.text_content().split("\n"))
    return "\n".join(line for line in lines if line).strip()


def parse_channel(html: bytes, url: str, *, max_items: int) -> ParsedFeed:
    """Read a t.me/s/NAME page: the channel's title and its newest posts (capped)."""
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except (ValueError, TypeError, lxml.etree.ParserError):
        raise NotAFeedError("That channel's page couldn't be read.", hint=False) from None
    posts = [
        n for n in root.iter("div") if n.get("data-post") and "tgme_widget_message" in _classes(n)
    ]
    title_node = next(
        (n for n in root.iter("div") if "tgme_channel_info_header_title" in _classes(n)), None
    )
    title = _text(title_node) if title_node is not None else ""
    if not title and posts:
        meta = root.find(".//meta[@property='og:title']")
        title = (meta.get("content") or "").strip() if meta is not None else ""
    # A channel without a preview, a group, a bot or no such name: t.me sends its
    # "Contact @name" page instead, with neither the channel header nor posts.
    if not posts and not title:
        raise NotAFeedError(
            "That isn't a public channel with a web preview (private channels, groups and "
            "bots can't be followed).",
            hint=False,
        )
    items = [_post(node) for node in reversed(posts)]  # the page lists the oldest first
    return ParsedFeed(title=title or url, link=url, items=items[:max_items], total=len(items))


def _post(node: HtmlElement) -> FeedItem:
    post = str(node.get("data-post"))
    permalink = f"https://t.me/{post}"
    text_node = next(
        (n for n in node.iter("div") if "tgme_widget_message_text" in _classes(n)), None
    )
    text = _text(text_node) if text_node is not None else ""
    published = None
    for time_node in node.iter("time"):
        if stamp := time_node.get("datetime"):
            try:
                published = datetime.fromisoformat(stamp)
            except ValueError:
                continue
            break
    link = _external_link(node)
    first_line = text.split("\n", 1)[0] if text else ""
    if len(first_line) > _TITLE_CHARS:
        first_line = first_line[: _TITLE_CHARS - 1].rstrip() + "…"
    return FeedItem(
        guid=permalink,
        link=link,
        title=first_line or None,
        summary=text,
        published=published,
        own_text=True,
        permalink=permalink,
    )


def _external_link(node: HtmlElement) -> str | None:
    # The link preview's target first, else the first web link in the text; never t.me itself.
    anchors = sorted(
        node.iter("a"), key=lambda a: "tgme_widget_message_link_preview" not in _classes(a)
    )
    for anchor in anchors:
        href = (anchor.get("href") or "").strip()
        try:
            host = (urlsplit(href).hostname or "").lower()
        except ValueError:
            continue
        if href.startswith(("http://", "https://")) and host not in _HOSTS:
            return href
    return None
