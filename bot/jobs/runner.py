"""The life cycle of a job: done or given up on, one more attempt, answered by its kind.

Handlers only validate an article and persist a job, then return, so no update slot is held
while an LLM thinks. A worker hands each job to `JobRunner.answer`, which decides whether it
is still worth answering, claims it (claims.py: with several processes on one database,
one answers it), counts the attempt, and runs the handler of its kind (a map given
at composition, so the kinds never import each other). A job is marked done only after its
reply was delivered; jobs left pending by a crash are resumed at start-up. A failure ends in
a threaded apology (or a job left pending for the next start), and the sender's quota slot
is given back, at most once, when nothing was delivered for it.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot.briefing.facts import UpdateFacts
from bot.jobs.attempt import Attempt, JobHandler, Refund
from bot.jobs.claims import JobClaims
from bot.jobs.outbox import Outbox, now
from bot.jobs.pending import Job, JobKind
from bot.jobs.port import ChatClosedError
from bot.logs import UpdateTrace, end_trace, log_update, start_trace
from bot.store.outage import lost

log = logging.getLogger(__name__)

# A job started this often without finishing may be what brings processes down: given up.
# Five, not three: with several processes one kill interrupts every job its process held
# (up to 4 x LLM_MAX_CONCURRENCY), and a restarted process takes the oldest jobs back first,
# so three kills in a minute gave up innocent jobs (tests/soak/test_processes.py).
MAX_JOB_ATTEMPTS = 5
# Seconds before a reply the network would not take is tried again (the worker's own retries
# came first), the last repeated; after them all the job waits for the next start-up.
REDELIVERY_DELAYS_S = (30.0, 60.0, 120.0, 300.0, 600.0, 900.0)
MAX_REDELIVERIES = 16  # about three and a half hours of an outage
GAVE_UP = "Sorry, I couldn't brief this: I tried several times and kept being interrupted."


@dataclass
class JobRunner:
    """Decide a job's life cycle and hand its work to the handler of its kind."""

    outbox: Outbox
    handlers: Mapping[JobKind, JobHandler]
    # Answer the job again after so many seconds (the worker pool's, set at composition).
    redeliver: Callable[[Job, float], None] = lambda _job, _delay: None
    # This process's claims on jobs; None: it answers whatever it is given (unit tests).
    claims: JobClaims | None = None
    _redeliveries: dict[int, int] = field(default_factory=dict)

    async def answer(
        self,
        job: Job,
        *,
        resumed: bool = False,
        trace: UpdateTrace | None = None,
        refund: Refund | None = None,
        facts: UpdateFacts | None = None,
        redelivery: bool = False,
    ) -> None:
        """Answer one job; never raises (a failure ends in a threaded reply or stays pending).

        `refund` gives the sender's rate-limit slot back when no full briefing came of it;
        `facts` are what the update that added it learnt (its cache hit, answered at once).
        """
        attempt = Attempt(resumed, _once(refund), facts, redelivery)
        token = start_trace(trace) if trace is not None else None  # finished here
        try:
            if not await self._claimed(job):
                return
            if await self._answer_logged(job, attempt):
                await self._retry_later(job)
        except asyncio.CancelledError:
            raise  # shutting down: the job stays pending and resumes at the next start
        except Exception:
            # Its failure path failed too (a full disk, a lock timeout): the job was not
            # marked done, so it stays pending for a later attempt, and the worker goes on.
            log.exception("job %s stays pending: answering it failed, and so did ending it", job.id)
            await self._let_go(job)
        finally:
            if trace is not None and token is not None:
                end_trace(token)
                log_update(trace)

    async def _claimed(self, job: Job) -> bool:
        """Claim the job for this process; False: another live process answers it."""
        if self.claims is None or await self.claims.claim(job.id):
            return True
        # Its refund, if any, is not given: the process answering it has none (docs/jobs.md).
        log.info("job %s: done already, or another process is answering it", job.id)
        return False

    async def _let_go(self, job: Job) -> None:
        """Give up this process's claim on a job left pending, so that it is answered again.

        Held, it would be renewed for as long as this process lives and answered by nobody.
        Let go of, the claim loop (this process's or another's) takes it again; if even that
        write fails, its lease is no longer renewed and lapses.
        """
        if self.claims is not None:
            await self.claims.let_go(job.id)

    async def _retry_later(self, job: Job) -> None:
        """Answer again later a job whose reply the network would not take, backing off."""
        if job.id not in self.outbox.undelivered or await self.outbox.pending.is_done_off_loop(
            job.id
        ):
            self._redeliveries.pop(job.id, None)  # delivered, or closed
            self.outbox.undelivered.pop(job.id, None)
            return
        tries = self._redeliveries.get(job.id, 0)
        if tries >= MAX_REDELIVERIES:
            log.warning("job %s: still not delivered; it waits for the next start", job.id)
            self._redeliveries.pop(job.id, None)
            self.outbox.undelivered.pop(job.id, None)
            return
        self._redeliveries[job.id] = tries + 1
        delay = REDELIVERY_DELAYS_S[min(tries, len(REDELIVERY_DELAYS_S) - 1)]
        log.info("job %s: reply not delivered; trying again in %.0f s", job.id, delay)
        self.redeliver(job, delay)

    async def _answer_logged(self, job: Job, attempt: Attempt) -> bool:
        """Answer the job, ending it on a failure; False: it stays pending, let go of."""
        pending, texts = self.outbox.pending, self.outbox.texts
        try:
            await self._answer(job, attempt)
        except asyncio.CancelledError:
            raise  # the job stays pending; `answer` lets it through too
        except ChatClosedError as exc:  # the user blocked the bot, or it left the group
            log.info("job %s: chat %s refuses messages (%s)", job.id, job.chat_id, exc)
            await texts.settled()  # the job holds its text until done
            await pending.done_off_loop(job.id, now(), "forbidden")
        except Exception as exc:
            if lost(exc):
                # The database went away (past DATABASE_RETRY_S, or under a call on the
                # loop): the job is not the problem, and an apology would lose the article.
                # It stays pending, and is answered again once the database is back.
                log.warning("job %s stays pending, to be answered again: the database went "
                            "away while answering it (%s)", job.id, exc)  # fmt: skip
                await self._let_go(job)
                return False
            error_id = uuid.uuid4().hex[:8]
            try:
                await self.outbox.apologise(job, error_id)
                await texts.settled()
                await pending.done_off_loop(job.id, now(), f"error {error_id}")
            except Exception:  # one line: its traceback carries the job's own failure
                log.exception("error %s while answering job %s; it stays pending, as ending "
                              "it failed too", error_id, job.id)  # fmt: skip
                await self._let_go(job)
                return False
            log.exception("error %s while answering job %s", error_id, job.id)
        else:
            return True
        await attempt.refund()  # nothing was delivered for it
        return True

    async def _answer(self, job: Job, attempt: Attempt) -> None:
        # Done already (a resume raced a live submit), or given up on.
        if await self.outbox.pending.is_done_off_loop(job.id) or await self._gave_up(
            job, attempt.refund
        ):
            return
        if not attempt.counted:
            await self.outbox.pending.attempt_off_loop(job.id)
        await self.handlers[job.kind](job, attempt)

    async def _gave_up(self, job: Job, refund: Refund) -> bool:
        if job.attempts < MAX_JOB_ATTEMPTS:
            return False
        # Started this often and never finished: it may be what brought the bot down.
        log.warning("job %s: giving up after %d attempts", job.id, job.attempts)
        await self.outbox.apologise(job, None, GAVE_UP)
        await self.outbox.pending.done_off_loop(job.id, now(), "gave up")
        await refund()
        return True


def _once(refund: Refund | None) -> Refund:
    """Wrap a refund so that it is given at most once, whichever path gives it."""
    owed = [refund] if refund is not None else []

    async def give() -> None:
        while owed:
            await owed.pop()()

    return give
