"""The pictures' data read from a chat's history (run on the index's thread, like /who's reads)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from bot.actors.page import ActorPage, Counted, count_identities
from bot.pictures.stance_map import StanceMap, build_map
from bot.pictures.timeline import Timeline, build_timeline
from bot.render.dates import UTC_DATES, DateStyle
from bot.store.index import Index
from bot.store.who_rows import chat_articles_by_hash, light_rows


def _sources(index: Index, chat_id: int, hashes: Collection[str]) -> dict[str, str]:
    articles = chat_articles_by_hash(index.connection, chat_id, hashes)
    return {
        h: (a.source.label if a.source else None) or a.title or a.headline or "article"
        for h, a in articles.items()
    }


def timeline_of(
    index: Index, chat_id: int, page: ActorPage, dates: DateStyle = UTC_DATES
) -> Timeline | None:
    """Lay out the timeline of a /who page's actor; None if it has under two dated stances."""
    actor = page.actor
    if not isinstance(actor, Counted):
        return None
    return build_timeline(actor.name, actor.rows, lambda h: _sources(index, chat_id, h), dates)


def map_of(
    index: Index, chat_id: int, *, since: datetime, days: int, topic: str = ""
) -> StanceMap | None:
    """Lay out the chat's map of stances from articles sent since `since`; None if empty."""
    rows = light_rows(index.connection, chat_id, since=since)
    return build_map(count_identities(rows), days=days, topic=topic)
