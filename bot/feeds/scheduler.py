"""Polling each source on its own: bounded overall and per host, never two polls of one source."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar
from urllib.parse import urlsplit

from bot.feeds.follows_store import FeedSource

log = logging.getLogger(__name__)
R = TypeVar("R")


def host_of(url: str) -> str:
    """Return the host a source is fetched from (its per-host slot)."""
    return (urlsplit(url).hostname or "").lower()


class PollScheduler(Generic[R]):
    """Start due sources' polls as tasks; a slow one holds its own slots only, never a tick.

    A source already being polled is not started again. A poll first waits for its host's
    slot, then for an overall one, so sources queued behind a busy host never hold the slots
    other hosts could use.
    """

    def __init__(
        self,
        poll: Callable[[FeedSource], Awaitable[R]],
        *,
        concurrency: Callable[[], int],
        per_host: Callable[[], int],
    ) -> None:
        self._poll = poll
        self._per_host = per_host
        self._gate = asyncio.Semaphore(concurrency())
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._host_users: dict[str, int] = {}
        self.in_flight: dict[int, asyncio.Task[R]] = {}

    def start(self, due: list[FeedSource]) -> list[asyncio.Task[R]]:
        """Start a poll for each due source not in flight; return the tasks started."""
        started = []
        for source in due:
            if source.id in self.in_flight:
                continue
            task = asyncio.ensure_future(self._run(source))
            self.in_flight[source.id] = task
            task.add_done_callback(functools.partial(self._done, source.id))
            started.append(task)
        return started

    def _done(self, source_id: int, _task: asyncio.Task[R]) -> None:
        self.in_flight.pop(source_id, None)

    async def _run(self, source: FeedSource) -> R:
        host = host_of(source.url)
        gate = self._hosts.get(host)
        if gate is None:
            gate = self._hosts[host] = asyncio.Semaphore(self._per_host())
        self._host_users[host] = self._host_users.get(host, 0) + 1
        try:
            async with gate, self._gate:
                return await self._poll(source)
        finally:
            self._host_users[host] -= 1
            if not self._host_users[host]:  # forget idle hosts: the map stays small
                del self._host_users[host], self._hosts[host]

    async def aclose(self) -> None:
        """Cancel the polls in flight and wait for them to end."""
        tasks = list(self.in_flight.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
