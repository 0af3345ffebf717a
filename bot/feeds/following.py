"""Following: what a chat's "/follow X" means (a feed, a site's declared feed, a channel)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from bot.config import Settings
from bot.errors import SourceError
from bot.feeds.channel import channel_name, is_telegram_link, preview_url
from bot.feeds.follows_store import FeedStore, Follow
from bot.feeds.parse import NotAFeedError, ParsedFeed, discover, parse_feed
from bot.feeds.seen import SeenItems
from bot.models import Source
from bot.render.plural import counted
from bot.sources.article_reader import SourceService
from bot.sources.fetch import Fetched, Validators
from bot.sources.fetch_cache import utc_now
from bot.sources.urls import with_scheme

FEED, CHANNEL = "feed", "channel"


class FollowError(SourceError):
    """A follow that can't be done: the message says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, hint=False)


@dataclass(frozen=True)
class Resolved:
    """An address to poll, what it is, and what it holds now."""

    url: str
    kind: str
    feed: ParsedFeed


@dataclass(frozen=True)
class Followed:
    """The outcome of /follow: the follow, whether it is new, and the source's item count."""

    follow: Follow
    new: bool
    items: int


class FeedService:
    """Resolve, fetch and parse followed sources; the store keeps who follows what."""

    def __init__(
        self,
        settings: Settings,
        store: FeedStore,
        seen: SeenItems,
        sources: SourceService,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.settings = settings
        self.store = store
        self.seen = seen
        self.sources = sources  # links' fetcher, extractor and fetch cache: reused, never bypassed
        self.clock = clock

    async def fetch(self, url: str, validators: Validators | None = None) -> Fetched:
        """Fetch a feed or channel page through the SSRF-safe fetcher, capped for feeds."""
        fetcher = self.sources.feed_fetcher(self.settings.feed_max_bytes)
        return await fetcher.fetch(url, validators=validators, feeds=True)

    async def parse(self, fetched: Fetched, kind: str) -> ParsedFeed:
        """Parse a fetched feed or channel page (off the event loop: big feeds take a while)."""
        from bot.feeds.channel import parse_channel

        limit = self.settings.feed_max_items
        if kind == CHANNEL:
            return await asyncio.to_thread(
                parse_channel, fetched.body, fetched.url, max_items=limit
            )
        return await asyncio.to_thread(parse_feed, fetched.body, fetched.url, max_items=limit)

    async def resolve(self, text: str) -> Resolved:
        """Turn "@name", "t.me/name", a feed URL or a site URL into something to poll."""
        if (name := channel_name(text)) is not None:
            url = preview_url(name)
            return Resolved(url, CHANNEL, await self.parse(await self.fetch(url), CHANNEL))
        if is_telegram_link(text):  # a post, an invite link, a bot: none has a public feed
            raise FollowError(
                "Follow a public channel as @name or t.me/name (not a single post, a private "
                "invite link or a bot)."
            )
        if not text.lower().startswith(("http://", "https://", "www.")) and "." not in text:
            raise FollowError(
                "Send a feed or site address (https://…) or a public channel (@name or t.me/name)."
            )
        # Not canonical_url(): its strict mode drops queries feeds need (WordPress ?feed=rss2).
        url = urlunsplit(urlsplit(with_scheme(text.strip()))._replace(fragment=""))
        fetched = await self.fetch(url)
        if fetched.kind == "html":
            declared = discover(fetched.body, fetched.url)
            if not declared:
                raise FollowError(
                    "That page doesn't declare a feed (no RSS or Atom link in it). "
                    "Send the feed's own address."
                )
            url = declared[0]
            fetched = await self.fetch(url)
        elif fetched.kind != FEED:
            raise NotAFeedError("That address doesn't serve a feed.", hint=False)
        return Resolved(url, FEED, await self.parse(fetched, FEED))

    async def follow(
        self,
        chat_id: int,
        text: str,
        *,
        live: bool = False,
        thread_id: int | None = None,
        follower_id: int | None = None,
    ) -> Followed:
        """Follow a source in a chat (checked by fetching it now); raise SourceError if not."""
        resolved = await self.resolve(text)
        mine = {f.source.url for f in await self.store.run(FeedStore.following, chat_id)}
        if resolved.url not in mine and len(mine) >= self.settings.feed_max_sources_per_chat:
            raise FollowError(
                f"This chat already follows {counted(len(mine), 'source')}, the most I allow. "
                "/unfollow one first."
            )
        title = resolved.feed.title
        follow, new = await self.store.run(
            FeedStore.follow, chat_id, resolved.url, resolved.kind, title, live=live,
            now=self.clock(), thread_id=thread_id, follower_id=follower_id,
        )  # fmt: skip
        return Followed(follow, new, resolved.feed.total)

    def digest_notes(self, chat_id: int, since: datetime, until: datetime) -> list[str]:
        """Say in a digest how many followed items the daily cap left out of it."""
        from bot.feeds.seen import SKIPPED

        skipped = self.seen.count_deliveries(chat_id, SKIPPED, since, until)
        if not skipped:
            return []
        cap = self.settings.feed_daily_items_per_chat
        items = counted(skipped, "new item")
        return [f"{items} from followed sources skipped (the daily cap of {cap} per chat)"]

    def migrate_chat(self, old_id: int, new_id: int) -> None:
        """Carry a chat's follows and deliveries over to its new id."""
        self.store.migrate_chat(old_id, new_id)
        self.seen.migrate_chat(old_id, new_id)

    def public_name(self, chat_id: int, source: Source) -> str | None:
        """Return the followed feed or channel an article's source is, by its title; else None."""
        for follow in self.store.following(chat_id):
            title = follow.source.title
            if source.label == title or source.label.startswith(f"{title} ("):
                return title
        return None

    def following(self, chat_id: int) -> list[Follow]:
        """List the chat's sources (the CLI and tests; the bot uses following_off_loop)."""
        return self.store.following(chat_id)

    async def following_off_loop(self, chat_id: int) -> list[Follow]:
        """List the chat's sources, read on the database thread."""
        return await self.store.run(FeedStore.following, chat_id)

    def unfollow(self, chat_id: int, source_id: int) -> Follow | None:
        """Stop following; return what was followed, or None if the chat didn't follow it."""
        return _unfollow(self.store, chat_id, source_id)

    async def unfollow_off_loop(self, chat_id: int, source_id: int) -> Follow | None:
        """Stop following, on the database thread; as `unfollow`."""
        return await self.store.run(_unfollow, chat_id, source_id)


def _unfollow(store: FeedStore, chat_id: int, source_id: int) -> Follow | None:
    # Run again after a lost answer to its COMMIT, it finds nothing to stop: "not followed".
    follow = store.follow_of(chat_id, source_id)
    if follow is None or not store.unfollow(chat_id, source_id):
        return None
    return follow
