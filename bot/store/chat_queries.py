"""The index's read side: a chat's articles, stances filtered in SQL, its actor directory.

`Index.queries` holds them, on whichever connection that `Index` holds (the event loop's, or
the database thread's twin).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from bot.checks.provenance import Provenance
from bot.models import Source
from bot.store import dialect
from bot.store.chat_rows import _ALIAS_SEP, ActorForm, ChatArticle, StanceRow
from bot.store.dialect import IN_JSON_LIST, JOIN_IN_ORDER, indexed_by
from bot.store.latest_sendings import (
    LATEST_BEFORE,
    LATEST_BEFORE_PG,
    LATEST_PER_ARTICLE,
    LATEST_PER_ARTICLE_PG,
    filtered_stances_pg,
)


class ChatQueries:
    """Read-only queries over a chat's history, on the connection they are given.

    `Index.queries` holds one on the index's connection; the database thread's twin `Index`
    holds its own on its own connection.
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        # PostgreSQL takes no bare columns beside MAX(): it reads each *_PG variant below.
        self._postgresql = dialect.on_postgresql(db)

    def chat_articles(
        self,
        chat_id: int,
        *,
        since: datetime | None = None,
        limit: int = 500,
        until: datetime | None = None,
    ) -> list[ChatArticle]:
        """List the chat's articles, newest first, each article once (its latest sending).

        With `until`, only sendings before it count (the chat's history as it was then).
        """
        latest, before = LATEST_PER_ARTICLE, LATEST_BEFORE
        if self._postgresql:
            latest, before = LATEST_PER_ARTICLE_PG, LATEST_BEFORE_PG
        if until is None:
            query = f"""SELECT {_ARTICLE_COLUMNS} FROM ({latest}) ca
                LEFT JOIN briefings b ON b.article_hash = ca.article_hash
                WHERE ca.received_at >= ? ORDER BY ca.received_at DESC LIMIT ?"""  # noqa: S608
            params: tuple[object, ...] = (chat_id, iso(since) if since else "", limit)
        else:
            query = f"""SELECT {_ARTICLE_COLUMNS} FROM ({before}) ca
                LEFT JOIN briefings b ON b.article_hash = ca.article_hash
                WHERE ca.received_at >= ? ORDER BY ca.received_at DESC LIMIT ?"""  # noqa: S608
            params = (chat_id, iso(until), iso(since) if since else "", limit)
        rows = self._db.execute(query, params).fetchall()
        return [_chat_article(r) for r in rows]

    def chat_forms_version(self, chat_id: int) -> int:
        """Return a number that changes whenever the chat's directory of names does."""
        row = self._db.execute(
            "SELECT COUNT(*) FROM chat_actor_forms WHERE chat_id = ?", (chat_id,)
        ).fetchone()
        return int(row[0])

    def chat_has_article(self, chat_id: int, article_hash: str) -> bool:
        """Tell whether this chat ever sent this article."""
        row = self._db.execute(
            "SELECT 1 FROM chat_articles WHERE chat_id = ? AND article_hash = ? LIMIT 1",
            (chat_id, article_hash),
        ).fetchone()
        return row is not None

    def chat_article_date(
        self, chat_id: int, article_hash: str
    ) -> tuple[datetime | None, str | None]:
        """Return the article's publication date in this chat and where it comes from."""
        row = self._db.execute(
            """SELECT published_at, published_from FROM chat_articles
               WHERE chat_id = ? AND article_hash = ? ORDER BY received_at DESC LIMIT 1""",
            (chat_id, article_hash),
        ).fetchone()
        if row is None or row["published_at"] is None:
            return None, None
        return published(row["published_at"]), row["published_from"]

    def chat_stances(
        self,
        chat_id: int,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        actors: Collection[str] | None = None,
        article_hash: str | None = None,
    ) -> list[StanceRow]:
        """List indexed stances from the chat's articles, newest article first.

        Every filter runs in SQL: sent in [since, until), by one of `actors` (names exactly
        as indexed), from one article.
        """
        if until is not None or actors is not None or article_hash is not None:
            return self._filtered_stances(chat_id, since, until, actors, article_hash)
        latest = LATEST_PER_ARTICLE_PG if self._postgresql else LATEST_PER_ARTICLE
        rows = self._db.execute(
            f"""SELECT {_ARTICLE_COLUMNS}, s.actor, s.kind, s.aliases, s.target, s.position,
                       s.polarity, s.quote, s.verified, s.issue, s.provenance, s.speaker, s.via
                FROM ({latest}) ca
                JOIN briefings b ON b.article_hash = ca.article_hash
                JOIN stances s ON s.article_hash = ca.article_hash
                WHERE ca.received_at >= ?
                ORDER BY ca.received_at DESC, ca.article_hash, s.ord""",  # noqa: S608
            (chat_id, iso(since) if since else ""),
        ).fetchall()
        return [_stance_row(r) for r in rows]

    def _filtered_stances(
        self,
        chat_id: int,
        since: datetime | None,
        until: datetime | None,
        actors: Collection[str] | None,
        article_hash: str | None,
    ) -> list[StanceRow]:
        # Driven from the stances side (by actor or article, both indexed), joined to the
        # chat's sendings: a chat with years of history reads only the rows asked for.
        where = ["ca.received_at >= ?"]
        params: list[object] = [chat_id, iso(since) if since else ""]
        if until is not None:  # no "highest text" sentinel: collations differ on what it is
            where.append("ca.received_at < ?")
            params.append(iso(until))
        # Left to itself SQLite walks the chat's whole window and then picks the actor's
        # rows; joined in order, it starts from the few stances asked for instead.
        driver = "JOIN"
        if actors is not None:
            where.append(f"s.actor {IN_JSON_LIST}")
            params.append(json.dumps(sorted(actors)))
            driver = _BY_ACTOR
        if article_hash is not None:
            where.append("s.article_hash = ?")
            params.append(article_hash)
            driver = _BY_ARTICLE
        cursor = self._db.cursor()
        cursor.row_factory = None  # plain tuples: a top actor's thousands of rows, read by position
        if self._postgresql:
            rows = cursor.execute(filtered_stances_pg(" AND ".join(where)), params).fetchall()
        else:
            rows = cursor.execute(
                f"""SELECT ca.article_hash, ca.message_id, MAX(ca.received_at) AS received_at,
                       ca.title, ca.source_label, ca.source_url, b.headline,
                       b.key AS briefing_key, s.actor, s.kind, s.aliases, s.target,
                       s.position, s.polarity, s.quote, s.verified, s.ord, s.issue,
                       s.provenance, s.speaker, s.via, ca.published_at, ca.published_from
                FROM stances s {driver} chat_articles ca
                    ON ca.article_hash = s.article_hash AND ca.chat_id = ?
                JOIN briefings b ON b.article_hash = s.article_hash
                WHERE {" AND ".join(where)}
                GROUP BY s.article_hash, s.ord
                ORDER BY received_at DESC, s.article_hash, s.ord""",  # noqa: S608 - fixed clauses
                params,
            ).fetchall()
        articles: dict[str, ChatArticle] = {}  # one per article, not one per stance
        aliases: dict[str, tuple[str, ...]] = {}  # one per distinct alias list
        return [_stance_at(r, articles, aliases) for r in rows]

    def chat_actor_forms(
        self, chat_id: int, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[ActorForm]:
        """List each distinct (actor, kind, aliases) of the chat's articles in [since, until).

        Without a window this reads the chat's directory of names, not its stances.
        """
        if since is None and until is None:
            query = "SELECT actor, kind, aliases FROM chat_actor_forms WHERE chat_id = ?"
            params: tuple[object, ...] = (chat_id,)
        else:
            window = "received_at >= ?" + (" AND received_at < ?" if until else "")
            query = f"""SELECT DISTINCT s.actor, s.kind, s.aliases FROM stances s
               WHERE s.article_hash IN (
                   SELECT article_hash FROM chat_articles WHERE chat_id = ? AND {window})"""  # noqa: S608
            params = (chat_id, iso(since) if since else "", *([iso(until)] if until else []))
        rows = self._db.execute(query, params).fetchall()
        return [
            ActorForm(r["actor"], r["kind"], tuple(a for a in r["aliases"].split(_ALIAS_SEP) if a))
            for r in rows
        ]


# The stances read first, through the index of what is asked for (see _filtered_stances).
_BY_ACTOR = f"{indexed_by('stances_actor')} {JOIN_IN_ORDER}"
_BY_ARTICLE = f"{indexed_by('stances_article')} {JOIN_IN_ORDER}"
_ARTICLE_COLUMNS = """ca.article_hash, ca.message_id, ca.received_at, ca.title,
    ca.source_label, ca.source_url, b.headline, b.key AS briefing_key, ca.published_at,
    ca.published_from"""


def iso(moment: datetime) -> str:
    """Store instants as sortable UTC ISO text; naive datetimes are a bug."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _stance_row(r: sqlite3.Row, article: ChatArticle | None = None) -> StanceRow:
    return StanceRow(
        actor=r["actor"], kind=r["kind"],
        aliases=tuple(a for a in r["aliases"].split(_ALIAS_SEP) if a),
        target=r["target"], position=r["position"], polarity=r["polarity"],
        quote=r["quote"], verified=bool(r["verified"]), article=article or _chat_article(r),
        issue=r["issue"], provenance=provenance(r["provenance"]), speaker=r["speaker"],
        via=r["via"],
    )  # fmt: skip


def provenance(stored: str | None) -> Provenance | None:
    """Read a stored provenance; NULL (or a value this version does not know) is None."""
    try:
        return None if stored is None else Provenance(stored)
    except ValueError:
        return None


def _stance_at(
    r: tuple[Any, ...], articles: dict[str, ChatArticle], aliases: dict[str, tuple[str, ...]]
) -> StanceRow:
    """Make a stance from a `_filtered_stances` tuple, sharing articles and alias tuples."""
    article = articles.get(r[0])
    if article is None:
        article = articles[r[0]] = ChatArticle(
            article_hash=r[0], message_id=r[1], received_at=datetime.fromisoformat(r[2]),
            title=r[3], source=Source(label=r[4], url=r[5]) if r[4] else None,
            headline=r[6], briefing_key=r[7], published_at=published(r[21]),
            published_from=r[22] if r[21] else None,
        )  # fmt: skip
    named = aliases.get(r[10])
    if named is None:
        named = aliases[r[10]] = tuple(a for a in r[10].split(_ALIAS_SEP) if a)
    return StanceRow(
        actor=r[8], kind=r[9], aliases=named, target=r[11], position=r[12], polarity=r[13],
        quote=r[14], verified=bool(r[15]), article=article, issue=r[17],
        provenance=provenance(r[18]), speaker=r[19], via=r[20],
    )  # fmt: skip


def _chat_article(row: sqlite3.Row) -> ChatArticle:
    label, url = row["source_label"], row["source_url"]
    return ChatArticle(
        article_hash=row["article_hash"],
        message_id=row["message_id"],
        received_at=datetime.fromisoformat(row["received_at"]),
        title=row["title"],
        source=Source(label=label, url=url) if label else None,
        headline=row["headline"],
        briefing_key=row["briefing_key"],
        published_at=published(row["published_at"]),
        published_from=row["published_from"] if row["published_at"] else None,
    )


def published(stamp: str | None) -> datetime | None:
    """Read a stored publication date (NULL: a sending from before dates were kept)."""
    return datetime.fromisoformat(stamp) if stamp else None
