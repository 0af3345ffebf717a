"""Fetches of one host at a time: a link job beyond its host's share waits, holding no worker.

A worker that takes a LINK job first takes a slot of the link's host; when the host has
FETCHES_PER_HOST fetches running, the job is parked instead and the worker goes on to the
next job. The slot is given back when the fetch is over (or the job ends), and the next
parked job of that host goes back into the queue. So a host that never answers ties up
FETCHES_PER_HOST workers at most, and every other host's links are answered meanwhile.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable
from typing import Generic, TypeVar
from urllib.parse import urlsplit

from bot.jobs.pending import Job, JobKind

Item = TypeVar("Item")


def host_of(job: Job) -> str | None:
    """Return the host a job fetches from (a link's), or None (text, documents, overviews)."""
    if job.kind is not JobKind.LINK or not job.ref:
        return None
    try:
        host = urlsplit(job.ref).hostname
    except ValueError:
        return None
    return host.lower().rstrip(".") if host else None


class HostSlots(Generic[Item]):
    """At most `per_host` fetches of one host at once; the rest parked, resumed in order."""

    def __init__(self, per_host: int) -> None:
        self._per_host = per_host
        self._busy: Counter[str] = Counter()
        self._held: dict[int, str] = {}  # job id → the host whose slot it holds
        self._parked: dict[str, deque[tuple[int, Item]]] = {}
        self.resume: Callable[[Item], None] = lambda _item: None  # the pool's queue

    def admit(self, job: Job, item: Item) -> bool:
        """Take a slot for the job's host and return True, or park `item` and return False."""
        host = host_of(job)
        if host is None or job.id in self._held:
            return True
        if self._busy[host] >= self._per_host:
            self._parked.setdefault(host, deque()).append((job.id, item))
            return False
        self._busy[host] += 1
        self._held[job.id] = host
        return True

    def release(self, job_id: int) -> None:
        """Give back the job's slot (if it holds one) and resume its host's next parked job."""
        host = self._held.pop(job_id, None)
        if host is None:
            return
        self._busy[host] -= 1
        if self._busy[host] <= 0:
            del self._busy[host]
        waiting = self._parked.get(host)
        if waiting:
            next_id, item = waiting.popleft()
            if not waiting:
                del self._parked[host]
            self._busy[host] += 1  # taken for it now, so no newcomer slips in between
            self._held[next_id] = host
            self.resume(item)

    @property
    def parked(self) -> int:
        """Return how many jobs wait for their host."""
        return sum(len(q) for q in self._parked.values())
