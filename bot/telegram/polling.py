"""The bot object: getUpdates a page at a time, confirming only updates whose handling finished.

Pages: getUpdates hands out up to 100 updates by default, and python-telegram-bot turns all
of them into `Update` objects in one go on the event loop: ~20 ms for 100 forwarded articles,
the longest the loop was held in a burst once the handlers themselves take turns. Asking for
25 at a time holds it ~5 ms per answer; the rest are fetched at once by the next call (the
long poll returns immediately while updates are waiting), so nothing waits longer.

Confirmation: Telegram forgets every update below the `offset` of a getUpdates call, and PTB
asks for the next offset right after queueing a page, before any handler ran: a kill -9 lost
every update handed out and not yet stored (97-605 of 1,000 in a burst). So the offset sent
is lowered to the oldest update still being handled (`Handouts`); Telegram hands those out
again; they are dropped from the answer unparsed (PTB has them). After a crash the
next start receives them again. While one is being handled, Telegram answers at once instead
of long-polling, so a call that brought nothing new waits for a handler to finish (at most
REPOLL_S) before the next one.

PTB's ApplicationBuilder cannot be told to pass `limit`, so the bot is built here, with
exactly the requests and settings the builder would give it, and handed to the builder.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Defaults, ExtBot
from telegram.request import HTTPXRequest

from bot.telegram.limiter import PriorityRateLimiter, send_limits

log = logging.getLogger(__name__)

UPDATES_PER_POLL = 25
MAX_PER_CALL = 100  # Telegram's cap on getUpdates' limit
# Updates handed out and left unconfirmed at most: with a page on top, one answer's worth.
# One handler stuck behind more than this many is let go (confirmed): new updates must fit.
WINDOW = MAX_PER_CALL - UPDATES_PER_POLL
# Updates being handled at most before the next page is fetched: beyond it a burst waits at
# Telegram, where a crash cannot lose it, rather than in PTB's queue.
BACKLOG = 50
# The longest a call that brought nothing new waits for a handler to finish: how late an
# update sent while another is being handled may be fetched.
REPOLL_S = 0.5


class Handouts:
    """Updates handed to PTB by getUpdates, and those whose handling has not finished."""

    def __init__(self) -> None:
        self.unfinished: set[int] = set()
        self.highest = 0  # the newest update handed out: anything at or below it is dropped
        self.sent_offset = 0  # the last offset Telegram was given: it confirmed all below
        self._handed: list[int] = []  # ids handed out and not yet confirmed, ascending
        self.repeats = 0  # updates in the last answer PTB already had
        self._again: set[int] = set()  # unfinished, to be handed out again (handle_again)
        self._finished = asyncio.Event()

    def drop_repeats(self, answer: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Drop from a getUpdates answer, still JSON, the updates PTB already has."""
        new = [
            u for u in answer if int(u["update_id"]) > self.highest or u["update_id"] in self._again
        ]
        self.repeats = len(answer) - len(new)
        return new

    def hand_out(self, update_ids: Iterable[int]) -> None:
        """Note updates given to PTB: unconfirmed until finished."""
        for update_id in update_ids:
            if update_id in self._again:  # handed out before, never confirmed: in _handed
                self._again.discard(update_id)
                continue
            self._handed.append(update_id)  # ascending: only ids above `highest` come here
            self.unfinished.add(update_id)
            self.highest = update_id

    def handle_again(self, update_id: int) -> None:
        """Keep an update unconfirmed and hand it out again: its handler lost the database.

        Telegram sends it again with the next answer (the offset stays at or below it), so
        it is handled again once the database is back, not lost nor apologised for.
        """
        if update_id in self.unfinished:
            self._again.add(update_id)

    def finish(self, update_id: int) -> None:
        """Note an update handled (whatever came of it): it may be confirmed."""
        if update_id in self._again:
            return  # to be handled again: still unfinished
        if update_id in self.unfinished:
            self.unfinished.discard(update_id)
            self._finished.set()

    def offset(self, asked: int) -> int:
        """Lower `asked` to the oldest unfinished update that fits WINDOW, if any."""
        floor = asked
        for update_id in sorted(self.unfinished):
            if len(self._handed) - bisect.bisect_left(self._handed, update_id) <= WINDOW:
                floor = min(floor, update_id)
                break
            log.warning("update %d still being handled: let go so new ones fit", update_id)
        return floor

    def confirm_below(self, offset: int) -> None:
        """Forget what Telegram confirms when given `offset`."""
        self.sent_offset = offset
        del self._handed[: bisect.bisect_left(self._handed, offset)]
        self.unfinished = {u for u in self.unfinished if u >= offset}
        self._again = {u for u in self._again if u >= offset}

    def window(self) -> int:
        """How many updates handed out are still unconfirmed: each answer repeats them."""
        return len(self._handed)

    def arm(self) -> None:
        """Start watching for a finish: one from now on ends the next `settle`."""
        self._finished.clear()

    async def settle(self, seconds: float) -> None:
        """Wait until a handler finished since `arm`, for at most `seconds`."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._finished.wait(), seconds)


class PagedBot(ExtBot[Any]):
    """An ExtBot whose getUpdates pages, and never confirms an update still being handled."""

    __slots__ = ("handouts",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        super().__init__(*args, **kwargs)
        with self._unfrozen():  # PTB freezes its objects once built
            self.handouts = Handouts()

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:  # noqa: ANN401
        """Fetch updates as PTB does, a page at a time, leaving unfinished ones unconfirmed."""
        if len(args) < 2 and kwargs.get("limit") is None:  # noqa: PLR2004 - (offset, limit)
            kwargs["limit"] = UPDATES_PER_POLL
        if args or kwargs.get("offset") is None:  # not PTB's polling loop: as asked
            return await super().get_updates(*args, **kwargs)
        handouts = self.handouts
        # The Updater's last call at stop (timeout 0, as a timedelta) must not wait.
        timeout = kwargs.get("timeout")
        seconds = timeout.total_seconds() if isinstance(timeout, timedelta) else timeout
        waits = seconds is None or seconds > 0
        if waits and len(handouts.unfinished) >= BACKLOG:
            handouts.arm()
            await handouts.settle(REPOLL_S)
            return ()
        offset = handouts.offset(int(kwargs["offset"]))
        kwargs["offset"] = offset
        kwargs["limit"] = min(MAX_PER_CALL, int(kwargs["limit"]) + handouts.window())
        handouts.arm()
        new = await super().get_updates(**kwargs)  # repeats dropped unparsed: _post
        handouts.confirm_below(offset)
        handouts.hand_out(u.update_id for u in new)
        if handouts.repeats and not new and waits:
            # Telegram answered at once with updates PTB already has: wait for one to finish.
            await handouts.settle(REPOLL_S)
        return new

    async def _post(self, endpoint: str, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
        result = await super()._post(endpoint, *args, **kwargs)
        if endpoint == "getUpdates" and isinstance(result, list):
            # Parsing an update costs ~0.2 ms of the event loop: only new ones are.
            return self.handouts.drop_repeats(result)
        return result

    async def shutdown(self) -> None:
        """Confirm what finished since the Updater's last call, then close as ExtBot does."""
        handouts = self.handouts
        offset = handouts.offset(handouts.highest + 1)
        if handouts.highest and offset > handouts.sent_offset:
            try:
                await super().get_updates(offset=offset, limit=1, timeout=0)
                handouts.confirm_below(offset)
            except TelegramError as exc:  # handed out again at the next start: said in the log
                log.warning("could not confirm updates below %d at shutdown: %s", offset, exc)
        await super().shutdown()


def build_bot(token: str, base_url: str, messages_per_second: float) -> PagedBot:
    """Build the bot as ApplicationBuilder would (256 pooled connections, 2 for polling)."""
    return PagedBot(
        token=token,
        base_url=base_url,
        base_file_url=base_url.removesuffix("/bot") + "/file/bot",
        # Every reply quotes the message it answers, in private chats too (PTB quotes only in
        # groups by default): with several articles in flight the user sees which failed.
        defaults=Defaults(do_quote=True, allow_sending_without_reply=True),
        # Telegram's own windows, replies before digests before chat actions (limiter.py).
        rate_limiter=PriorityRateLimiter(send_limits(messages_per_second)),
        request=HTTPXRequest(connection_pool_size=256),
        # Two: the Updater's last call at stop (which confirms what finished) must not wait
        # for the cancelled long poll to give its connection back; on a loaded machine that
        # took longer than the pool's timeout, and the confirmation was lost (CI, PG mode).
        get_updates_request=HTTPXRequest(connection_pool_size=2),
    )
