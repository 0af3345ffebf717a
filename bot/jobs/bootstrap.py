"""Compose the job runner: the port, the outbox and the handler of each kind of job."""

from __future__ import annotations

from collections.abc import Callable

from bot.jobs.attempt import JobHandler
from bot.jobs.briefs import BriefJobs
from bot.jobs.degraded import DegradedReplies
from bot.jobs.outbox import Outbox
from bot.jobs.overviews import OverviewJobs
from bot.jobs.pending import JobKind, PendingStore
from bot.jobs.port import Replies
from bot.jobs.runner import JobRunner
from bot.services import Services


def job_runner(
    services: Services,
    replies: Replies,
    pending: PendingStore,
    degraded: DegradedReplies,
    *,
    show_unverified: bool,
    fetched: Callable[[int], None] | None = None,
) -> JobRunner:
    """Build the runner that answers every kind of job through `replies`.

    `fetched(job_id)` is told when a link's fetch is over (hosts.py gives its slot back).
    """
    outbox = Outbox(replies, pending, services.texts)
    briefs = BriefJobs(services, outbox, degraded, show_unverified=show_unverified)
    if fetched is not None:
        briefs.fetched = fetched
    handlers: dict[JobKind, JobHandler] = {
        JobKind.TEXT: briefs,
        JobKind.LINK: briefs,
        JobKind.DOCUMENT: briefs,
        JobKind.OVERVIEW: OverviewJobs(services, outbox),
    }
    return JobRunner(outbox, handlers)
