"""What an export holds, read from the index one article at a time (blocking: run off the loop).

A chat with years of history has ~20,000 briefings and ~100,000 stances; reading them all
into objects at once would hold them all in memory. The readers here yield one briefing (or
citation) at a time, each article's stances read by their own short query, so a writer can
stream them to a file. They take their own connection (`Index.reader`): a long export must
not hold up the bot's database thread, and WAL lets it read while the bot writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from enum import StrEnum

from bot.render.briefing_html import article_url
from bot.store.briefing_cache import BriefingCache
from bot.store.chat_queries import ChatQueries
from bot.store.chat_rows import ChatArticle, StanceRow

_ALL = 10**9  # chat_articles' limit: every article


class What(StrEnum):
    """What an export holds."""

    BRIEFINGS = "briefings"
    STANCES = "stances"
    WHO = "who"


@dataclass(frozen=True)
class Citation:
    """One stance with its evidence and where it comes from."""

    actor: str
    kind: str
    issue: str
    target: str
    polarity: str
    position: str
    quote: str
    provenance: str  # direct, via, reported, narration…; "" when recorded before provenance
    verified: bool
    speaker: str  # who the article attributes the words to, when not the actor
    via: str
    source: str
    link: str
    published: str  # YYYY-MM-DD: the publication date, else the day the chat got it
    published_from: str  # where that date comes from; "" when only the arrival is known
    headline: str


@dataclass(frozen=True)
class BriefingRecord:
    """One briefed article of the chat, its briefing and its citations."""

    headline: str
    title: str
    source: str
    link: str
    published: str
    published_from: str
    received: str  # when the chat last sent it, ISO
    tldr: str
    key_points: tuple[str, ...]
    why_it_matters: str
    citations: tuple[Citation, ...]


def _link(article: ChatArticle, chat_id: int) -> str:
    return (
        article_url(article.source.url if article.source else None, chat_id, article.message_id)
        or ""
    )


def citation(row: StanceRow, chat_id: int) -> Citation:
    """Make a stance an export's citation."""
    article = row.article
    return Citation(
        actor=row.actor, kind=row.kind, issue=row.issue, target=row.target,
        polarity=row.polarity, position=row.position, quote=row.quote,
        provenance=row.provenance.value if row.provenance else "", verified=row.verified,
        speaker=row.speaker or "", via=row.via or "",
        source=article.source.label if article.source else "", link=_link(article, chat_id),
        published=article.dated.date().isoformat(), published_from=article.published_from or "",
        headline=article.headline or article.title or "",
    )  # fmt: skip


def _articles(db: sqlite3.Connection, chat_id: int) -> list[ChatArticle]:
    return ChatQueries(db).chat_articles(chat_id, limit=_ALL)


def briefings(
    db: sqlite3.Connection, cache: BriefingCache, chat_id: int
) -> Iterator[BriefingRecord]:
    """Yield the chat's briefed articles, newest first, each with its briefing and citations."""
    queries = ChatQueries(db)
    for article in _articles(db, chat_id):
        if article.briefing_key is None:
            continue  # sent, never briefed
        stored = cache.get(article.briefing_key)
        brief = stored.briefing if stored else None
        rows = queries.chat_stances(chat_id, article_hash=article.article_hash)
        yield BriefingRecord(
            headline=article.headline or (brief.headline if brief else "") or "",
            title=article.title or "", source=article.source.label if article.source else "",
            link=_link(article, chat_id), published=article.dated.date().isoformat(),
            published_from=article.published_from or "", received=article.received_at.isoformat(),
            tldr=brief.tldr if brief else "",
            key_points=tuple(p.text for p in brief.key_points) if brief else (),
            why_it_matters=brief.why_it_matters if brief else "",
            citations=tuple(citation(r, chat_id) for r in rows),
        )  # fmt: skip


def stances(
    db: sqlite3.Connection, chat_id: int, actors: Collection[str] | None = None
) -> Iterator[Citation]:
    """Yield the chat's stances (only `actors`' names, when given), newest article first."""
    queries = ChatQueries(db)
    if actors is not None:
        rows = queries.chat_stances(chat_id, actors=actors)
        rows.sort(key=lambda r: r.article.dated, reverse=True)  # as /who orders them
        yield from (citation(r, chat_id) for r in rows)
        return
    for article in _articles(db, chat_id):
        for row in queries.chat_stances(chat_id, article_hash=article.article_hash):
            yield citation(row, chat_id)
