"""What a search of a chat's archive returns: hits for /search, passages for /ask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from bot.search.query import SearchQuery


@dataclass(frozen=True)
class Hit:
    """One article that matches a search, with a snippet and where to find it."""

    article_hash: str
    title: str | None
    published: date | None
    source_label: str | None
    source_url: str | None
    message_id: int | None  # the chat's message this article came with / the bot's briefing
    snippet: str  # plain text with the matched words marked by \x02…\x03
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


class Archive(Protocol):
    """A chat's articles, searchable: all methods are async and run off the loop."""

    async def search(
        self, chat_id: int, query: SearchQuery, *, limit: int = 10, offset: int = 0
    ) -> tuple[list[Hit], int]:
        """Return the best hits and how many matched in all."""
        ...

    async def passages(
        self, chat_id: int, query: SearchQuery, *, limit: int = 12, article_hash: str | None = None
    ) -> list[Passage]:
        """Return the passages that best match, from one article when `article_hash` is given."""
        ...
