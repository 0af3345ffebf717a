"""A private chat's pacing: smooth, one a second after a short burst, commands first."""

from __future__ import annotations

import pytest

from bot.telegram.chat_pace import Pace
from bot.telegram.send_windows import Limits, Priority, SendBudget, Ticket

PRIVATE = 42


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _grant_and_answer(b: SendBudget) -> tuple[list[Ticket], float | None]:
    """Grant what may go now, each send answered at once (no time on the wire)."""
    done: list[Ticket] = []
    while True:
        granted, wake = b.dispatch()
        for ticket in granted:
            b.finish(ticket)
        done += granted
        if not granted:
            return done, wake


def test_a_burst_goes_at_once_then_one_a_second() -> None:
    pace, now = Pace(interval=1.0, burst=3), 1000.0
    sent: list[float] = []
    for _ in range(6):
        at = pace.free_at(now)
        now = max(now, at)
        pace.in_flight += 1
        pace.finish(now)
        sent.append(now)
    assert sent == [1000.0, 1000.0, 1000.0, 1001.0, 1002.0, 1003.0]


def test_the_bucket_refills_continuously_not_all_at_once() -> None:
    pace = Pace(interval=1.0, burst=3)
    for _ in range(3):
        pace.in_flight += 1
        pace.finish(1000.0)
    assert pace.free_at(1000.0) == pytest.approx(1001.0)
    # A window would hold the fourth until the first slides out; the pace frees one a second.
    assert pace.free_at(1001.5) == pytest.approx(1001.5)
    pace.in_flight += 1
    pace.finish(1001.5)
    assert pace.free_at(1001.5) == pytest.approx(1002.0)


def test_a_send_in_flight_holds_its_place_until_answered() -> None:
    pace = Pace(interval=1.0, burst=2)
    pace.in_flight = 2
    assert pace.free_at(1000.0) == pytest.approx(1001.0)  # only an answer can make room
    pace.finish(1000.4)  # its interval counts from the answer, not from the grant
    assert pace.free_at(1000.4) == pytest.approx(1001.4)
    pace.finish(1000.4)
    assert pace.free_at(1000.4) == pytest.approx(1001.4)
    assert pace.free_at(1001.4, keep=1) == pytest.approx(1002.4)


def test_a_reserve_as_large_as_the_burst_never_fits() -> None:
    assert Pace(interval=1.0, burst=2).free_at(5.0, keep=2) == float("inf")


def test_no_command_waits_much_over_a_second_after_a_burst_of_briefings() -> None:
    # The stall: 30 briefing replies, then 20 quick /who in a row in the same chat.
    # A 10-per-10-s window answered every fifth or sixth after ~9.5 s.
    clock = Clock()
    b = SendBudget(Limits(), clock)
    briefings = [b.enqueue(Priority.BRIEFING, PRIVATE) for _ in range(30)]
    _grant_and_answer(b)
    waits: list[float] = []
    for _ in range(20):
        clock.now += 0.05  # the user reads the answer and asks again
        asked = clock.now
        command = b.enqueue(Priority.REPLY, PRIVATE)
        while True:
            _granted, wake = _grant_and_answer(b)
            if command.granted:
                break
            assert wake is not None
            clock.now = wake
        waits.append(clock.now - asked)
    assert max(waits) <= 1.0 + 1e-9
    assert sum(t.granted is True for t in briefings) < 30  # the commands went first


def test_a_command_overtakes_the_chats_queued_briefings() -> None:
    clock = Clock()
    b = SendBudget(Limits(), clock)
    queued = [b.enqueue(Priority.BRIEFING, PRIVATE) for _ in range(5)]
    _grant_and_answer(b)
    command = b.enqueue(Priority.REPLY, PRIVATE)
    clock.now += 1.0
    granted, _ = _grant_and_answer(b)
    assert granted == [command]
    clock.now += 1.0
    assert _grant_and_answer(b)[0] == [queued[3]]


def test_a_private_chat_never_gets_more_than_its_burst_plus_one_a_second() -> None:
    clock = Clock()
    b = SendBudget(Limits(), clock)
    for n in range(40):
        b.enqueue(Priority.BRIEFING if n % 3 else Priority.REPLY, PRIVATE)
    instants: list[float] = []
    wake: float | None = clock.now
    while wake is not None:
        clock.now = wake
        granted, wake = _grant_and_answer(b)
        instants += [clock.now] * len(granted)
    assert len(instants) == 40
    for start in instants:
        for span in (0.5, 1.0, 5.0, 10.0):
            inside = sum(start <= at < start + span for at in instants)
            assert inside <= 3 + span  # the burst, then one a second


def test_one_chats_paced_burst_never_holds_up_another_chat() -> None:
    clock = Clock()
    b = SendBudget(Limits(), clock)
    for _ in range(30):
        b.enqueue(Priority.BRIEFING, PRIVATE)
    _grant_and_answer(b)
    clock.now += 0.2
    other = b.enqueue(Priority.BRIEFING, PRIVATE + 1)  # queued behind 27 of the first chat's
    granted, _ = _grant_and_answer(b)
    assert granted == [other]
