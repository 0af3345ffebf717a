"""One attempt at a job, as the runner hands it to the handler of the job's kind."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.briefing.facts import UpdateFacts
    from bot.jobs.pending import Job

# Gives a failed job's quota slot back to its sender (at most once). Awaited: on PostgreSQL
# the slot is a row, deleted on the database thread, and every caller is async anyway.
Refund = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Attempt:
    """What an attempt knows beyond its job: a restart delayed it, how to refund its sender."""

    resumed: bool  # answered after a restart: the reply apologises for the delay
    refund: Refund  # given at most once, whichever path gives it
    facts: UpdateFacts | None = None  # what its update learnt (a cache hit), if answered in it
    redelivery: bool = False  # its work was done; only its reply did not get through

    @property
    def counted(self) -> bool:
        """Tell whether this attempt is not to be counted (again)."""
        # Counted as its job was added (a cached article); or a redelivery: an outage is not
        # a crash the job may have caused, so it must not bring the job nearer giving up.
        return self.redelivery or (self.facts is not None and self.facts.cached)


class JobHandler(Protocol):
    """Answer one kind of job: do its work, deliver its reply, mark it done."""

    async def __call__(self, job: Job, attempt: Attempt) -> None:
        """Answer the job (raising leaves the apology and closing to the runner)."""
        ...
