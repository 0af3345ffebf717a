"""A /search query: free words, "exact phrases" and filters (actor:, source:, since:, lang:)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.errors import QueryError

__all__ = ["QueryError", "SearchQuery", "parse_query"]


@dataclass(frozen=True)
class SearchQuery:
    """What to look for in a chat's articles, and how to narrow it."""

    text: str  # free words, stemmed at search time
    phrases: tuple[str, ...] = ()  # "exact phrases"
    actor: str | None = None  # actor:kim
    source: str | None = None  # source:@channel or a site (example.com)
    since: date | None = None
    until: date | None = None  # inclusive
    lang: str | None = None  # lang:ru (canonical code as /lang stores it)


def parse_query(text: str, *, today: date) -> SearchQuery:
    """Read a user's query; raise QueryError with a readable message when it can't be read."""
    raise NotImplementedError
