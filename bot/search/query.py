"""A search query: free words, exact phrases and filters (the contract shared with /ask)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class SearchQuery:
    """What to look for in a chat's articles: words, phrases, and filters that narrow it."""

    text: str  # free words, stemmed at search time
    phrases: tuple[str, ...] = ()  # "exact phrases"
    actor: str | None = None  # actor:kim
    source: str | None = None  # source:@channel or a site (example.com)
    since: date | None = None
    until: date | None = None  # inclusive
    lang: str | None = None  # lang:ru (canonical code as /lang stores it)
