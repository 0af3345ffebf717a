"""The memoised `SendBudget.dispatch` grants exactly what the straightforward one granted."""

from __future__ import annotations

import heapq
import random

import pytest

from bot.telegram.send_windows import Limits, Priority, SendBudget, Ticket


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class ReferenceBudget(SendBudget):
    """`SendBudget` with the dispatch as it was before the memo (kept verbatim)."""

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
        for ticket in sorted(self._queue):
            chat = self.chat(ticket.chat_id)
            if ticket.priority is Priority.ACTION:
                expires = ticket.enqueued + lim.action_max_wait_s
                # Never the last slots of a window: those are for the replies to come.
                ready = max(
                    self.overall.free_at(now, action_keep),
                    self.burst.free_at(now, self._burst_keep),
                    chat.free_at(now, self._reserve(ticket.chat_id)),
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
                ready = max(self.overall.free_at(now), self.burst.free_at(now), chat.free_at(now))
            if ready <= now:
                for window in (self.overall, self.burst, chat):
                    window.in_flight += 1  # until `finish`: see the module docstring
                ticket.granted = True
                done.append(ticket)
                continue
            if ticket.priority is not Priority.ACTION:
                overall_starved |= max(self.overall.free_at(now), self.burst.free_at(now)) > now
                starved_chats.add(ticket.chat_id)
            waiting.append(ticket)
            wake = ready if wake is None else min(wake, ready)
        self._queue = waiting
        heapq.heapify(self._queue)
        return done, wake


def _grants(tickets: list[Ticket]) -> list[tuple[int, bool | None]]:
    return [(t.seq, t.granted) for t in tickets]


@pytest.mark.parametrize("seed", range(6))
def test_memoised_dispatch_grants_what_the_reference_granted(seed: int) -> None:
    # A burst like the benchmark's: replies, digests and chat actions for private chats and
    # groups, sends answered after random time on the wire, a 429 now and then.
    rng = random.Random(seed)
    limits = Limits(overall=28, overall_burst=8, private_interval_s=1.0, private_burst=3)
    clock = Clock()
    new, old = SendBudget(limits, clock), ReferenceBudget(limits, clock)
    chats: list[int | str] = [-100, -101, "@channel", *range(1, 50)]
    on_wire: list[tuple[float, int, Ticket, Ticket]] = []  # (answered at, seq, new's, old's)
    pending: list[tuple[Ticket, Ticket]] = []
    granted_total = 0
    for _ in range(3000):
        clock.now += rng.choice((0.0, 0.0, 0.001, 0.01, 0.05, 0.3))
        while on_wire and on_wire[0][0] <= clock.now:
            _, _, a, b = heapq.heappop(on_wire)
            new.finish(a)
            old.finish(b)
        roll = rng.random()
        if roll < 0.45:
            priority = rng.choice(
                (Priority.REPLY, Priority.REPLY, Priority.DIGEST, Priority.ACTION)
            )
            chat = rng.choice(chats)
            pending.append((new.enqueue(priority, chat), old.enqueue(priority, chat)))
        elif roll < 0.47 and pending:
            a, b = pending.pop(rng.randrange(len(pending)))
            new.cancel(a)
            old.cancel(b)
        elif roll < 0.48:
            chat_or_all = rng.choice([None, *chats])
            new.penalise(chat_or_all, 2.0)
            old.penalise(chat_or_all, 2.0)
        got_new, wake_new = new.dispatch()
        got_old, wake_old = old.dispatch()
        assert _grants(got_new) == _grants(got_old)
        assert wake_new == wake_old
        assert [t.seq for t in new._queue] == [t.seq for t in sorted(old._queue)]
        for a, b in zip(got_new, got_old, strict=True):
            if a.granted:
                granted_total += 1
                wire = rng.uniform(0.0, 0.2)
                heapq.heappush(on_wire, (clock.now + wire, a.seq, a, b))
    assert new.dropped_actions == old.dropped_actions
    assert granted_total > 500  # the windows were exercised, not just queued into
