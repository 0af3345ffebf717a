"""Budgets and rate limits on PostgreSQL wait on the database off the event loop (issue 23).

Processes sharing a database keep their quotas, command windows and budget holds in it
(shared_limits.py, shared_budget.py); each check runs on the database thread, so a chat's
quota or an LLM call's reservation never holds every other chat for a round trip.
"""

from __future__ import annotations

from typing import Any

from tests.briefings import news, newsroom
from tests.fake_llm import FakeLLM, Reply
from tests.fake_telegram import FakeTelegram
from tests.harness import USER, running_bot
from tests.loop_watch import Watched, watch
from tests.postgres import libpq_url

# The modules that check, charge, refund and reserve (a caller is its three innermost bot
# frames outside the store, so a budget check's tokens read names shared_budget.py too).
LIMITS = (
    "ops/budget.py",
    "ops/shared_budget.py",
    "telegram/access.py",
    "telegram/command_limits.py",
    "telegram/command_windows.py",
    "telegram/links.py",
    "telegram/shared_limits.py",
)


def _on_loop(watched: Watched) -> list[str]:
    return [c for c in watched.callers() if any(module in c for module in LIMITS)]


async def test_an_articles_charge_refund_and_budget_wait_off_the_loop(
    tg: FakeTelegram, fake_llm: FakeLLM, make_settings, postgres_url: str
) -> None:
    fake_llm.responder = lambda _r: Reply(content="no briefing here")  # invalid, repaired too
    shared: dict[str, Any] = {
        "database_url": libpq_url(postgres_url),
        "user_rate_limit_per_hour": 2,
        "user_daily_token_budget": 10**6,  # set, so every call checks the booked tokens
        "global_daily_token_budget": 10**7,
    }
    async with running_bot(tg, fake_llm, make_settings, **shared) as bot:
        with watch() as on_loop:
            tg.user_message(USER, USER, news("harbour dispute"))
            await bot.replies(USER)  # extractive: the model failed, so the slot is given back
            fake_llm.responder = newsroom()
            for n, topic in enumerate(("grain exports", "rail strike", "port closure"), 2):
                tg.user_message(USER, USER, news(topic))
                await bot.replies(USER, n)
        replies = [str(m["text"]) for m in tg.sent_messages(USER)]
    assert "Made without the language model" in replies[0]
    assert not any("Made without" in reply for reply in replies[1:3])
    assert "Grain Exports" in replies[1] and "Rail Strike" in replies[2]
    assert replies[3].startswith("⏳")  # two an hour: the refunded one did not count
    assert fake_llm.calls >= 3  # every call reserved and released its budget hold
    assert _on_loop(on_loop) == []


async def test_a_command_window_is_counted_off_the_loop(
    tg: FakeTelegram, fake_llm: FakeLLM, make_settings, postgres_url: str
) -> None:
    url = libpq_url(postgres_url)
    shared: dict[str, Any] = {"database_url": url, "command_limits": "overview=1/60"}
    async with running_bot(tg, fake_llm, make_settings, **shared) as bot:
        with watch() as on_loop:
            for n in (1, 2):
                tg.command(USER, USER, "brief")
                await bot.replies(USER, n)
        first, refused = (str(m["text"]) for m in tg.sent_messages(USER))
    assert first.startswith("No briefed articles")
    assert refused == "⏳ /brief was asked a lot here lately. Please wait 1 hour."
    assert _on_loop(on_loop) == []
