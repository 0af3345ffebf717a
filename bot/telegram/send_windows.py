"""Telegram's send limits, granted by priority (pure: no asyncio, no I/O).

Telegram counts messages per window (about 30 a second overall, 20 a minute per group)
and tolerates short bursts inside a window: sliding windows of the same length and limit
as Telegram's allow exactly the bursts Telegram allows and nothing more. A private chat is
asked for about one message a second with short bursts: it is paced smoothly instead
(chat_pace.py), since a window there lets a burst through and then stalls the next reply
for most of the window.

A send holds its slot from the moment it is granted until Telegram has answered it, and
only then starts its `span`: Telegram counts a message at some instant between the two,
so whatever the jitter on the wire or in our own process, any `span` of Telegram's clock
sees at most `limit` of them. (Counting from the grant instead lets a slow send and the
next window's burst land inside one of Telegram's windows: 429s under load.)

Who gets a free slot is decided here, in priority order: replies to what someone just
asked (commands, buttons), then briefing replies, then digest sends, then chat actions.
In a group, where Telegram allows 20 a minute, the last few of those are kept for replies
to commands: a burst of briefings there cannot make the next /who wait for the minute.
Chat actions are cosmetic, so they also leave headroom: they wait while any reply or
digest is queued, never take the last slots of a window, and are dropped when they could
not be sent soon (a late "typing…" is worse than none).
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum

from bot.telegram.chat_pace import Pace


class Priority(IntEnum):
    """Who goes first when slots are scarce (lower first)."""

    REPLY = 0  # an answer to what someone just asked: a command, a button
    BRIEFING = 1  # a job's briefing reply: a burst of forwards must not hold up a /who
    DIGEST = 2
    ACTION = 3


@dataclass(frozen=True)
class Limits:
    """Telegram's limits, with our margins, and the chat actions' headroom rules."""

    overall: int = 25  # per overall_span_s; Telegram's is about 30 a second
    overall_span_s: float = 1.0
    # And at most this many per quarter second: a whole second's sends granted in one
    # instant reach Telegram bunched or straggling under load, and a straggler from one
    # second plus the next second's burst make a 429. Short bursts stay allowed.
    overall_burst: int = 8
    overall_burst_span_s: float = 0.25
    group: int = 20  # per group_span_s, Telegram's per-group limit
    # A second longer than Telegram's minute: our clock starts a send before Telegram's
    # does, and jitter on the wire must not squeeze a 21st message into its minute.
    group_span_s: float = 61.0
    # The last slots of a group's minute are for replies to commands and buttons: a burst of
    # forwards (or a feed) in a group took all 20, and the next /who waited up to a minute.
    reply_group_reserve: int = 5
    # About one a second per private chat, refilled continuously (chat_pace.py); a
    # briefing's parts and its "typing…" go out at once: Telegram tolerates short bursts.
    private_interval_s: float = 1.0
    private_burst: int = 3
    # Chat actions may only use this share of the overall window and must leave this many
    # slots of a chat's window free for the replies that follow them.
    action_overall_share: float = 0.6
    action_group_reserve: int = 10
    action_private_reserve: int = 1
    action_max_wait_s: float = 1.5


@dataclass
class Window:
    """Sends within the last `span` seconds; room while fewer than `limit`."""

    limit: int
    span: float
    hits: deque[float] = field(default_factory=deque)  # when each finished send was answered
    in_flight: int = 0  # granted, not answered yet: they hold their slot until answered
    blocked_until: float = 0.0  # after a 429: Telegram's retry_after

    def used(self, now: float) -> int:
        """Count the sends still inside the window (those in flight included)."""
        while self.hits and self.hits[0] <= now - self.span:
            self.hits.popleft()
        return len(self.hits) + self.in_flight

    def free_at(self, now: float, keep: int = 0) -> float:
        """Return when a send leaving `keep` slots free fits (now if it does already).

        When only a send still in flight could free the slot, the earliest that can be is a
        span after its answer, were it to come now (the answer also wakes the limiter).
        """
        used, allowed = self.used(now), self.limit - keep
        if allowed <= 0:
            return math.inf  # nothing to spare at all
        must_leave = used - allowed + 1  # the oldest finished sends leave first
        if must_leave <= 0:
            at = now
        elif must_leave <= len(self.hits):
            at = self.hits[must_leave - 1] + self.span
        else:
            at = now + self.span
        return max(at, self.blocked_until)

    def finish(self, now: float) -> None:
        """Count a granted send as answered now: its window starts here."""
        self.in_flight = max(0, self.in_flight - 1)
        self.hits.append(now)


@dataclass(order=True)
class Ticket:
    """One send waiting for a slot."""

    priority: Priority
    seq: int
    chat_id: int | str = field(compare=False)
    enqueued: float = field(compare=False)
    granted: bool | None = field(default=None, compare=False)  # None: still waiting


class _Looks:
    """`window.free_at(now, keep)`, worked out once per window and `keep` until `clear`.

    A burst queues hundreds of sends behind the same few windows: `dispatch` asked each
    window the same question once per queued send. Only a grant changes the answers.
    """

    def __init__(self, now: float) -> None:
        self._now = now
        self._seen: dict[tuple[int, int], float] = {}

    def __call__(self, window: Window | Pace, keep: int = 0) -> float:
        key = (id(window), keep)
        at = self._seen.get(key)
        if at is None:
            at = self._seen[key] = window.free_at(self._now, keep)
        return at

    def clear(self) -> None:
        """Forget every answer (a grant has just taken a slot)."""
        self._seen.clear()


def _is_group(chat_id: int | str) -> bool:
    """Tell a group or channel (a negative id, or an @username) from a private chat."""
    return not isinstance(chat_id, int) or chat_id < 0


def _order(ticket: Ticket) -> tuple[int, int]:
    """Sort key: the same order as the tickets' own, compared in C rather than in Python."""
    return ticket.priority, ticket.seq


class SendBudget:
    """Grant queued sends slots in Telegram's windows, highest priority first."""

    def __init__(self, limits: Limits, clock: Callable[[], float]) -> None:
        self.limits, self._clock = limits, clock
        self.overall = Window(limits.overall, limits.overall_span_s)
        self.burst = Window(limits.overall_burst, limits.overall_burst_span_s)
        self._chats: dict[int | str, Window | Pace] = {}
        self._queue: list[Ticket] = []
        self._seq = itertools.count()
        self.dropped_actions = 0

    def chat(self, chat_id: int | str) -> Window | Pace:
        """Return the chat's window or pace (groups and channels by Telegram's negative ids)."""
        window = self._chats.get(chat_id)
        if window is None:
            group = _is_group(chat_id)
            lim = self.limits
            window = (
                Window(lim.group, lim.group_span_s)
                if group
                else Pace(lim.private_interval_s, lim.private_burst)
            )
            self._chats[chat_id] = window
        return window

    @property
    def _burst_keep(self) -> int:
        # Nor the last of a quarter second's slots: a reply arriving next would wait for
        # the next quarter (this was the 250 ms tail of a new article's reply).
        lim = self.limits
        return lim.overall_burst - int(lim.overall_burst * lim.action_overall_share)

    def _reserve(self, chat_id: int | str) -> int:
        group = _is_group(chat_id)
        return self.limits.action_group_reserve if group else self.limits.action_private_reserve

    def _reply_reserve(self, ticket: Ticket) -> int:
        replying = ticket.priority is Priority.REPLY
        return 0 if replying or not _is_group(ticket.chat_id) else self.limits.reply_group_reserve

    def enqueue(self, priority: Priority, chat_id: int | str) -> Ticket:
        """Queue a send; `dispatch` decides when it may go."""
        ticket = Ticket(priority, next(self._seq), chat_id, self._clock())
        heapq.heappush(self._queue, ticket)
        return ticket

    def action_has_room(self, chat_id: int | str) -> bool:
        """Tell whether a chat action could go now without eating into a reply's slots."""
        now = self._clock()
        if any(t.priority < Priority.ACTION for t in self._queue):
            return False
        keep = self.limits.overall - int(self.limits.overall * self.limits.action_overall_share)
        return (
            max(self.overall.free_at(now, keep), self.burst.free_at(now, self._burst_keep)) <= now
            and self.chat(chat_id).free_at(now, self._reserve(chat_id)) <= now
        )

    def penalise(self, chat_id: int | str | None, retry_after: float) -> None:
        """Hold a chat (or everything) back as long as Telegram's 429 asked."""
        until = self._clock() + retry_after
        window = self.overall if chat_id is None else self.chat(chat_id)
        window.blocked_until = max(window.blocked_until, until)

    def dispatch(self) -> tuple[list[Ticket], float | None]:
        """Grant every ticket that may go now; return them and when to look again."""
        now = self._clock()
        done: list[Ticket] = []
        waiting: list[Ticket] = []
        wake: float | None = None
        lim = self.limits
        action_keep = lim.overall - int(lim.overall * lim.action_overall_share)
        overall_starved = False  # a reply or digest waits for the overall window
        starved_chats: set[int | str] = set()  # ... or for its own chat's window
        free_at = _Looks(now)
        for ticket in sorted(self._queue, key=_order):
            chat = self.chat(ticket.chat_id)
            if ticket.priority is Priority.ACTION:
                expires = ticket.enqueued + lim.action_max_wait_s
                # Never the last slots of a window: those are for the replies to come.
                ready = max(
                    free_at(self.overall, action_keep),
                    free_at(self.burst, self._burst_keep),
                    free_at(chat, self._reserve(ticket.chat_id)),
                )
                # Postponed while a reply waits for the same window; looked at again by expiry.
                starved = overall_starved or ticket.chat_id in starved_chats
                if starved:
                    ready = max(ready, expires)
                late = ready > now and (now >= expires or ready > expires)
                if late or (starved and now >= expires):
                    ticket.granted = False  # a late "typing…" is worse than none
                    self.dropped_actions += 1
                    done.append(ticket)
                    continue
                if starved:
                    ready = max(ready, now + 1e-3)
            else:
                keep = self._reply_reserve(ticket)
                ready = max(free_at(self.overall), free_at(self.burst), free_at(chat, keep))
            if ready <= now:
                for window in (self.overall, self.burst, chat):
                    window.in_flight += 1  # until `finish`: see the module docstring
                free_at.clear()
                ticket.granted = True
                done.append(ticket)
                continue
            if ticket.priority is not Priority.ACTION:
                overall_starved |= max(free_at(self.overall), free_at(self.burst)) > now
                starved_chats.add(ticket.chat_id)
            waiting.append(ticket)
            wake = ready if wake is None else min(wake, ready)
        self._queue = waiting  # in order already, so already a heap
        return done, wake

    def finish(self, ticket: Ticket) -> None:
        """Count a granted send as answered (or failed) now: its windows start here."""
        now = self._clock()
        for window in (self.overall, self.burst, self.chat(ticket.chat_id)):
            window.finish(now)

    def cancel(self, ticket: Ticket) -> None:
        """Forget a ticket whose sender gave up."""
        if ticket in self._queue and ticket.granted is None:
            self._queue.remove(ticket)
            heapq.heapify(self._queue)
