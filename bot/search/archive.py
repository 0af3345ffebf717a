"""A chat's archive, searched: ranked hits for /search and paragraph passages for /ask."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from bot.search.match import terms
from bot.search.passages import pieces, stem_set, weights
from bot.search.query import SearchQuery
from bot.search.retrieve import MANY, search
from bot.search.snippets import snippet
from bot.store import dialect, search_docs
from bot.store.index import ChatArticle, Index
from bot.store.who_rows import chat_articles_by_hash

__all__ = ["MANY", "Archive", "Hit", "Passage", "passages_now", "search_now"]

_CANDIDATES = 30  # articles whose paragraphs /ask's retrieval reads
_ARTICLE_SHARE = 0.3  # how much the article's own rank adds to a paragraph's score


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

    def __init__(self, index: Index) -> None:
        self._index = index

    async def search(
        self, chat_id: int, query: SearchQuery, *, limit: int = 10, offset: int = 0
    ) -> tuple[list[Hit], int]:
        """Return the chat's best matching articles from `offset`, and how many match."""
        return await self._index.run(search_now, chat_id, query, limit=limit, offset=offset)

    async def passages(
        self,
        chat_id: int,
        query: SearchQuery,
        *,
        limit: int = 12,
        article_hash: str | None = None,
    ) -> list[Passage]:
        """Return the chat's best matching paragraphs (of one article if `article_hash`)."""
        return await self._index.run(
            passages_now, chat_id, query, limit=limit, article_hash=article_hash
        )


def search_now(
    index: Index, chat_id: int, query: SearchQuery, *, limit: int = 10, offset: int = 0
) -> tuple[list[Hit], int]:
    """Search on this thread (the CLI, the database thread): every word, else any word.

    The total is at most MANY (bot/search/retrieve.py): a broader query is ranked among its
    MANY newest matches.
    """
    _add_pending(index)
    wanted = terms(query)
    page, total = search(index, chat_id, query, wanted, limit=limit, offset=offset)
    if not total and wanted.groups > 1:
        wanted = terms(query, any_word=True)
        page, total = search(index, chat_id, query, wanted, limit=limit, offset=offset)
    articles, docs = _details(index, chat_id, [h for h, _ in page])
    hits = []
    for h, score in page:
        article, (lang, brief) = articles[h], docs[h]
        text = index.texts.get(h) or ""
        hits.append(
            Hit(
                article_hash=h, title=article.title or article.headline,
                published=_date(article), source_label=_label(article),
                source_url=_url(article),
                message_id=_message(index, chat_id, article),
                snippet=snippet([(text, lang), (brief, lang)], wanted.wanted), score=score,
            )
        )  # fmt: skip
    return hits, total


def passages_now(
    index: Index,
    chat_id: int,
    query: SearchQuery,
    *,
    limit: int = 12,
    article_hash: str | None = None,
) -> list[Passage]:
    """Find /ask's passages on this thread: the best paragraphs of the best articles."""
    _add_pending(index)
    wanted = terms(query, any_word=True)
    if article_hash is not None:
        if not index.queries.chat_has_article(chat_id, article_hash):
            return []
        rows = [(article_hash, 1.0)]
    else:
        rows, _total = search(index, chat_id, query, wanted, limit=_CANDIDATES)
    articles, docs = _details(index, chat_id, [h for h, _ in rows])
    top = max((s for _, s in rows), default=0.0) or 1.0
    found: list[tuple[str, str, float]] = []  # (hash, text, article score)
    for h, score in rows:
        brief = docs[h][1]
        found += [(h, p, score / top) for p in pieces(index.texts.get(h) or brief)]
    stemmed = [stem_set(text, docs[h][0]) for h, text, _ in found]
    weight = weights(stemmed, wanted.wanted)
    scored = []
    for (h, text, article_score), have in zip(found, stemmed, strict=True):
        local = sum(w for s, w in weight.items() if s in have)
        if local or article_hash is not None:
            scored.append((local + _ARTICLE_SHARE * article_score, h, text))
    scored.sort(key=lambda s: -s[0])
    return [
        Passage(
            article_hash=h, text=text, title=articles[h].title or articles[h].headline,
            published=_date(articles[h]), source_label=_label(articles[h]),
            source_url=_url(articles[h]),
            message_id=_message(index, chat_id, articles[h]), score=score,
        )
        for score, h, text in scored[:limit]
    ]  # fmt: skip


def _add_pending(index: Index) -> None:
    """Index the text of articles briefed before their text reached the disk."""
    pending = "SELECT 1 FROM search_docs WHERE pending = 1 LIMIT 1"
    if index.connection.execute(pending).fetchone() is not None:
        with index.transaction() as db:
            search_docs.add_pending_texts(db, index.texts.get)


def _details(
    index: Index, chat_id: int, hashes: list[str]
) -> tuple[dict[str, ChatArticle], dict[str, tuple[str | None, str]]]:
    articles = chat_articles_by_hash(index.connection, chat_id, hashes)
    docs = {
        str(r[0]): (r[1], str(r[2]))
        for r in index.connection.execute(
            "SELECT article_hash, lang, brief FROM search_docs WHERE article_hash "  # noqa: S608
            + dialect.IN_JSON_LIST,
            (json.dumps(hashes),),
        )
    }
    return articles, docs


def _date(article: ChatArticle) -> date:
    return (article.published_at or article.received_at).date()


def _label(article: ChatArticle) -> str | None:
    return article.source.label if article.source else None


def _url(article: ChatArticle) -> str | None:
    return article.source.url if article.source else None


def _message(index: Index, chat_id: int, article: ChatArticle) -> int | None:
    """Return the chat's message with the article, else the bot's first reply about it."""
    if article.message_id is not None:
        return article.message_id
    row = index.connection.execute(
        "SELECT MIN(message_id) FROM bot_messages WHERE chat_id = ? AND article_hash = ?",
        (chat_id, article.article_hash),
    ).fetchone()
    return None if row is None or row[0] is None else int(row[0])
