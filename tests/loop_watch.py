"""Which statements ran on the event loop's thread: "the event loop never waits on PostgreSQL".

On PostgreSQL every statement the store runs on the loop's thread holds every chat, and
getUpdates, for a round trip (and, during an outage, fails). `watch()` records each one
with the bot's code that ran it, through the hook bot/store/pg_connection.py calls, so a
test can hold a path to "nothing on the loop". It sees PostgreSQL only: SQLite's statements
are local file reads, and the tests that use it run on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field

from bot.store import pg_connection


@dataclass
class Watched:
    """The statements seen on an event loop's thread, each with where in bot/ it came from."""

    statements: list[tuple[str, str]] = field(default_factory=list)  # (sql, caller)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def seen(self, sql: str) -> None:
        """Record one statement and the bot code outside the store that ran it."""
        frames = [
            f"{f.filename.rsplit('/bot/', 1)[-1]}:{f.lineno} {f.name}"
            for f in traceback.extract_stack()[:-2]
            if "/bot/" in f.filename and "/bot/store/" not in f.filename
        ]
        with self._lock:
            self.statements.append((" ".join(sql.split())[:80], " <- ".join(frames[-1:-4:-1])))

    def callers(self) -> list[str]:
        """Return each distinct caller with a statement it ran, for a failure's message."""
        return sorted({f"{caller or '(a test)'}: {sql}" for sql, caller in self.statements})


@contextlib.contextmanager
def watch() -> Iterator[Watched]:
    """Record the statements run on any event loop's thread while the block runs."""
    watched, before = Watched(), pg_connection.on_loop
    pg_connection.on_loop = watched.seen
    try:
        yield watched
    finally:
        pg_connection.on_loop = before
