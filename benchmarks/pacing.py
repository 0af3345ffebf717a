"""Per-chat pacing: the longest wait of 20 quick commands after a burst of 30 briefing replies.

Run: python -m benchmarks pacing [--wire 0.03] [--before]

The bot's own limiter (`PriorityRateLimiter`, real clock, real event loop) in front of a
stand-in for the Bot API that answers each send after `--wire` seconds. One private chat:
30 briefing replies are queued at once; then a user sends 20 commands in a row, each 50 ms
after the previous one was answered. Two cases: the commands start while the briefings are
still queued ("during"), and once they have all gone ("after"). `--before` measures the
limiter as it was: a 10-per-10-s window per private chat, commands queued like briefings.

Then a group, on a simulated clock (Telegram's 20 a minute makes it minutes of real time):
the send budget alone, each send answered at once. 30 briefing replies are queued at once
(a burst of forwards), then members send a command every 10 s, five in all; 20 commands in
a row would meet Telegram's own 20 a minute whatever the bot did. `--before` there has no
slots of the group's minute kept for command replies.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from bot.telegram.limiter import PriorityRateLimiter
from bot.telegram.send_windows import Limits, Priority, SendBudget, Ticket, Window

CHAT, GROUP = 42, -1001234500001
GROUP_COMMANDS, GROUP_THINK_S = 5, 10.0
BRIEFINGS, COMMANDS, THINK_S = 30, 20, 0.05


async def _case(*, start_after_briefings: bool, wire: float, before: bool) -> list[float]:
    limiter = PriorityRateLimiter()
    if before:
        limiter.budget._chats[CHAT] = Window(10, 10.0)  # noqa: SLF001 - the old per-chat window

    async def telegram(**_: Any) -> bool:
        await asyncio.sleep(wire)
        return True

    async def send(priority: Priority) -> float:
        asked = time.monotonic()
        await limiter.process_request(telegram, (), {}, "sendMessage", {"chat_id": CHAT}, priority)
        return time.monotonic() - asked - wire  # the wait for a slot, not the wire

    briefing = Priority.REPLY if before else Priority.BRIEFING
    burst = [asyncio.create_task(send(briefing)) for _ in range(BRIEFINGS)]
    if start_after_briefings:
        await asyncio.gather(*burst)
    else:
        await asyncio.sleep(0.5)  # the first replies are out; the rest are queued
    waits = []
    for _ in range(COMMANDS):
        await asyncio.sleep(THINK_S)
        waits.append(await send(Priority.REPLY))
    await asyncio.gather(*burst)
    await limiter.shutdown()
    return waits


def _group_case(*, start_after_briefings: bool, before: bool) -> list[float]:
    now = [0.0]
    # Before: no slots of the group's minute kept back for command replies.
    budget = SendBudget(Limits(reply_group_reserve=0) if before else Limits(), lambda: now[0])

    def until_sent(ticket: Ticket) -> None:
        while ticket.granted is None:
            granted, wake = budget.dispatch()
            for sent in granted:
                budget.finish(sent)  # answered at once: only the pacing is measured
            if ticket.granted is None and wake is not None:
                now[0] = max(now[0], wake)

    briefing = Priority.REPLY if before else Priority.BRIEFING
    burst = [budget.enqueue(briefing, GROUP) for _ in range(BRIEFINGS)]
    if start_after_briefings:
        until_sent(burst[-1])
    else:
        for sent in budget.dispatch()[0]:  # the first replies go out at once
            budget.finish(sent)
    waits = []
    for _ in range(GROUP_COMMANDS):
        now[0] += GROUP_THINK_S
        asked = now[0]
        until_sent(command := budget.enqueue(Priority.REPLY, GROUP))
        waits.append(now[0] - asked if command.granted else float("inf"))
    return waits


def _print(name: str, waits: list[float]) -> None:
    waits = sorted(waits)
    print(
        f"  {len(waits)} commands {name} a burst of {BRIEFINGS} briefings: "
        f"longest wait {waits[-1]:.2f} s, median {waits[len(waits) // 2]:.2f} s, "
        f"{sum(w > 1.5 for w in waits)} over 1.5 s"
    )


def main(argv: list[str] | None = None) -> None:
    """Measure both cases and print the longest and median waits."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks pacing")
    parser.add_argument("--wire", type=float, default=0.03, help="seconds Telegram takes to answer")
    parser.add_argument("--before", action="store_true", help="the old 10-per-10-s window")
    args = parser.parse_args(argv)
    label = "before (10 per 10 s window)" if args.before else "GCRA pacing, commands first"
    print(f"pacing, one private chat, {label}:")
    for name, after in (("during", False), ("after", True)):
        _print(
            name,
            asyncio.run(_case(start_after_briefings=after, wire=args.wire, before=args.before)),
        )
    group = "before (nothing kept for commands)" if args.before else "5 of 20 kept for commands"
    print(f"pacing, one group, simulated clock, {group}:")
    for name, after in (("during", False), ("after", True)):
        _print(name, _group_case(start_after_briefings=after, before=args.before))


if __name__ == "__main__":
    main()
