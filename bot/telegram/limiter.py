"""The send rate limiter: Telegram's limits; command replies, briefings, digests, chat actions.

Why our own BaseRateLimiter and not AIORateLimiter configured differently: AIORateLimiter
has one FIFO token bucket per scope and no notion of priority, so a "typing…" that arrived
first takes the slot a reply needs (in a group, the reply then waits a whole slot), and
its buckets either space every message evenly (capacity 1) or burst to twice the rate
(aiolimiter's default capacity), which Telegram answers with 429. The windows and the
grant order live in `send_windows.py` (pure, tested with a fake clock); this module only parks
each request until `SendBudget.dispatch` grants it, and retries Telegram's 429s.

A request's priority is PTB's per-call `rate_limit_args` (a `Priority`), else the
`send_priority` context variable (set around briefing replies and digest delivery), else
by method: chat actions are `ACTION`, everything else a `REPLY` (an answer to a command or
a button, which goes before the chat's queued briefings).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import math
import time
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.runtime.loop_turns import take_turn
from bot.telegram.send_windows import Limits, Priority, SendBudget, Ticket

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]
send_priority: contextvars.ContextVar[Priority | None] = contextvars.ContextVar(
    "send_priority", default=None
)


def send_limits(messages_per_second: float) -> Limits:
    """Return the default limits with TELEGRAM_MESSAGES_PER_SECOND as the overall window."""
    count = max(1, round(messages_per_second))
    burst = max(1, math.ceil(count / 4) + 1)  # a quarter second's share, plus one
    return Limits(overall=count, overall_span_s=count / messages_per_second, overall_burst=burst)


@contextlib.contextmanager
def sending_as(priority: Priority) -> Iterator[None]:
    """Send everything in this block (and tasks it starts) with `priority`."""
    token = send_priority.set(priority)
    try:
        yield
    finally:
        send_priority.reset(token)


class PriorityRateLimiter(BaseRateLimiter[Priority]):
    """Keep Telegram's limits; replies first, digests next, chat actions only with headroom."""

    def __init__(
        self,
        limits: Limits | None = None,
        *,
        max_retries: int = 5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.budget = SendBudget(limits or Limits(), clock)
        self._clock = clock
        self._max_retries = max_retries
        self._waiters: dict[int, asyncio.Future[bool]] = {}
        self._timer: asyncio.TimerHandle | None = None

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Stop the wake-up timer."""
        if self._timer is not None:
            self._timer.cancel()

    def action_has_room(self, chat_id: int | str) -> bool:
        """Tell whether a chat action could go now without delaying any reply."""
        return self.budget.action_has_room(chat_id)

    async def process_request(  # noqa: PLR0917 - PTB calls it positionally
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,  # noqa: ANN401 - PTB passes whatever the endpoint takes
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Priority | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Wait for a slot by priority, send, and retry Telegram's 429s."""
        chat_id = data.get("chat_id")
        if chat_id is None:  # getUpdates, answerCallbackQuery…: not per-chat messages
            return await callback(*args, **kwargs)
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)
        priority = rate_limit_args if rate_limit_args is not None else send_priority.get()
        if priority is None:
            priority = Priority.ACTION if endpoint == "sendChatAction" else Priority.REPLY
        for attempt in range(self._max_retries + 1):
            ticket = await self._acquire(priority, chat_id)
            if not ticket.granted:
                return True  # a chat action skipped: cosmetic, and Telegram answers True too
            try:
                # A quarter second's grants come at once: their requests are built one per
                # loop iteration, not all in one (bot/runtime/loop_turns.py).
                await take_turn()
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if priority is Priority.ACTION or attempt == self._max_retries:
                    raise
                wait = exc.retry_after
                seconds = wait if isinstance(wait, int | float) else wait.total_seconds()
                log.info("Telegram asked to wait %.1f s in chat %s", seconds, chat_id)
                self.budget.penalise(chat_id, seconds + 0.1)
            finally:
                # Answered (or failed): only now does the send's window start, see send_windows.py.
                self.budget.finish(ticket)
                self._pump()
        raise AssertionError  # pragma: no cover - the loop returns or raises

    async def _acquire(self, priority: Priority, chat_id: int | str) -> Ticket:
        ticket = self.budget.enqueue(priority, chat_id)
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiters[ticket.seq] = future
        self._pump()
        try:
            await future
        except asyncio.CancelledError:
            self.budget.cancel(ticket)
            self._waiters.pop(ticket.seq, None)
            if ticket.granted:  # granted, then cancelled before it was sent
                self.budget.finish(ticket)
            raise
        return ticket

    def wake(self) -> None:
        """Grant what the clock now allows (the timer calls this; tests call it by hand)."""
        self._pump()

    def _pump(self) -> None:
        granted, wake = self.budget.dispatch()
        for ticket in granted:
            self._resolve(ticket)
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if wake is not None:
            delay = max(0.0, wake - self._clock())
            self._timer = asyncio.get_running_loop().call_later(delay, self._pump)

    def _resolve(self, ticket: Ticket) -> None:
        future = self._waiters.pop(ticket.seq, None)
        if future is not None and not future.done():
            future.set_result(bool(ticket.granted))
