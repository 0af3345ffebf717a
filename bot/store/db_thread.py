"""The event loop's database work: one thread with its own store; units run again after outages.

Index.run hands a unit of work (a function of the store) to this thread, so the loop never
waits on the database. On PostgreSQL a unit whose connection was lost before it committed
runs again once the server answers, for up to DATABASE_RETRY_S (outage.retry_unit).

Why that is safe: a unit is one transaction (Index.transaction), or reads. A connection lost
before the COMMIT was sent rolled the whole unit back on the server, and PgConnection lets
no statement of it go on in autocommit mode on a new connection (pg_connection.py), so the
retry starts from what the database holds, as if the first try never ran.

Where it is not quite: a COMMIT sent whose answer was lost may have been applied. Running
the unit again is then harmless where its writes are keyed or ON CONFLICT upserts: the
pending job (unique per chat, message and kind: the retry finds it and answers "accepted
already", and the job stays pending for resumption or another process's claim; the
chat's record of the article is written with a new job only), briefings, bot messages,
blobs, leases. It is
counted twice where the write is a bare INSERT or an increment: llm_usage and events rows
(one more row of usage or of an event), a job's attempt count (one attempt more, against
its give-up limit). That needs the server to fail in the microseconds between applying a
COMMIT and answering it; the documented window (docs/operations.md) covers it.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Concatenate, Generic, ParamSpec, Protocol, TypeVar

from bot.store.outage import ConnectionLostError, RetryPolicy, retry_unit

P = ParamSpec("P")
R = TypeVar("R")


class Store(Protocol):
    """What the thread keeps: a store it can close."""

    def close(self) -> None:
        """Close the store's connections."""


S = TypeVar("S", bound=Store)


class DatabaseThread(Generic[S]):
    """One thread, and the store it opened there for itself (a connection is one thread's)."""

    def __init__(
        self,
        open_store: Callable[[], S],
        retry: RetryPolicy | None,
        connect_errors: tuple[type[Exception], ...] = (),
    ) -> None:
        self._open = open_store
        self._retry = retry  # None: SQLite, whose file does not go away
        self._connect_errors = connect_errors  # opening the store when the server is down
        self._worker: ThreadPoolExecutor | None = None
        self._store: S | None = None

    async def run(
        self, method: Callable[Concatenate[S, P], R], /, *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Run `method(store, ...)` on the thread; after a lost connection, again (see above)."""
        if self._worker is None:
            self._worker = ThreadPoolExecutor(1, thread_name_prefix="index")
        worker, loop = self._worker, asyncio.get_running_loop()
        call = functools.partial(self._in_thread, method, *args, **kwargs)
        if self._retry is None:
            return await loop.run_in_executor(worker, call)
        return await retry_unit(lambda: loop.run_in_executor(worker, call), self._retry)

    def _in_thread(
        self, method: Callable[Concatenate[S, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        if self._store is None:
            try:
                self._store = self._open()
            except self._connect_errors as exc:  # the first unit came during an outage
                raise ConnectionLostError(f"cannot open the database: {exc}") from exc
        return method(self._store, *args, **kwargs)

    def close(self) -> None:
        """Close the thread's store, then the thread."""
        if self._worker is not None:
            self._worker.submit(self._close_store).result()
            self._worker.shutdown()
            self._worker = None

    def _close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def connect_errors(database_url: str | None) -> tuple[type[Exception], ...]:
    """Return what opening the database raises when its server is down (none for SQLite)."""
    if database_url is None:
        return ()
    import psycopg  # the optional driver: only a store on PostgreSQL needs it
    from sqlalchemy.exc import OperationalError  # Alembic's check of the schema, at opening

    return (psycopg.OperationalError, OperationalError)
