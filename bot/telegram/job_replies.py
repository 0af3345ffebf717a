"""The jobs' sending port spoken in Telegram: threaded replies, edits, "typing…", downloads.

What to send and when a job is done is decided in bot/jobs/; this only talks to the Bot
API, retries a failing network, and turns Telegram's refusals into the port's answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.jobs.fetch import NOT_DOWNLOADED, TOO_BIG
from bot.jobs.pending import Job
from bot.jobs.port import ChatClosedError, FetchRefusedError
from bot.render.briefing_html import esc
from bot.render.split import split_html
from bot.telegram.replies import TYPING_AFTER_S, send_html, typing

log = logging.getLogger(__name__)

# Seconds between attempts to deliver a reply over a failing network; after the last one
# the job stays pending and is answered at the next start-up.
SEND_RETRY_DELAYS_S = (2.0, 10.0, 30.0)


@dataclass
class TelegramReplies:
    """Send, edit and download for jobs through the Bot API (the `Replies` port)."""

    bot: Bot
    retry_delays: tuple[float, ...] = SEND_RETRY_DELAYS_S
    typing_after_s: float = TYPING_AFTER_S  # a lazy "typing…" waits this long
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def send(
        self, job: Job, html: str, *, button: tuple[str, str] | None = None
    ) -> list[int] | None:
        """Send a job's reply, retrying a failing network; None: not now, []: refused."""
        markup = (
            InlineKeyboardMarkup([[InlineKeyboardButton(button[0], callback_data=button[1])]])
            if button
            else None
        )
        for delay in (*self.retry_delays, None):
            try:
                sent = await self._threaded(job, html, markup)
            except BadRequest as exc:
                # Telegram refuses this message as it is; retrying the same one cannot help.
                log.warning("job %s: Telegram refused the reply: %s", job.id, exc.message)
                return []
            except Forbidden as exc:
                raise ChatClosedError(exc.message) from exc
            except (NetworkError, RetryAfter) as exc:  # TimedOut too; BadRequest is above
                if delay is None:
                    log.warning("job %s: cannot send now (%s); stays pending", job.id, exc)
                    return None
                wait = _seconds(exc.retry_after) if isinstance(exc, RetryAfter) else delay
                log.warning("job %s: sending failed (%s); retrying in %.0f s", job.id, exc, wait)
                await self.sleep(wait)
            else:
                return [m.message_id for m in sent]
        return None  # pragma: no cover - the loop returns

    async def notice(self, job: Job, html: str) -> None:
        """Send a short threaded notice if the chat takes it; never raises for Telegram."""
        with contextlib.suppress(TelegramError):
            await self._threaded(job, html)

    async def _threaded(self, job: Job, html: str, markup: object = None) -> list[Message]:
        return await send_html(
            self.bot, job.chat_id, html, reply_to=job.reply_to, reply_markup=markup,
            message_thread_id=job.thread_id,
        )  # fmt: skip

    async def edit(self, job: Job, message_ids: list[int], html: str) -> None:
        """Edit earlier replies into `html`; what does not fit follows the last of them."""
        chat_id, chunks = job.chat_id, split_html(html)
        for message_id, chunk in zip(message_ids, chunks, strict=False):
            try:
                await self.bot.edit_message_text(
                    chunk, chat_id, message_id, parse_mode=ParseMode.HTML
                )
            except TelegramError as exc:  # deleted, too old to edit: the new reply stands
                log.info("could not upgrade message %s in %s: %s", message_id, chat_id, exc)
                return
        if len(chunks) > len(message_ids):
            with contextlib.suppress(TelegramError):
                rest = "\n\n".join(chunks[len(message_ids) :])
                await send_html(
                    self.bot,
                    chat_id,
                    rest,
                    reply_to=message_ids[-1],
                    message_thread_id=job.thread_id,
                )

    @contextlib.asynccontextmanager
    async def typing(self, job: Job, *, lazy: bool = False) -> AsyncIterator[None]:
        """Show "typing…" while a block runs; `lazy`: only once it has taken a while."""
        after = self.typing_after_s if lazy else 0.0
        async with typing(self.bot, job.chat_id, job.thread_id, after=after):
            yield

    async def download(self, job: Job, file_id: str) -> bytes:
        """Download a document's bytes; FetchRefusedError says why it cannot be."""
        try:
            file = await self.bot.get_file(file_id)
            return bytes(await file.download_as_bytearray())
        except Forbidden as exc:  # the chat refuses us: nobody to tell
            raise ChatClosedError(exc.message) from exc
        except TelegramError as exc:
            log.warning("job %s: could not download a document: %s", job.id, exc)
            big = "too big" in str(exc).lower()
            raise FetchRefusedError(esc(TOO_BIG if big else NOT_DOWNLOADED), "download") from None


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
