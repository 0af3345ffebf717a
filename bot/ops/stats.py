"""Operating events (received, cache hits, failures, LLM calls, digests) in the index database.

Prices, the /stats report and its rendering: report.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bot.errors import LLMError
from bot.models import Usage
from bot.ops.period import Period
from bot.ops.pricing import Prices
from bot.store.index import Index, iso

RECEIVED = "received"  # an article accepted for briefing
BRIEFED = "briefed"  # a briefing made by the LLM
CACHE_HIT = "cache_hit"  # a briefing served from the cache
DEGRADED = "degraded"  # a briefing made without the LLM (the extractive fallback)
FAILED = "failed"  # detail: the error's kind
DIGEST_SENT = "digest_sent"
LLM = "llm"  # one LLM request, with the tokens the provider reported; detail: purpose


def failure_kind(exc: BaseException) -> str:
    """Name a failure for the stats, e.g. "budget", "unavailable" or "invalid_output"."""
    if isinstance(exc, LLMError):
        return exc.kind
    return type(exc).__name__  # not ours: its class says what it was


def _insert_event(  # noqa: PLR0917 - the columns of one row
    index: Index,
    kind: str,
    chat_id: int | None,
    user_id: int | None,
    detail: str | None,
    at: datetime,
) -> None:
    with index.transaction() as db:
        db.execute(
            "INSERT INTO events (at, kind, chat_id, user_id, detail) VALUES (?, ?, ?, ?, ?)",
            (iso(at), kind, chat_id, user_id, detail),
        )


def _insert_llm(  # noqa: PLR0917 - the columns of one row
    index: Index,
    purpose: str,
    model: str,
    usage: Usage,
    user_id: int | None,
    chat_id: int | None,
    ms: int,
    failure: str | None,
) -> None:
    with index.transaction() as db:
        db.execute(
            "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (iso(_now()), LLM, chat_id, user_id,
             purpose if failure is None else f"{purpose}:{failure}", model,
             usage.prompt_tokens, usage.completion_tokens, usage.cached_tokens,
             usage.calls, ms),
        )  # fmt: skip


def prune_events(index: Index, before: datetime) -> int:
    """Delete the events before `before` (EVENTS_DAYS); return how many went."""
    with index.transaction() as db:
        return int(db.execute("DELETE FROM events WHERE at < ?", (iso(before),)).rowcount)


class Events:
    """The events table in the index database: one row per thing worth counting."""

    def __init__(self, index: Index) -> None:
        self._index = index

    def record(
        self,
        kind: str,
        *,
        chat_id: int | None = None,
        user_id: int | None = None,
        detail: str | None = None,
        at: datetime | None = None,
    ) -> None:
        """Count one event."""
        _insert_event(self._index, kind, chat_id, user_id, detail, at or _now())

    def write(
        self,
        kind: str,
        *,
        chat_id: int | None = None,
        user_id: int | None = None,
        detail: str | None = None,
    ) -> Callable[[Index], None]:
        """Return one event's insert, for the database thread to run with other writes."""

        def insert(index: Index) -> None:  # stamped when written, as record_off_loop's are
            _insert_event(index, kind, chat_id, user_id, detail, _now())

        return insert

    async def record_off_loop(
        self,
        kind: str,
        *,
        chat_id: int | None = None,
        user_id: int | None = None,
        detail: str | None = None,
    ) -> None:
        """Count one event on the database thread: the event loop never waits for the lock."""
        await self._index.run(_insert_event, kind, chat_id, user_id, detail, _now())

    def record_llm(
        self,
        purpose: str,
        model: str,
        usage: Usage,
        *,
        user_id: int | None,
        chat_id: int | None,
        ms: int,
        failure: str | None = None,
    ) -> None:
        """Book one LLM call's reported tokens (failed calls too: they were billed)."""
        _insert_llm(self._index, purpose, model, usage, user_id, chat_id, ms, failure)

    async def record_llm_off_loop(  # noqa: PLR0917 - the columns of one row
        self,
        purpose: str,
        model: str,
        usage: Usage,
        user_id: int | None,
        chat_id: int | None,
        ms: int,
        failure: str | None = None,
    ) -> None:
        """Book one LLM call's tokens on the database thread."""
        await self._index.run(_insert_llm, purpose, model, usage, user_id, chat_id, ms, failure)

    def tokens_since(self, since: datetime, *, user_id: int | None = None) -> int:
        """Sum input and output tokens booked since `since` (one user's, or everyone's)."""
        return tokens_booked(self._index.connection, since, user_id=user_id)

    def migrate_chat(self, old_id: int, new_id: int) -> None:
        """Move a chat's events to its new id."""
        with self._index.transaction() as db:
            db.execute("UPDATE events SET chat_id = ? WHERE chat_id = ?", (new_id, old_id))

    def period(self, since: datetime, until: datetime, prices: Prices, top: int = 5) -> Period:
        """Summarise the events in [since, until)."""
        db, window = self._index.connection, (iso(since), iso(until))
        counts = dict(
            db.execute(
                "SELECT kind, COUNT(*) FROM events WHERE at >= ? AND at < ? AND kind != ? "
                "GROUP BY kind",
                (*window, LLM),
            ).fetchall()
        )
        failures = dict(
            db.execute(
                "SELECT detail, COUNT(*) FROM events WHERE at >= ? AND at < ? AND kind = ? "
                "GROUP BY detail ORDER BY COUNT(*) DESC",
                (*window, FAILED),
            ).fetchall()
        )
        usage, cost = Usage(), 0.0
        cost_known = True
        for model, p_in, p_out, p_cached, calls in db.execute(
            "SELECT model, SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens), "
            "SUM(calls) FROM events WHERE at >= ? AND at < ? AND kind = ? GROUP BY model",
            (*window, LLM),
        ).fetchall():
            part = Usage(
                prompt_tokens=p_in, completion_tokens=p_out, cached_tokens=p_cached, calls=calls
            )
            usage += part
            price = prices.for_model(model)
            if price is None:
                cost_known = False
            else:
                cost += price.cost(part)
        return Period(
            since=since,
            until=until,
            received=counts.get(RECEIVED, 0),
            briefed=counts.get(BRIEFED, 0),
            cache_hits=counts.get(CACHE_HIT, 0),
            degraded=counts.get(DEGRADED, 0),
            digests_sent=counts.get(DIGEST_SENT, 0),
            failures={str(k): v for k, v in failures.items()},
            llm_calls=usage.calls,
            tokens_in=usage.prompt_tokens,
            tokens_out=usage.completion_tokens,
            tokens_cached=usage.cached_tokens,
            cost_usd=round(cost, 4) if cost_known else None,
            top_users=self._top("user_id", window, top),
            top_chats=self._top("chat_id", window, top),
        )

    def _top(self, column: str, window: tuple[str, str], top: int) -> list[tuple[int, int]]:
        rows = self._index.connection.execute(
            f"""SELECT {column}, SUM(prompt_tokens + completion_tokens) AS t FROM events
                WHERE at >= ? AND at < ? AND kind = ? AND {column} IS NOT NULL
                GROUP BY {column} ORDER BY t DESC LIMIT ?""",  # noqa: S608 - a fixed column name
            (*window, LLM, top),
        ).fetchall()
        return [(int(r[0]), int(r[1])) for r in rows]


def tokens_booked(db: sqlite3.Connection, since: datetime, *, user_id: int | None = None) -> int:
    """Sum the tokens booked since `since` on `db` (a budget check's, in its transaction)."""
    sql = "SELECT COALESCE(SUM(prompt_tokens + completion_tokens), 0) FROM events "
    sql += "WHERE kind = ? AND at >= ?"
    args: tuple[Any, ...] = (LLM, iso(since))
    if user_id is not None:
        sql += " AND user_id = ?"
        args += (user_id,)
    return int(db.execute(sql, args).fetchone()[0])


def _now() -> datetime:
    return datetime.now(UTC)
