"""A job's replies go out here; a reply the chat refuses closes its job as rejected."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.jobs.pending import Job, PendingStore
from bot.jobs.port import Button, Replies
from bot.render.briefing_html import render_error
from bot.store.briefing_cache import ArticleTexts

log = logging.getLogger(__name__)

SORRY = "⏳ <i>Sorry for the delay: I was restarted while working on this.</i>"
NOT_DELIVERED = "I couldn't deliver that briefing here."
WENT_WRONG = "Sorry, something went wrong on my side while briefing this."


@dataclass
class Outbox:
    """Deliver a job's replies through the port; close the job when one is refused."""

    replies: Replies
    pending: PendingStore
    texts: ArticleTexts
    # The reply of each job the network would not take (the runner answers it again later).
    undelivered: dict[int, str] = field(default_factory=dict)

    async def deliver(
        self, job: Job, html: str, *, button: Button | None = None
    ) -> list[int] | None:
        """Send a job's reply; its message ids, None: still pending, []: refused (closed)."""
        sent = await self.replies.send(job, html, button=button)
        if sent is None:
            self.undelivered[job.id] = html  # redelivered later without its button
            return None
        self.undelivered.pop(job.id, None)
        if sent == []:
            # Refused as it is: retrying the same message cannot help.
            await self.apologise(job, None, NOT_DELIVERED)
            await self.texts.settled()  # the job holds its text until done
            await self.pending.done_off_loop(job.id, now(), "rejected")
        return sent

    async def apologise(self, job: Job, error_id: str | None, text: str | None = None) -> None:
        """Tell the chat (never a channel's subscribers) that the job failed."""
        if not job.silent:
            await self.replies.notice(job, render_error(text or WENT_WRONG, error_id))


def resumed_prefix(resumed: bool) -> str:
    """Return the apology that heads a reply delayed by a restart."""
    return f"{SORRY}\n\n" if resumed else ""


def now() -> datetime:
    """Return the time a job is marked done."""
    return datetime.now(UTC)
