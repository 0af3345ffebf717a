"""A chat's archive, searched: ranked hits for /search and paragraph passages for /ask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.search.query import SearchQuery


@dataclass(frozen=True)
class Hit:
    """One article that matches, as /search shows it."""

    article_hash: str
    title: str | None
    published: date | None
    source_label: str | None
    source_url: str | None
    message_id: int | None  # the chat's message this article came with / the bot's reply
    snippet: str  # plain text, the matched words marked by \x02…\x03
    score: float  # higher is better


@dataclass(frozen=True)
class Passage:
    """A paragraph-sized piece of one article's text, for /ask."""

    article_hash: str
    text: str
    title: str | None
    published: date | None
    source_label: str | None
    source_url: str | None
    message_id: int | None
    score: float


class Archive:
    """Search a chat's articles; every method runs off the event loop."""

    async def search(
        self, chat_id: int, query: SearchQuery, *, limit: int = 10, offset: int = 0
    ) -> tuple[list[Hit], int]:
        """Return the chat's best matching articles from `offset`, and how many match."""
        raise NotImplementedError

    async def passages(
        self,
        chat_id: int,
        query: SearchQuery,
        *,
        limit: int = 12,
        article_hash: str | None = None,
    ) -> list[Passage]:
        """Return the chat's best matching paragraphs (of one article if `article_hash`)."""
        raise NotImplementedError
