"""The SQLite index under BOT_DATA_DIR: what each chat sent, stances by actor, usage."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from bot.articles.dates import RECEIVED
from bot.models import Source, StoredBriefing, Usage
from bot.store import chat_stances, dialect, mentions, search_docs, story_rows
from bot.store.blobs import Blobs
from bot.store.briefing_cache import ArticleTexts, BriefingCache
from bot.store.chat_moves import move_keeping_new
from bot.store.chat_queries import ChatQueries, iso  # the read side
from bot.store.chat_rows import _ALIAS_SEP, ActorForm, ChatArticle, StanceRow  # their old home
from bot.store.connect import connect, read_only
from bot.store.db_thread import DatabaseThread, connect_errors
from bot.store.index_statements import _ALL_FORMS, _EARLIEST_DATE, _INSERT_STANCE
from bot.store.outage import RetryPolicy

__all__ = ["ActorForm", "ChatArticle", "Index", "StanceRow", "iso"]

P = ParamSpec("P")
R = TypeVar("R")


class Index:
    """The index database; every method is one short transaction.

    SQLite at `path` by default, PostgreSQL at `database_url` when one is given. The files
    (briefings, article texts) are in `path`'s folder on SQLite, and on PostgreSQL in its
    blobs table (`blobs`).
    """

    def __init__(
        self, path: Path, database_url: str | None = None, *, retry: RetryPolicy | None = None
    ) -> None:
        self._db = connect(path, database_url)  # at the schema's head, whichever engine
        self.engine = dialect.engine(self._db)  # the connection's own word
        self.queries = ChatQueries(self._db)  # the read side: a chat's articles, stances, names
        self._depth = 0  # nested transaction() blocks share the outermost one's commit
        filled = "SELECT 1 FROM index_meta WHERE name = 'chat_actor_forms'"
        if self._db.execute(filled).fetchone() is None:
            with self.transaction() as db:  # a database from before chat_actor_forms
                # WHERE TRUE: SQLite would read ON CONFLICT after a join as the join's ON.
                db.execute(
                    f"INSERT INTO chat_actor_forms {_ALL_FORMS} WHERE TRUE ON CONFLICT DO NOTHING"
                )
                db.execute(
                    "INSERT INTO index_meta VALUES ('chat_actor_forms', 1) ON CONFLICT DO NOTHING"
                )
        if chat_stances.unfilled(self._db):
            with self.transaction() as db:
                chat_stances.fill(db)
        # On PostgreSQL the data directory's files are rows of the blobs table instead.
        self.blobs = None if database_url is None else Blobs.on_postgresql(database_url)
        self.texts = ArticleTexts(self.blobs or path.parent)  # for the search index
        if search_docs.unfilled(self._db):  # a database from before search: filled once
            with self.transaction() as db:
                search_docs.fill(db, BriefingCache(self.blobs or path.parent).get, self.texts.get)
        self._path, self._url = path, database_url
        # The event loop's work goes to one database thread with its own connection:
        # SQLite serialises writers anyway, so more threads would only queue on the file
        # lock; one thread keeps a chat's writes in order and needs no lock around a shared
        # connection, while the synchronous methods keep working for the CLI and callers
        # that have not moved yet. On PostgreSQL it waits out an outage (db_thread.py).
        self.retry = None if database_url is None else retry or RetryPolicy()  # for its kin
        self._thread = DatabaseThread(
            functools.partial(Index, path, database_url), self.retry, connect_errors(database_url)
        )

    def close(self) -> None:
        """Close the database (and the database thread's connection)."""
        self._thread.close()
        if self.blobs is not None:
            self.blobs.close()
        self._db.close()

    async def run(
        self, method: Callable[Concatenate[Index, P], R], /, *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Run `method(index, ...)` on the database thread, off the event loop.

        On PostgreSQL a unit cut off by a lost connection runs again when the server is back,
        for up to DATABASE_RETRY_S; then DatabaseUnavailableError, with nothing of it written.
        """
        return await self._thread.run(method, *args, **kwargs)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block in one write transaction (IMMEDIATE: read-then-write can't interleave).

        Blocks nested inside one another commit once, with the outermost.
        """
        if self._depth:
            self._depth += 1
            try:
                yield self._db
            finally:
                self._depth -= 1
            return
        self._db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0
        self._db.execute("COMMIT")

    def index_briefing(self, stored: StoredBriefing) -> None:
        """Make `stored` the article's current briefing and index its stances."""
        h = stored.article.content_hash
        rows = [
            (h, i, actor.name, actor.kind.value, _ALIAS_SEP.join(actor.aliases), s.target,
             s.position, s.polarity.value, s.quote, int(s.verified), s.issue,
             s.provenance.value if s.provenance else None, s.speaker, s.via)
            for i, (actor, s) in enumerate(
                (a, s) for a in stored.briefing.actors for s in a.stances
            )
        ]  # fmt: skip
        with self.transaction() as db:
            db.execute(
                # An existing row keeps its rowid (OR REPLACE gave a new one): none is read.
                "INSERT INTO briefings VALUES (?, ?, ?, ?) ON CONFLICT (article_hash) DO UPDATE "
                "SET key = excluded.key, headline = excluded.headline, "
                "created_at = excluded.created_at",
                (h, stored.key, stored.briefing.headline, stored.created_at.isoformat()),
            )
            chat_stances.before_reindexing(db, h)
            db.execute("DELETE FROM stances WHERE article_hash = ?", (h,))
            db.executemany(_INSERT_STANCE, rows)
            db.execute(
                f"""INSERT INTO chat_actor_forms {_ALL_FORMS}
                    WHERE ca.article_hash = ? ON CONFLICT DO NOTHING""",
                (h,),
            )
            chat_stances.after_reindexing(db, h)
            mentions.replace(db, stored)
            search_docs.replace(db, search_docs.document(stored), self.texts.get(h))

    def ensure_indexed(self, stored: StoredBriefing) -> None:
        """Index `stored` unless it already is the article's current briefing."""
        row = self._db.execute(
            "SELECT key FROM briefings WHERE article_hash = ?", (stored.article.content_hash,)
        ).fetchone()
        if row is None or row["key"] != stored.key:
            self.index_briefing(stored)

    def record_chat_article(
        self,
        chat_id: int,
        article_hash: str,
        *,
        message_id: int | None,
        received_at: datetime,
        title: str | None,
        source: Source | None,
        published_at: datetime | None = None,
        published_from: str | None = None,
    ) -> None:
        """Remember that `chat_id` sent this article (once per message), and its date.

        The chat's earliest date for the article wins: every date a sending gives (a repost's,
        a dateline's, its arrival) is at most when the article came out, so the article sent
        again, pasted today, keeps the date its first forward gave it.
        """
        published = iso(published_at) if published_at else None
        with self.transaction() as db:
            earlier = db.execute(_EARLIEST_DATE, (chat_id, article_hash)).fetchone()
            if earlier is not None and earlier[0] < (published or iso(received_at)):
                published, published_from = earlier[0], earlier[1] or RECEIVED
            chat_stances.before_sending(
                db, chat_id, article_hash, at=iso(received_at), dated=published or iso(received_at),
                published_from=published_from if published else None,
            )  # fmt: skip
            db.execute(
                """INSERT INTO chat_articles (chat_id, article_hash, message_id, received_at,
                       title, source_label, source_url, published_at, published_from)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (chat_id, article_hash, message_id, iso(received_at), title,
                 source.label if source else None, source.url if source else None,
                 published, published_from if published else None),
            )  # fmt: skip
            db.execute(
                """INSERT INTO chat_actor_forms
                   SELECT DISTINCT ?, actor, kind, aliases FROM stances WHERE article_hash = ?
                   ON CONFLICT DO NOTHING""",
                (chat_id, article_hash),
            )
            mentions.sent(db, chat_id, article_hash)
            search_docs.sent(db, chat_id, article_hash)

    def record_bot_messages(self, chat_id: int, message_ids: list[int], article_hash: str) -> None:
        """Remember which article the bot's reply messages are about (for replies to them)."""
        with self.transaction() as db:
            db.executemany(
                # An existing row keeps its rowid (OR REPLACE gave a new one): none is read.
                "INSERT INTO bot_messages VALUES (?, ?, ?) ON CONFLICT (chat_id, message_id) "
                "DO UPDATE SET article_hash = excluded.article_hash",
                [(chat_id, m, article_hash) for m in message_ids],
            )

    def article_for_message(self, chat_id: int, message_id: int) -> str | None:
        """Return the article a message in this chat is, or is the bot's briefing of."""
        row = self._db.execute(
            """SELECT article_hash FROM bot_messages WHERE chat_id = ? AND message_id = ?
               UNION ALL
               SELECT article_hash FROM chat_articles WHERE chat_id = ? AND message_id = ?
               LIMIT 1""",
            (chat_id, message_id, chat_id, message_id),
        ).fetchone()
        return None if row is None else str(row[0])

    def briefing_key(self, article_hash: str) -> str | None:
        """Return the cache key of the article's current briefing, if it has one."""
        row = self._db.execute(
            "SELECT key FROM briefings WHERE article_hash = ?", (article_hash,)
        ).fetchone()
        return None if row is None else str(row["key"])

    def migrate_chat(self, old_id: int, new_id: int) -> None:
        """Move a chat's history to its new id (a group upgraded to a supergroup)."""
        with self.transaction() as db:
            for table in ("chat_articles", "bot_messages", "llm_usage"):
                db.execute(f"UPDATE {table} SET chat_id = ? WHERE chat_id = ?", (new_id, old_id))  # noqa: S608
            move_keeping_new(db, "chat_actor_forms", ("actor", "kind", "aliases"), old_id, new_id)
            db.execute("DELETE FROM chat_actor_forms WHERE chat_id = ?", (old_id,))
            chat_stances.chat_moved(db, old_id, new_id)
            story_rows.chat_moved(db, old_id, new_id)
            search_docs.chat_moved(db, old_id, new_id)

    @property
    def path(self) -> Path:
        """Return the database file's path."""
        return self._path

    def reader(self) -> sqlite3.Connection:
        """Open a connection of its own for a long read (an export); close it after."""
        return read_only(self._path) if self.engine == "sqlite" else connect(self._path, self._url)

    def record_usage(
        self, purpose: str, model: str, usage: Usage, *, chat_id: int | None = None
    ) -> None:
        """Record the tokens an LLM call cost."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO llm_usage VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (iso(datetime.now(UTC)), purpose, model, chat_id, usage.prompt_tokens,
                 usage.completion_tokens, usage.cached_tokens, usage.calls),
            )  # fmt: skip

    def total_usage(self, *, since: datetime | None = None) -> Usage:
        """Sum recorded usage."""
        row = self._db.execute(
            """SELECT COALESCE(SUM(prompt_tokens),0), COALESCE(SUM(completion_tokens),0),
                      COALESCE(SUM(cached_tokens),0), COALESCE(SUM(calls),0)
               FROM llm_usage WHERE at >= ?""",
            (iso(since) if since else "",),
        ).fetchone()
        # int(): PostgreSQL's SUM of integers is a numeric, which psycopg gives as Decimal.
        tokens, completion, cached, calls = (int(v) for v in row)
        return Usage(
            prompt_tokens=tokens, completion_tokens=completion, cached_tokens=cached, calls=calls
        )

    def article_sources(
        self, chat_id: int, hashes: list[str], *, since: datetime
    ) -> dict[str, list[Source]]:
        """List every source the chat got each article from since `since`, first seen first."""
        marks = ",".join("?" * len(hashes))
        rows = self._db.execute(
            f"""SELECT article_hash, source_label, source_url, MIN(received_at) AS first
                FROM chat_articles WHERE chat_id = ? AND received_at >= ?
                AND source_label IS NOT NULL AND article_hash IN ({marks})
                GROUP BY article_hash, source_label, source_url ORDER BY first""",  # noqa: S608
            (chat_id, iso(since), *hashes),
        ).fetchall()
        found: dict[str, list[Source]] = {}
        for r in rows:
            found.setdefault(r["article_hash"], []).append(
                Source(label=r["source_label"], url=r["source_url"])
            )
        return found

    @property
    def connection(self) -> sqlite3.Connection:
        """Expose the connection to sibling stores (every table is in bot/store/schema/)."""
        return self._db
