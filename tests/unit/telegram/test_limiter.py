"""The send limiter: Telegram's windows, and replies before digests before chat actions."""

from __future__ import annotations

import asyncio
import heapq
import random
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.telegram.limiter import PriorityRateLimiter, send_limits, sending_as
from bot.telegram.send_windows import Limits, Priority, SendBudget, Ticket

GROUP, PRIVATE, OTHER = -100123, 42, 43


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def budget(**limits: Any) -> tuple[SendBudget, Clock]:
    limits.setdefault("overall_burst", 1000)  # the quarter-second cap has its own test
    clock = Clock()
    return SendBudget(Limits(**limits), clock), clock


def dispatch(b: SendBudget) -> tuple[list[Ticket], float | None]:
    """Grant what may go now, each send answered at once (no time on the wire)."""
    done: list[Ticket] = []
    while True:
        granted, wake = b.dispatch()
        for ticket in granted:
            if ticket.granted:
                b.finish(ticket)
        done += granted
        if not any(t.granted for t in granted):
            return done, wake


def test_a_burst_within_telegrams_window_goes_at_once_not_spaced() -> None:
    b, clock = budget(overall=25, overall_burst=8)
    tickets = [b.enqueue(Priority.REPLY, chat) for chat in range(1, 27)]
    granted, wake = dispatch(b)
    assert len(granted) == 8  # a short burst at once, not one message every 40 ms
    assert wake == pytest.approx(clock.now + 0.25)
    for _ in range(3):
        clock.now += 0.25
        granted, wake = dispatch(b)
    assert sum(t.granted is True for t in tickets) == 25  # the second's 25, in four bursts
    assert tickets[25].granted is None
    clock.now += 0.25
    assert dispatch(b)[0] == [tickets[25]]  # the first send has left the 1 s window


def test_a_group_gets_twenty_a_minute_then_waits_for_the_window() -> None:
    b, clock = budget()
    tickets = [b.enqueue(Priority.REPLY, GROUP) for _ in range(21)]
    granted, wake = dispatch(b)
    assert len(granted) == 20
    assert wake == pytest.approx(clock.now + 61.0)  # a second of margin over Telegram's minute
    clock.now += 61.0
    assert dispatch(b)[0] == [tickets[20]]


def test_briefings_in_a_group_leave_the_minute_s_last_slots_to_command_replies() -> None:
    b, clock = budget()
    briefings = [b.enqueue(Priority.BRIEFING, GROUP) for _ in range(30)]
    digest = b.enqueue(Priority.DIGEST, GROUP)
    assert sum(bool(t.granted) for t in dispatch(b)[0]) == 15  # 20 a minute, 5 kept back
    commands = [b.enqueue(Priority.REPLY, GROUP) for _ in range(6)]
    granted, wake = dispatch(b)
    assert granted == commands[:5]  # at once, though briefings were queued first
    assert wake == pytest.approx(clock.now + 61.0)
    clock.now += 61.0
    granted, _ = dispatch(b)
    assert granted[0] is commands[5]  # still first in the new minute
    assert granted[1:] == briefings[15:29] and digest.granted is None


def test_a_group_never_gets_more_than_twenty_in_any_61_seconds() -> None:
    b, clock = budget()
    sent: list[float] = []
    for n in range(60):
        b.enqueue(Priority.REPLY if n % 3 == 0 else Priority.BRIEFING, GROUP)
    while len(sent) < 60:
        granted, wake = dispatch(b)
        sent += [clock.now] * sum(bool(t.granted) for t in granted)
        clock.now = wake if wake is not None else clock.now + 1.0
    assert max(sum(t <= at < t + 61.0 for at in sent) for t in sent) == 20


def test_a_reply_queued_behind_chat_actions_is_sent_first() -> None:
    b, clock = budget(overall=4, action_overall_share=1.0)
    for chat in range(4):  # the window is full
        b.enqueue(Priority.REPLY, 100 + chat)
    dispatch(b)
    actions = [b.enqueue(Priority.ACTION, chat) for chat in (1, 2, 3)]
    reply = b.enqueue(Priority.REPLY, 4)
    clock.now += 1.0  # the window empties
    granted, _ = dispatch(b)
    assert granted[0] is reply
    assert all(a.granted in {True, False} for a in actions)


def test_a_reply_goes_before_a_digest_send_that_waited_longer() -> None:
    b, clock = budget(overall=1)
    b.enqueue(Priority.REPLY, 1)
    dispatch(b)
    digest = b.enqueue(Priority.DIGEST, 2)
    reply = b.enqueue(Priority.REPLY, 3)
    clock.now += 1.0
    assert dispatch(b)[0] == [reply]
    clock.now += 1.0
    assert dispatch(b)[0] == [digest]


def test_chat_actions_never_take_the_group_slots_a_reply_needs() -> None:
    b, _clock = budget(group=4, action_group_reserve=2)
    first, second, third = (b.enqueue(Priority.ACTION, GROUP) for _ in range(3))
    dispatch(b)
    assert (first.granted, second.granted) == (True, True)
    assert third.granted is False  # dropped: the last two slots are the replies'
    replies = [b.enqueue(Priority.REPLY, GROUP) for _ in range(2)]
    dispatch(b)
    assert all(r.granted for r in replies)
    assert b.dropped_actions == 1


def test_chat_actions_leave_most_of_the_overall_window_to_replies() -> None:
    b, _clock = budget(overall=10, action_overall_share=0.6)
    actions = [b.enqueue(Priority.ACTION, chat) for chat in range(1, 11)]
    dispatch(b)
    assert sum(bool(a.granted) for a in actions) == 6
    replies = [b.enqueue(Priority.REPLY, chat) for chat in range(20, 24)]
    dispatch(b)
    assert all(r.granted for r in replies)


def test_a_chat_action_waits_while_a_reply_for_its_chat_is_queued_then_is_dropped() -> None:
    b, clock = budget(private_burst=1, private_interval_s=1.0, action_private_reserve=0)
    b.enqueue(Priority.REPLY, PRIVATE)
    dispatch(b)
    reply = b.enqueue(Priority.REPLY, PRIVATE)  # waits a second for the chat's window
    action = b.enqueue(Priority.ACTION, PRIVATE)
    dispatch(b)
    assert (reply.granted, action.granted) == (None, None)
    other = b.enqueue(Priority.ACTION, OTHER)  # another chat's action is not held back
    dispatch(b)
    assert other.granted is True
    clock.now += 1.0
    dispatch(b)
    assert reply.granted is True  # the reply took the slot the action was waiting for
    assert action.granted is False  # and the next one comes too late to show "typing…"


def test_action_room_is_refused_while_a_reply_waits() -> None:
    b, clock = budget(overall=2, action_overall_share=0.5)
    b.enqueue(Priority.REPLY, 1)
    dispatch(b)
    assert not b.action_has_room(9)  # half the window is used: the rest is the replies'
    b.enqueue(Priority.REPLY, 2)
    b.enqueue(Priority.REPLY, 3)
    dispatch(b)
    clock.now += 1.0
    assert not b.action_has_room(9)  # the window is empty but a reply is queued
    dispatch(b)
    clock.now += 1.0
    assert b.action_has_room(9)


def test_a_429_holds_the_chat_back_as_long_as_telegram_asked() -> None:
    b, clock = budget()
    b.penalise(GROUP, 5.0)
    ticket = b.enqueue(Priority.REPLY, GROUP)
    _, wake = dispatch(b)
    assert ticket.granted is None
    assert wake == pytest.approx(clock.now + 5.0)
    clock.now += 5.0
    dispatch(b)
    assert ticket.granted is True


@pytest.mark.parametrize(
    ("rate", "count", "span", "burst"),
    [(25, 25, 1.0, 8), (28, 28, 1.0, 8), (0.5, 1, 2.0, 2), (2.5, 2, 0.8, 2), (100, 100, 1.0, 26)],
)
def test_the_setting_becomes_the_overall_window(
    rate: float, count: int, span: float, burst: int
) -> None:
    limits = send_limits(rate)
    assert limits.overall == count
    assert limits.overall_span_s == pytest.approx(span)
    assert limits.overall_burst == burst  # a quarter second's share (rounded up), plus one


async def test_a_send_is_tried_six_times_then_telegrams_429_is_raised() -> None:
    clock = Clock()
    limiter = PriorityRateLimiter(clock=clock)
    texts: list[str] = []

    async def refused(chat: int, *, text: str) -> bool:
        texts.append(f"{chat}:{text}")
        raise RetryAfter(1)

    data = {"chat_id": str(PRIVATE)}  # PTB may give the id as a string
    task = asyncio.create_task(
        limiter.process_request(refused, (PRIVATE,), {"text": "hi"}, "sendMessage", data, None)
    )
    for _ in range(12):
        await _until(lambda: task.done() or len(texts) > 0)
        clock.now += 1.2  # past the 1 s Telegram asked for (and our 0.1 s margin)
        limiter.wake()
        await asyncio.sleep(0)
    with pytest.raises(RetryAfter):
        await task
    assert texts == [f"{PRIVATE}:hi"] * 6  # the first try and five retries, arguments intact
    # Not per-chat (no chat_id): straight through, arguments intact.

    async def updates(*, offset: int) -> list[dict[str, Any]]:
        return [{"update_id": offset}]

    got = await limiter.process_request(updates, (), {"offset": 7}, "getUpdates", {}, None)
    assert got == [{"update_id": 7}]
    await limiter.shutdown()


class _Calls:
    def __init__(self) -> None:
        self.order: list[str] = []

    def send(self, name: str) -> Any:
        async def callback() -> bool:
            self.order.append(name)
            return True

        return callback


async def _until(condition: Any) -> None:
    # Granted requests run on the next loop iterations; no wall-clock time is involved.
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("condition never held")


async def test_priority_comes_from_rate_limit_args_then_the_context_then_the_method() -> None:
    clock = Clock()
    limiter = PriorityRateLimiter(Limits(overall=1), clock=clock)
    calls = _Calls()

    async def request(name: str, endpoint: str, priority: Priority | None = None) -> Any:
        data = {"chat_id": len(calls.order) + 10 + len(name)}
        return await limiter.process_request(calls.send(name), (), {}, endpoint, data, priority)

    await request("first", "sendMessage")  # fills the window
    action = asyncio.create_task(request("action", "sendChatAction"))
    with sending_as(Priority.DIGEST):
        digest = asyncio.create_task(request("digest", "sendMessage"))
    explicit = asyncio.create_task(request("explicit-digest", "sendMessage", Priority.DIGEST))
    reply = asyncio.create_task(request("reply", "sendMessage"))
    await asyncio.sleep(0)
    for expected in (2, 3, 4):
        clock.now += 1.0
        limiter.wake()
        await _until(lambda n=expected: len(calls.order) >= n)
    assert calls.order == ["first", "reply", "digest", "explicit-digest"]
    clock.now += 1.0
    limiter.wake()
    assert await action is True  # skipped, no room to spare: cosmetic, never an error
    await asyncio.gather(digest, explicit, reply)
    await limiter.shutdown()


async def test_a_429_is_retried_after_the_wait_and_a_chat_action_is_not() -> None:
    clock = Clock()
    limiter = PriorityRateLimiter(clock=clock)
    attempts: list[str] = []

    async def flaky() -> bool:
        attempts.append("try")
        if len(attempts) == 1:
            raise RetryAfter(3)
        return True

    task = asyncio.create_task(
        limiter.process_request(flaky, (), {}, "sendMessage", {"chat_id": GROUP}, None)
    )
    await _until(lambda: len(attempts) == 1)
    for _ in range(5):
        await asyncio.sleep(0)
    assert attempts == ["try"]  # held back, not retried at once
    clock.now += 2.9  # not yet the 3 s Telegram asked for
    limiter.wake()
    for _ in range(5):
        await asyncio.sleep(0)
    assert attempts == ["try"]
    clock.now += 0.3
    limiter.wake()
    assert await task is True
    assert attempts == ["try", "try"]

    async def refused() -> bool:
        raise RetryAfter(3)

    with pytest.raises(RetryAfter):
        await limiter.process_request(refused, (), {}, "sendChatAction", {"chat_id": 5}, None)
    await limiter.shutdown()


def test_a_send_holds_its_slot_until_telegram_answers_it() -> None:
    b, clock = budget(overall=2)
    first, second, third = (b.enqueue(Priority.REPLY, chat) for chat in (1, 2, 3))
    granted, _ = b.dispatch()
    assert granted == [first, second]
    clock.now += 5.0  # still on the wire: Telegram may count them any moment now
    assert b.dispatch()[0] == []
    b.finish(first)
    granted, wake = b.dispatch()
    assert granted == []
    assert wake == pytest.approx(clock.now + 1.0)  # a whole window after the answer
    clock.now += 1.0
    assert b.dispatch()[0] == [third]


def _busiest(instants: list[float], span: float) -> int:
    ordered, most, start = sorted(instants), 0, 0
    for end, at in enumerate(ordered):
        while ordered[start] <= at - span:
            start += 1
        most = max(most, end - start + 1)
    return most


@pytest.mark.parametrize("seed", range(2))
def test_telegram_never_counts_more_than_the_limit_whatever_the_jitter(seed: int) -> None:
    # Each send spends a random 0-400 ms on the wire and in our process, and Telegram counts
    # it at a random instant in between: no second and no group minute of Telegram's may see
    # more than its limit (Telegram answers those with 429 "Too Many Requests").
    rng = random.Random(seed)
    b, clock = budget(overall=25, overall_burst=8)
    chats = [GROUP, GROUP - 1, *range(1, 60)]
    for _ in range(300):
        b.enqueue(Priority.REPLY if rng.random() < 0.8 else Priority.DIGEST, rng.choice(chats))
    answers: list[tuple[float, int, Ticket]] = []  # (answered at, tie-break, ticket)
    counted: dict[int | str, list[float]] = {}
    overall: list[float] = []
    wake: float | None = clock.now
    while wake is not None or answers:
        clock.now = min(x for x in (wake, answers[0][0] if answers else None) if x is not None)
        while answers and answers[0][0] <= clock.now:
            b.finish(heapq.heappop(answers)[2])
        granted, wake = b.dispatch()
        for ticket in granted:
            wire = rng.uniform(0.0, 0.4)
            at = clock.now + rng.uniform(0.0, wire)
            overall.append(at)
            counted.setdefault(ticket.chat_id, []).append(at)
            heapq.heappush(answers, (clock.now + wire, ticket.seq, ticket))
    assert len(overall) == 300
    assert _busiest(overall, 1.0) <= 25
    assert all(_busiest(counted[g], 60.0) <= 20 for g in (GROUP, GROUP - 1))


def test_chat_actions_leave_the_quarter_seconds_last_slots_to_replies() -> None:
    b, _ = budget(overall=100, overall_burst=4, action_overall_share=0.5)
    actions = [b.enqueue(Priority.ACTION, chat) for chat in range(1, 5)]
    assert dispatch(b)[0] == actions[:2]  # two of the quarter second's four, no more
    reply = b.enqueue(Priority.REPLY, 9)
    assert dispatch(b)[0] == [reply]
