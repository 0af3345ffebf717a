"""Stories per chat: place each arriving article, read a story back, off the event loop.

Each chat's window (STORY_WINDOW_HOURS either side of the newest article) lives in memory as
a `ChatStories`, built lazily from the store the first time the chat is seen after a start.
Every read and write runs on the index's database thread: the in-memory books are touched
by that one thread only, so they need no lock, and the loop never waits on the grouping.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.models import Article, Briefing
from bot.store import story_rows
from bot.store.index import Index
from bot.store.story_rows import StoryArticle
from bot.stories.features import ArticleFeatures, features_of
from bot.stories.grouping import Assignment, ChatStories

log = logging.getLogger(__name__)

_EVICT_EVERY = 200  # placements between two sweeps of articles that left the window


@dataclass(frozen=True)
class Placed:
    """Where an article went, and how many other sources its story already has."""

    story_id: str
    copy_of: str | None
    other_sources: int
    merged: tuple[str, ...] = ()


def source_key(label: str | None, article_hash: str) -> str:
    """Return what counts as one source: its label folded, else the article itself."""
    return label.strip().casefold() if label and label.strip() else f"#{article_hash}"


def other_sources(members: list[StoryArticle], article_hash: str) -> int:
    """Count a story's sources other than the one this article came from."""
    mine = next((m for m in members if m.article_hash == article_hash), None)
    own = source_key(mine.source_label, article_hash) if mine else None
    keys = {source_key(m.source_label, m.article_hash) for m in members}
    return len(keys - {own})


class StoryService:
    """Group a chat's articles into stories as they arrive; read stories back."""

    def __init__(
        self,
        index: Index,
        *,
        window_hours: float,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._index = index
        self.window = timedelta(hours=window_hours)
        self._clock = clock
        self._books: dict[int, ChatStories] = {}  # touched on the database thread only
        self._placed = 0

    async def place(
        self, chat_id: int, article: Article, briefing: Briefing | None = None
    ) -> Placed:
        """Put an article into the chat's stories (again, when its briefing changed)."""
        return await self._index.run(self.place_now, chat_id, article, briefing)

    def place_now(
        self, index: Index, chat_id: int, article: Article, briefing: Briefing | None = None
    ) -> Placed:
        """Place an article synchronously on `index` (the database thread, or the CLI)."""
        book = self.book(index, chat_id)
        when = article.published_at or self._clock()
        found = features_of(article.content_hash, when, article.text, article.title, briefing)
        assigned: Assignment = book.add(found)
        label = article.source.label if article.source else None
        with index.transaction() as db:
            story_rows.save_features(db, article.content_hash, found.encode())
            earlier = story_rows.of_article(db, chat_id, article.content_hash)
            if earlier is not None and label is None:
                label = earlier.source_label  # the same article sent again, pasted this time
            item = StoryArticle(article.content_hash, assigned.story_id, assigned.copy_of,
                                when, label)  # fmt: skip
            story_rows.place(db, chat_id, item, assigned.merged)
            members = story_rows.members(db, chat_id, assigned.story_id)
        self._placed += 1
        if self._placed % _EVICT_EVERY == 0:
            newest = max((m.features.published for m in book.members.values()), default=when)
            book.evict_before(newest - 2 * self.window)
        if assigned.merged:
            log.info("chat %s: stories %s merged into %s", chat_id, assigned.merged,
                     assigned.story_id)  # fmt: skip
        return Placed(
            assigned.story_id,
            assigned.copy_of,
            other_sources(members, article.content_hash),
            assigned.merged,
        )

    def book(self, index: Index, chat_id: int) -> ChatStories:
        """Return the chat's in-memory window, rebuilt from the store on first use."""
        book = self._books.get(chat_id)
        if book is not None:
            return book
        book = ChatStories(window=self.window)
        rows = story_rows.window(index.connection, chat_id, self._clock() - 2 * self.window)
        for row, stored in rows:
            found = None if stored is None else ArticleFeatures.decode(
                row.article_hash, row.published_at, stored
            )  # fmt: skip
            if found is not None:  # features of an older version: the article stays out
                book.restore(found, row.story_id, row.copy_of)
        book.refresh_norms()
        self._books[chat_id] = book
        log.info("chat %s: %d articles of the story window loaded", chat_id, len(book.members))
        return book

    async def story_of(self, chat_id: int, article_hash: str) -> list[StoryArticle]:
        """Return the articles of the story this article belongs to (empty: not placed)."""
        return await self._index.run(story_of, chat_id, article_hash)

    def forget_books(self) -> None:
        """Drop the in-memory windows (tests: as after a restart)."""
        self._books.clear()


def story_of(index: Index, chat_id: int, article_hash: str) -> list[StoryArticle]:
    """Return the articles of the story an article belongs to in this chat."""
    db = index.connection
    mine = story_rows.of_article(db, chat_id, article_hash)
    return [] if mine is None else story_rows.members(db, chat_id, mine.story_id)
