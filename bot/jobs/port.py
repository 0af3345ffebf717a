"""The sending port: what the job life cycle needs from a chat, implemented by telegram/.

Jobs decide what to send and when a job is done; the port only speaks to the chat. Like the
feeds' `Notifier`, it keeps the life cycle free of the Bot API, so its errors arrive here
translated: a chat that refuses the bot is a `ChatClosedError`.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Protocol

from bot.errors import BriefbotError

if TYPE_CHECKING:
    from bot.jobs.pending import Job


class ChatClosedError(BriefbotError):
    """The chat refuses the bot's messages (the user blocked it, or it left the group)."""


class FetchRefusedError(BriefbotError):
    """A link or document that yields no article; `html` is the reply that says why."""

    def __init__(self, html: str, detail: str) -> None:
        super().__init__(detail)
        self.html = html
        self.detail = detail  # for /stats and the job's outcome: which kind of failure


Button = tuple[str, str]  # an inline button under a reply: its text and its callback data


class Replies(Protocol):
    """Where a job's replies go: threaded to the message that asked, in its topic."""

    async def send(self, job: Job, html: str, *, button: Button | None = None) -> list[int] | None:
        """Send a job's reply, retrying a failing network; None: not now, []: refused.

        `button` (its text, its callback data) goes under the reply's last part.
        """
        ...

    async def notice(self, job: Job, html: str) -> None:
        """Send a short threaded notice (an apology) if the chat takes it; never raises."""
        ...

    async def edit(self, job: Job, message_ids: list[int], html: str) -> None:
        """Replace earlier replies in place with `html`; what does not fit follows them."""
        ...

    def typing(self, job: Job, *, lazy: bool = False) -> AbstractAsyncContextManager[None]:
        """Show "typing…" while a block runs; `lazy`: only once it has taken a while."""
        ...

    async def download(self, job: Job, file_id: str) -> bytes:
        """Download a document's bytes; FetchRefusedError says why it cannot be."""
        ...
