"""A PostgreSQL connection spoken to as the store speaks to sqlite3's.

The store's SQL is written once, in the syntax both engines accept (tests/project/
test_portable_sql.py keeps it so), with `?` placeholders and rows read by position or by
column name. This adapter gives a psycopg 3 connection that face: placeholders become
`%s`, every `%` is doubled, Python booleans are stored as the 0/1 integers the schema
declares (sqlite3 does the same), and rows answer to both `row[0]` and `row["name"]`
(pg_sql.py). It also heals itself when the server drops it (reconnecting, outage.py).
Transactions stay explicit (BEGIN ... COMMIT, as Index.transaction writes them): the
connection is in autocommit mode otherwise, as sqlite3's is with isolation_level=None.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import functools
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import psycopg
import psycopg.conninfo

from bot.store.outage import ConnectionLostError
from bot.store.pg_sql import Row, bound, row_maker, translate

log = logging.getLogger(__name__)
T = TypeVar("T")

# Reconnecting: how long one statement waits for the server before ConnectionLostError
# (Index.run then waits longer, off the database thread: DATABASE_RETRY_S), and how the
# tries are spaced. Short: the statement holds its thread (the database thread, or the CLI).
RECONNECT_S = 2.0
RECONNECT_FIRST_DELAY_S = 0.05
RECONNECT_MAX_DELAY_S = 0.5
CONNECT_TIMEOUT_S = 10
# On the event loop's thread: one try, within this many seconds, and none again for
# DOWN_HOLD_S after a failed one. Waiting there would stall every chat, and getUpdates,
# for the whole outage; the loop's callers fail fast and their units wait off the loop.
LOOP_CONNECT_TIMEOUT_S = 2
DOWN_HOLD_S = 1.0
# Called with each statement run on an event loop's thread (None: nobody asks). Tests use
# it to hold paths to "the event loop never waits on the database" (tests/loop_watch.py).
on_loop: Callable[[str], None] | None = None


class Cursor:
    """A cursor with sqlite3's face (execute, fetches, rowcount, iteration)."""

    def __init__(self, owner: PgConnection) -> None:
        # Each execute takes a psycopg cursor of the connection in use then: one kept from
        # before a reconnect would belong to a closed connection.
        self._owner = owner
        self._cursor: psycopg.Cursor[Row] | None = None
        self.row_factory: object = None  # accepted, not used: rows already read both ways

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """Run one statement."""
        query, values = translate(sql), bound(params)
        self._cursor = self._owner.attempt(sql, lambda c: c.cursor().execute(query, values))
        return self

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> Cursor:
        """Run one statement for each set of parameters."""
        query, rows = translate(sql), [bound(p) for p in seq]

        def many(conn: psycopg.Connection[Row]) -> psycopg.Cursor[Row]:
            cursor = conn.cursor()
            cursor.executemany(query, rows)
            return cursor

        self._cursor = self._owner.attempt(sql, many)
        return self

    def fetchone(self) -> Row | None:
        """Return the next row, or None."""
        # psycopg's client-side cursor holds the whole result: a fetch needs no connection.
        cursor = self._cursor
        return cursor.fetchone() if cursor is not None and cursor.description else None

    def fetchall(self) -> list[Row]:
        """Return the remaining rows."""
        cursor = self._cursor
        return cursor.fetchall() if cursor is not None and cursor.description else []

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())

    @property
    def rowcount(self) -> int:
        """Return how many rows the last statement changed."""
        return -1 if self._cursor is None else self._cursor.rowcount


class PgConnection:
    """One psycopg connection in autocommit mode, with sqlite3's face, that heals itself.

    A connection the server dropped (a restart, pg_terminate_backend, a failover) is
    replaced by a new one. A statement outside a transaction runs again on it, once: a
    read, or an autocommit write whose answer was lost (every such write of the store is an
    upsert or keyed, see Index.run). A statement inside a transaction raises
    ConnectionLostError instead, and so does every later one until the caller's ROLLBACK
    (which the server has already done): the rest of a unit of work never runs on the new
    connection in autocommit mode, half-written. The next BEGIN gets a new connection.
    """

    dialect = "postgresql"

    def __init__(
        self,
        url: str,
        *,
        reconnect_s: float | None = None,  # RECONNECT_S
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        conninfo = url.replace("postgresql+psycopg://", "postgresql://", 1)
        # A server that is down refuses at once; an unreachable host would hang forever.
        extra: dict[str, str | int | None] = (
            {} if "connect_timeout" in conninfo else {"connect_timeout": CONNECT_TIMEOUT_S}
        )
        if "keepalives" not in conninfo:
            # A connection cut by a partition (no FIN, no RST) would hang a statement until
            # the kernel's two-hour default; probes find it dead within about a minute.
            extra |= {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10,
                      "keepalives_count": 3}  # fmt: skip
        self._conninfo = psycopg.conninfo.make_conninfo(conninfo, **extra)
        self._reconnect_s = RECONNECT_S if reconnect_s is None else reconnect_s
        self._sleep, self._clock = sleep, clock
        self._conn = self._open()  # the first: its failure is the caller's (a wrong URL)
        self._in_tx = False  # between our BEGIN and its COMMIT or ROLLBACK
        self._lost_tx = False  # the connection broke inside that transaction
        self.reconnects = 0  # for logs and tests
        self._down_until = 0.0  # the event loop's thread does not try again before this
        self.row_factory: object = None  # accepted, not used

    def _open(self, timeout: int | None = None) -> psycopg.Connection[Row]:
        conninfo = self._conninfo
        if timeout is not None:  # overrides the URL's own (make_conninfo keeps the last)
            conninfo = psycopg.conninfo.make_conninfo(conninfo, connect_timeout=timeout)
        return psycopg.connect(conninfo, autocommit=True, row_factory=row_maker)

    def cursor(self) -> Cursor:
        """Return a new cursor."""
        return Cursor(self)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """Run one statement on a new cursor."""
        return self.cursor().execute(sql, params)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> Cursor:
        """Run one statement for each set of parameters."""
        return self.cursor().executemany(sql, seq)

    def attempt(self, sql: str, call: Callable[[psycopg.Connection[Row]], T]) -> T | None:
        """Run `call` for the statement `sql` on a live connection (see the class docstring)."""
        verb = _verb(sql)
        _report(sql)
        if self._lost_tx or (self._in_tx and self._conn.closed):
            self._after_loss(verb)  # raises, but for the ROLLBACK the caller owes
            return None
        if self._conn.closed:  # known broken since the last statement: no failed try first
            self._reconnect()
        try:
            done = call(self._conn)
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            if not self._conn.closed and not self._conn.broken:
                raise  # an error of the statement's (a lock timeout): the connection is fine
            if not self._lost_before(verb, exc):
                return None  # a ROLLBACK: the server did it
            self._reconnect()
            try:
                done = call(self._conn)
            except (psycopg.OperationalError, psycopg.InterfaceError) as again:
                if not self._conn.closed and not self._conn.broken:
                    raise
                raise ConnectionLostError(f"PostgreSQL: {_first_line(again)}") from again
        if verb is _Verb.BEGIN:
            self._in_tx = True
        elif verb is not _Verb.OTHER:
            self._in_tx = False
        return done

    def _lost_before(self, verb: _Verb, exc: psycopg.Error) -> bool:
        """Settle a statement whose connection broke: True to run it on a new connection."""
        log.warning("PostgreSQL connection lost: %s", _first_line(exc))
        if verb is _Verb.ROLLBACK:
            # The server rolled back what the broken connection held: the ROLLBACK's work
            # is done. Raising would leave us "inside" a transaction nobody ends, refusing
            # every later statement (a worker stuck for good after a restart).
            self._in_tx = self._lost_tx = False
            with contextlib.suppress(psycopg.Error):
                self._conn.close()  # the next statement reconnects first
            return False
        if self._in_tx or verb is _Verb.COMMIT:
            self._lost_tx = self._in_tx and verb is not _Verb.COMMIT
            self._in_tx = self._lost_tx
            raise ConnectionLostError(_CUT_OFF[verb]) from exc
        return True

    def _after_loss(self, verb: _Verb) -> None:
        """Answer a statement of a transaction whose connection broke: only ROLLBACK passes."""
        if verb is _Verb.ROLLBACK:  # the server rolled it back when the connection went
            self._in_tx = self._lost_tx = False
            return
        self._lost_tx = True
        raise ConnectionLostError(_CUT_OFF[_Verb.OTHER])

    def _reconnect(self) -> None:
        """Replace the connection, trying for up to `reconnect_s`; then ConnectionLostError.

        On the event loop's thread: one short try, and none within DOWN_HOLD_S of a failed one.
        """
        with contextlib.suppress(psycopg.Error):
            self._conn.close()
        on_loop = _on_event_loop()
        if on_loop and self._clock() < self._down_until:
            raise ConnectionLostError("PostgreSQL unreachable: a try a moment ago failed")
        budget = 0.0 if on_loop else self._reconnect_s
        started, delay = self._clock(), RECONNECT_FIRST_DELAY_S
        while True:
            try:
                self._conn = self._open(LOOP_CONNECT_TIMEOUT_S if on_loop else None)
            except psycopg.OperationalError as exc:
                waited = self._clock() - started
                if waited >= budget:
                    self._down_until = self._clock() + DOWN_HOLD_S
                    raise ConnectionLostError(
                        f"PostgreSQL unreachable: no connection within {waited:.1f} s: "
                        f"{_first_line(exc)}"
                    ) from exc
                self._sleep(min(delay, budget - waited))
                delay = min(delay * 2, RECONNECT_MAX_DELAY_S)
            else:
                self.reconnects += 1
                log.info("PostgreSQL connection replaced after %.2f s", self._clock() - started)
                return

    @property
    def in_transaction(self) -> bool:
        """Tell whether a transaction is open (as sqlite3.Connection.in_transaction)."""
        if self._conn.closed:
            return self._in_tx or self._lost_tx
        return self._conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


class _Verb(enum.Enum):
    BEGIN = "begin"
    COMMIT = "commit"
    ROLLBACK = "rollback"
    OTHER = "other"


def _report(sql: str) -> None:
    """Hand a statement about to run on an event loop's thread to `on_loop`, if anyone asks."""
    if on_loop is not None and _on_event_loop():
        on_loop(sql)


def _on_event_loop() -> bool:
    """Tell whether this thread runs an event loop (sleeping here would stall it)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


_CUT_OFF = {
    _Verb.BEGIN: "PostgreSQL connection lost at BEGIN",  # not raised: BEGIN is run again
    _Verb.COMMIT: "PostgreSQL connection lost at COMMIT: the transaction may have been applied",
    _Verb.OTHER: "PostgreSQL connection lost inside a transaction: it was rolled back",
}


@functools.lru_cache(maxsize=4096)
def _verb(sql: str) -> _Verb:
    word = sql.split(None, 1)[0].upper() if sql.strip() else ""
    return _Verb(word.lower()) if word in {"BEGIN", "COMMIT", "ROLLBACK"} else _Verb.OTHER


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip() or type(exc).__name__).splitlines()[0]
