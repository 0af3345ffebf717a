"""Sends are queued by what they are: a briefing reply after any command's reply in its chat."""

from __future__ import annotations

from bot.telegram.limiter import PriorityRateLimiter
from bot.telegram.send_windows import Priority, Ticket
from tests.briefings import fixture
from tests.harness import USER, Bot


async def test_briefing_replies_queue_as_briefings_and_command_replies_as_replies(
    bot: Bot,
) -> None:
    limiter = bot.app.bot.rate_limiter
    assert isinstance(limiter, PriorityRateLimiter)
    seen: list[Priority] = []
    enqueue = limiter.budget.enqueue

    def recording(priority: Priority, chat_id: int | str) -> Ticket:
        if chat_id == USER:
            seen.append(priority)
        return enqueue(priority, chat_id)

    limiter.budget.enqueue = recording  # type: ignore[method-assign]
    bot.tg.user_message(USER, USER, fixture("korea.txt"), forward_origin=bot.tg.origin_channel())
    await bot.replies(USER, 1)
    briefing = [p for p in seen if p is not Priority.ACTION]
    assert briefing == [Priority.BRIEFING]  # "typing…" aside, the reply is a briefing's
    seen.clear()
    bot.tg.command(USER, USER, "help")
    await bot.replies(USER, 2)
    assert seen == [Priority.REPLY]
