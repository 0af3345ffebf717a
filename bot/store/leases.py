"""Leases: one process at a time holds a named piece of work, until it lets go or dies.

Several processes on one database (docs/operations.md, "Several processes") must not both
send a chat's digest, poll one feed or brief one article. Whoever takes a lease holds it for
a number of seconds; it renews the lease while the work goes on, and lets go when it is
over. A process killed with `kill -9` renews nothing: its lease lapses and the work passes
to whoever asks next. Clocks are the processes' own (ISO-8601 UTC text, as everywhere in
the index), so hosts sharing a database need synchronised clocks (NTP), as TLS does.
"""

from __future__ import annotations

import functools
import os
import secrets
import socket
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.store.index import Index, iso

Clock = Callable[[], datetime]


@functools.cache
def this_process() -> str:
    """Name this process for the leases it holds: host, pid and a nonce (pids are reused).

    The host is the host name and the pid namespace: containers sharing a host name
    (`network_mode: host`) each have their own pids, so a pid means something only within
    one namespace (`is_dead_here` tells a dead process of "this host" by its pid).
    """
    return f"{socket.gethostname()}{_pid_namespace()}:{os.getpid()}:{secrets.token_hex(3)}"


def is_dead_here(other: str, me: str) -> bool:
    """Tell whether `other` (a `this_process` name) was a process of `me`'s host, now gone.

    Only this host's processes can be told dead: their pid runs no more, or runs `me` (an
    earlier process under the same pid, a container's pid 1). Another host's cannot.
    """
    host, pid, _ = me.rsplit(":", 2)
    parts = other.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != host or not parts[1].isdigit():  # noqa: PLR2004
        return False
    if parts[1] == pid:
        return True  # our own pid, another nonce: an earlier process
    try:
        os.kill(int(parts[1]), 0)
    except ProcessLookupError:
        return True
    except OSError:  # someone else's process (EPERM): alive
        return False
    return False


def _pid_namespace() -> str:
    try:  # "pid:[4026531836]" on Linux
        return "~" + str(Path("/proc/self/ns/pid").readlink()).removeprefix("pid:").strip("[]")
    except OSError:  # no /proc (macOS): one namespace
        return ""


def utc_now() -> datetime:
    """Return the current instant (the default clock)."""
    return datetime.now(UTC)


class Leases:
    """Take, renew and release named leases in the index's `leases` table."""

    def __init__(self, index: Index, owner: str | None = None, *, clock: Clock = utc_now) -> None:
        self._index = index
        self.owner = owner or this_process()
        self._clock = clock

    def take(self, name: str, seconds: float) -> bool:
        """Hold `name` for `seconds` unless another live process holds it; tell whether we do.

        Taking a lease this process holds already renews it.
        """
        return _take(self._index, self.owner, self._clock(), name, seconds)

    def renew(self, names: Iterable[str], seconds: float) -> set[str]:
        """Extend the leases of `names` this process still holds; return those it does."""
        return _renew(self._index, self.owner, self._clock(), list(names), seconds)

    def release(self, name: str) -> None:
        """Let go of `name`, if this process holds it (never another's)."""
        _release(self._index, self.owner, name)

    # The same on the database thread, for the event loop. Each is safe to run twice (a
    # retry after an outage): taking or renewing one's own lease again only renews it.

    async def take_off_loop(self, name: str, seconds: float) -> bool:
        """Run `take` off the event loop."""
        return await self._index.run(_take, self.owner, self._clock(), name, seconds)

    async def renew_off_loop(self, names: Iterable[str], seconds: float) -> set[str]:
        """Run `renew` off the event loop."""
        return await self._index.run(_renew, self.owner, self._clock(), list(names), seconds)

    async def release_off_loop(self, name: str) -> None:
        """Run `release` off the event loop."""
        await self._index.run(_release, self.owner, name)

    def holder(self, name: str) -> str | None:
        """Return the process holding `name` now, or None (never taken, released or lapsed)."""
        row = self._index.connection.execute(
            "SELECT owner FROM leases WHERE name = ? AND until > ?", (name, iso(self._clock()))
        ).fetchone()
        return None if row is None else str(row["owner"])

    def prune(self) -> int:
        """Forget every lapsed lease; return how many (housekeeping)."""
        with self._index.transaction() as db:
            return db.execute("DELETE FROM leases WHERE until <= ?", (iso(self._clock()),)).rowcount


def _take(index: Index, owner: str, now: datetime, name: str, seconds: float) -> bool:
    with index.transaction() as db:
        cursor = db.execute(
            "INSERT INTO leases (name, owner, until) VALUES (?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until "
            "WHERE leases.until <= ? OR leases.owner = ?",
            (name, owner, iso(now + timedelta(seconds=seconds)), iso(now), owner),
        )
        return cursor.rowcount == 1


def _renew(index: Index, owner: str, now: datetime, names: list[str], seconds: float) -> set[str]:
    if not names:
        return set()
    until = iso(now + timedelta(seconds=seconds))
    held = set()
    with index.transaction() as db:
        for name in names:
            cursor = db.execute(
                "UPDATE leases SET until = ? WHERE name = ? AND owner = ?", (until, name, owner)
            )
            if cursor.rowcount == 1:
                held.add(name)
    return held


def _release(index: Index, owner: str, name: str) -> None:
    with index.transaction() as db:
        db.execute("DELETE FROM leases WHERE name = ? AND owner = ?", (name, owner))
