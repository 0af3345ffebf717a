"""What a digest reads from the index, as units for the database thread (Index.run).

Each is reads only, so a retry after an outage is harmless. The feeds' hooks (names of
followed sources, the daily cap's note) take the index they are given: the thread's own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.actors.lookup import stances_for_shifts
from bot.actors.shifts import Shift, find_shifts
from bot.digest.stories import news as story_news
from bot.models import Source, StoredBriefing
from bot.store.briefing_cache import BriefingCache
from bot.store.index import ChatArticle, Index

MAX_ARTICLES = 40  # newest kept: beyond this a digest prompt gets long and the overview thin

Entries = list[tuple[ChatArticle, StoredBriefing]]
Notes = Callable[[Index, int, datetime, datetime], list[str]]
PublicName = Callable[[Index, int, Source], str | None]


def inputs(
    index: Index, briefings: BriefingCache, chat_id: int, since: datetime, until: datetime
) -> tuple[Entries, int, list[Shift]]:
    """Read the window's newest briefings (oldest first), how many were left out, shifts."""
    window = index.queries.chat_articles(chat_id, since=since, until=until)  # newest first
    newest: Entries = []
    omitted = 0
    for article in window:
        if len(newest) == MAX_ARTICLES:
            # Counted, not read: only the newest MAX_ARTICLES files are opened.
            omitted += article.briefing_key is not None
            continue
        stored = briefings.get(article.briefing_key) if article.briefing_key else None
        if stored is not None:
            newest.append((article, stored))
    rows = stances_for_shifts(index, chat_id, since=since, until=until)
    shifts = find_shifts(rows, since=since, verified_only=True)
    # Oldest published first reads as a story (an old article forwarded today is early).
    newest.sort(key=lambda entry: (entry[0].dated, entry[0].article_hash))
    return newest, omitted, shifts


def public_names(
    index: Index,
    public_name: PublicName | None,
    chat_id: int,
    entries: Entries,
    sources: dict[str, list[Source]],
) -> dict[str, list[str]]:
    """Name each entry's public sources, by its briefing's key (none without the hook)."""
    named: dict[str, list[str]] = {}
    for article, stored in entries:
        found = [] if public_name is None else [
            public_name(index, chat_id, s) for s in sources.get(article.article_hash, [])
        ]  # fmt: skip
        named[stored.key] = list(dict.fromkeys(n for n in found if n))
    return named


def footer(
    index: Index,
    notes: Notes | None,
    chat_id: int,
    shown: dict[str, tuple[str, list[str]]],
    *,
    since: datetime,
    until: datetime,
) -> list[str]:
    """Return the footer's lines: the stories' news, then the hook's notes on the period."""
    lines = story_news(index, chat_id, shown)
    return [*lines, *(notes(index, chat_id, since, until) if notes else [])]
