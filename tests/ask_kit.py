"""An in-memory Archive for /ask's tests: passages per chat, matched by shared words.

The real archive (bot/search/) ranks by BM25 over an FTS5 index; the service only needs
the contract: a chat's passages, filtered by article, dates and actor, best first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.checks.words import fold, same_word, words_of
from bot.search.archive import Archive, Hit, Passage
from bot.search.query import SearchQuery
from tests.briefings import korea2_briefing, korea_briefing, newsroom
from tests.fake_llm import Reply, Request

_HEADER = re.compile(r"^\[P(\d+)\] ", re.MULTILINE)


@dataclass
class Stored:
    """One article a chat sent, as the memory archive keeps it."""

    article_hash: str
    text: str
    title: str | None = None
    published: date | None = None
    source_label: str | None = None
    source_url: str | None = None
    message_id: int | None = None
    actors: tuple[str, ...] = ()


@dataclass
class MemoryArchive(Archive):
    """A chat's articles in memory, split into paragraphs, matched word by word."""

    chats: dict[int, list[Stored]] = field(default_factory=dict)
    asked: list[tuple[int, SearchQuery, str | None]] = field(default_factory=list)

    def add(self, chat_id: int, article: Stored) -> None:
        """Record that a chat sent this article."""
        self.chats.setdefault(chat_id, []).append(article)

    async def search(
        self, chat_id: int, query: SearchQuery, *, limit: int = 10, offset: int = 0
    ) -> tuple[list[Hit], int]:
        """Not used by /ask."""
        raise NotImplementedError

    async def passages(
        self, chat_id: int, query: SearchQuery, *, limit: int = 12, article_hash: str | None = None
    ) -> list[Passage]:
        """Return the chat's paragraphs sharing words with the query, most shared first."""
        self.asked.append((chat_id, query, article_hash))
        wanted = words_of(query.text)
        found: list[Passage] = []
        for article in self.chats.get(chat_id, []):
            if article_hash is not None and article.article_hash != article_hash:
                continue
            if not _within(article.published, query):
                continue
            if query.actor and fold(query.actor) not in {fold(a) for a in article.actors}:
                continue
            for paragraph in filter(None, (p.strip() for p in article.text.split("\n\n"))):
                have = words_of(paragraph)
                score = sum(any(same_word(w, h) for h in have) for w in wanted)
                if score or (article_hash is not None and not wanted):
                    found.append(_passage(article, paragraph, float(score)))
        found.sort(key=lambda p: -p.score)
        return found[:limit]


def _within(published: date | None, query: SearchQuery) -> bool:
    if published is None:
        return query.since is None and query.until is None
    return (query.since is None or published >= query.since) and (
        query.until is None or published <= query.until
    )


def _passage(article: Stored, text: str, score: float) -> Passage:
    return Passage(
        article_hash=article.article_hash,
        text=text,
        title=article.title,
        published=article.published,
        source_label=article.source_label,
        source_url=article.source_url,
        message_id=article.message_id,
        score=score,
    )


def is_ask(request: Request) -> bool:
    """Tell an /ask request from a briefing's (by its question block)."""
    return "<<<QUESTION>>>" in request.user


def passage_with(request: Request, words: str) -> int:
    """Return the number of the passage in the prompt that holds `words`."""
    starts = [(m.start(), int(m.group(1))) for m in _HEADER.finditer(request.user)]
    at = request.user.index(words)
    return max(n for start, n in starts if start < at)


def answering(
    *sentences: tuple[str, str], unanswerable: bool = False
) -> Callable[[Request], Reply]:
    """Answer /ask with these (sentence, quote) pairs, each citing the passage with its quote."""
    briefs = newsroom({"Pyongyang fires missile": korea_briefing(),
                       "ready for talks, Kim's sister": korea2_briefing()})  # fmt: skip

    def respond(request: Request) -> Reply:
        if not is_ask(request):
            return briefs(request)
        cited: list[dict[str, Any]] = [
            {"text": text, "citations": [{"passage": passage_with(request, quote), "quote": quote}]}
            for text, quote in sentences
        ]
        return Reply(content={"unanswerable": unanswerable, "sentences": cited})

    return respond
