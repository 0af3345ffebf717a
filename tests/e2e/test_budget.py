"""Daily token budgets: estimates reserve, real figures book, concurrency can't slip through."""

from __future__ import annotations

import asyncio
import json
import math
import re
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import pytest

from bot.articles.text import make_article
from bot.briefing.facts import UpdateFacts
from bot.config import Settings
from bot.errors import LLMInvalidOutputError
from bot.llm.client import OpenAIAdapter
from bot.models import BriefingDraft, Usage
from bot.ops.budget import (
    REPAIR_NOTE_TOKENS,
    BudgetExceededError,
    TokenBudget,
    estimate_tokens,
    worst_case_tokens,
)
from bot.ops.stats import LLM, Events
from bot.services import Services, build_services
from bot.store.index import Index
from tests.briefings import echo_briefing, fixture, korea_briefing
from tests.conftest import SleepRecorder
from tests.fake_llm import FakeLLM, Reply, Request
from tests.harness import USER, Bot, running_bot

USER_A, USER_B = 501, 502


_TOKEN = re.compile(r"\w+|[^\w\s]")


def server_tokens(text: str) -> int:
    """Count tokens as a server might (words and punctuation), not as the bot estimates them."""
    return len(_TOKEN.findall(text))


def honest(request: Request) -> Reply:
    """Answer like echo_briefing, reporting the usage the server counted (its own tokenizer)."""
    reply = echo_briefing(request)
    reply.prompt_tokens = sum(server_tokens(m["content"]) for m in request.body["messages"])
    reply.completion_tokens = server_tokens(json.dumps(reply.content))
    return reply


def same_size_articles(count: int) -> list[str]:
    # Equal lengths give equal estimates, so "a budget for 10" is exact.
    return [
        f"Harbour {i:03d} update\n\n" + f"Harbour {i:03d} officials reported detail. " * 12
        for i in range(count)
    ]


@pytest.fixture
def budget_services(
    make_settings: Callable[..., Settings], sleeps: SleepRecorder
) -> Callable[..., AsyncIterator[Services]]:
    async def build(**overrides: object) -> AsyncIterator[Services]:
        settings = make_settings(**overrides)
        built = build_services(settings, llm=OpenAIAdapter(settings, sleep=sleeps))
        try:
            yield built
        finally:
            await built.aclose()

    return build


async def _booked_for(services: Services, text: str) -> int:
    # What one article's call is booked at (the server's usage): briefed once, unbudgeted.
    before = services.events.tokens_since(datetime(2000, 1, 1, tzinfo=UTC))
    await services.briefing.brief(make_article(text))
    return services.events.tokens_since(datetime(2000, 1, 1, tzinfo=UTC)) - before


async def test_fifty_concurrent_articles_with_a_budget_for_ten_let_ten_through(
    fake_llm: FakeLLM, budget_services
) -> None:
    fake_llm.responder = honest
    texts = same_size_articles(51)
    async for probe in budget_services():
        booked = await _booked_for(probe, texts[50])
        max_output = probe.settings.llm_max_output_tokens
    request = fake_llm.requests[-1]
    # What MeteredLLM reserves before the call: a quarter of the characters, the longest answer,
    # and the same again (with that answer) for the repair round.
    per_article = worst_case_tokens(request.system, request.user, BriefingDraft, max_output)
    assert booked < per_article  # the estimate is on the safe side of what the server counts
    budget = 10 * per_article + per_article // 2
    fake_llm.requests.clear()
    async for services in budget_services(user_daily_token_budget=budget):
        results = await asyncio.gather(
            *(
                services.briefing.brief(
                    make_article(t), UpdateFacts(chat_id=USER_A, user_id=USER_A), fallback=False
                )
                for t in texts[:50]
            ),
            return_exceptions=True,
        )
        refused = [r for r in results if isinstance(r, BudgetExceededError)]
        briefed = [r for r in results if not isinstance(r, BaseException)]
        assert len(briefed) == 10
        assert len(refused) == 40
        assert fake_llm.calls == 10
        spent = services.events.tokens_since(services.budget.day_bounds()[0], user_id=USER_A)
        assert spent == 10 * booked  # booked at the server's figures, not the estimates
        # Another user has a budget of their own; cache hits cost nothing, even when over.
        await services.briefing.brief(
            make_article(texts[0]), UpdateFacts(chat_id=USER_B, user_id=USER_B)
        )
        again = await services.briefing.brief(make_article(texts[0]), UpdateFacts(user_id=USER_A))
        assert again.cached


async def test_global_budget_stops_everyone_and_says_whose_budget(
    fake_llm: FakeLLM, budget_services
) -> None:
    fake_llm.responder = honest
    texts = same_size_articles(3)
    async for services in budget_services(global_daily_token_budget=1):
        with pytest.raises(BudgetExceededError) as caught:
            await services.briefing.brief(
                make_article(texts[0]), UpdateFacts(user_id=USER_A), fallback=False
            )
        assert caught.value.scope == "global"
        assert "the bot's shared daily budget of 1 LLM tokens" in caught.value.user_message
        assert fake_llm.calls == 0


async def test_tokens_of_an_answer_that_failed_repair_are_booked(
    fake_llm: FakeLLM, budget_services
) -> None:
    bad = Reply(content={"headline": "missing everything"}, prompt_tokens=700, completion_tokens=30)
    fake_llm.script(bad, Reply(**{**bad.__dict__, "prompt_tokens": 900}))
    async for services in budget_services():
        with pytest.raises(LLMInvalidOutputError) as caught:
            await services.briefing.brief(
                make_article(fixture("korea.txt")), UpdateFacts(user_id=USER_A), fallback=False
            )
        assert caught.value.usage == Usage(prompt_tokens=1600, completion_tokens=60, calls=2)
        day = services.budget.day_bounds()[0]
        assert services.events.tokens_since(day, user_id=USER_A) == 1660
        row = services.index.connection.execute(
            "SELECT detail FROM events WHERE kind = ?", (LLM,)
        ).fetchone()
        assert row[0] == "briefing:LLMInvalidOutputError"


async def test_digest_calls_count_against_the_budget(fake_llm: FakeLLM, services) -> None:
    fake_llm.script(Reply(content=korea_briefing()))
    article = make_article(fixture("korea.txt"))
    services.index.record_chat_article(USER_A, article.content_hash, message_id=1,
                                       received_at=datetime.now(UTC), title=None, source=None)  # fmt: skip
    await services.briefing.brief(article, UpdateFacts(chat_id=USER_A))
    fake_llm.script(
        Reply(
            content={"headline": "H", "themes": [], "notable_stances": [], "closing": "C"},
            prompt_tokens=4000,
            completion_tokens=400,
        )
    )
    now = datetime.now(UTC)
    assert await services.digests.build(USER_A, since=now.replace(year=now.year - 1), until=now)
    day = services.budget.day_bounds()[0]
    assert services.events.tokens_since(day) == 150 + 4400
    purposes = [r[0] for r in services.index.connection.execute("SELECT detail FROM events")]
    assert "digest" in purposes


@pytest.mark.parametrize(
    ("zone", "now", "start", "reset"),
    [
        ("UTC", "2026-03-10T15:00+00:00", "2026-03-10T00:00+00:00", "2026-03-11T00:00+00:00"),
        ("Asia/Tokyo", "2026-03-10T16:00+00:00", "2026-03-11T00:00+09:00",
         "2026-03-12T00:00+09:00"),
        # Paris leaves summer time on 2026-10-25: that day has 25 hours.
        ("Europe/Paris", "2026-10-25T12:00+00:00", "2026-10-25T00:00+02:00",
         "2026-10-26T00:00+01:00"),
    ],
)  # fmt: skip
def test_budget_days_follow_budget_tz(
    make_settings, services, zone: str, now: str, start: str, reset: str
) -> None:
    settings = make_settings(budget_tz=zone, user_daily_token_budget=10)
    budget = TokenBudget(settings, services.events, clock=lambda: datetime.fromisoformat(now))
    got = budget.day_bounds()
    assert (got[0], got[1]) == (datetime.fromisoformat(start), datetime.fromisoformat(reset))


def test_refusal_names_the_budget_and_when_it_resets() -> None:
    now = datetime(2026, 3, 10, 19, 30, tzinfo=UTC)
    error = BudgetExceededError("user", 20_000, datetime(2026, 3, 11, tzinfo=UTC), now)
    assert error.user_message.startswith("your daily budget of 20,000 LLM tokens is used up.")
    assert "resets at 00:00 UTC (in about 5 h)" in error.user_message


def test_estimate_is_a_quarter_of_the_characters_rounded_up() -> None:
    assert [estimate_tokens("x" * n) for n in (0, 1, 4, 5, 4000)] == [0, 1, 1, 2, 1000]
    assert math.ceil(10 / 4) == estimate_tokens("y" * 10)


async def test_over_budget_user_gets_a_clear_reply_in_telegram(tg, fake_llm, make_settings) -> None:
    fake_llm.responder = honest
    async with running_bot(tg, fake_llm, make_settings, user_daily_token_budget=50) as bot:
        bot_: Bot = bot
        bot_.tg.user_message(USER, USER, fixture("korea.txt"))
        [reply] = await bot_.replies(USER)
        assert "your daily budget of 50 LLM tokens is used up" in reply["text"]
        assert "resets at 00:00 UTC" in reply["text"]
        assert fake_llm.calls == 0


def test_reservations_and_bookings_by_hand(
    make_settings: Callable[..., Settings], tmp_path
) -> None:
    settings = make_settings(user_daily_token_budget=100, global_daily_token_budget=250)
    index = Index(tmp_path / "budget.sqlite3")
    events = Events(index)
    budget = TokenBudget(settings, events)
    first = budget.reserve(1, 60)
    other = budget.reserve(2, 100)  # exactly a user's limit: allowed
    with pytest.raises(BudgetExceededError) as caught:
        budget.reserve(1, 41)  # 60 + 41 > 100
    assert caught.value.scope == "user"
    last = budget.reserve(1, 40)  # 60 + 40 = 100
    with pytest.raises(BudgetExceededError) as caught:
        budget.reserve(3, 51)  # 200 set aside: 251 > 250
    assert caught.value.scope == "global"
    budget.release(budget.reserve(3, 50))  # exactly the global limit; given back at once
    budget.release(first)
    budget.release(budget.reserve(1, 60))  # user 1 has 40 set aside again, not 100
    # What a call really cost is booked for its user; it counts for that user only.
    events.record_llm("briefing", "m", Usage(prompt_tokens=80, completion_tokens=10, calls=1),
                      user_id=2, chat_id=2, ms=1)  # fmt: skip
    budget.release(other)
    with pytest.raises(BudgetExceededError):
        budget.reserve(2, 11)  # 90 booked + 11 > 100
    budget.reserve(2, 10)
    budget.release(last)
    budget.reserve(1, 100)  # user 1 booked nothing; the global total: 90 + 10 + 100 = 200
    index.close()


def long_answers(request: Request) -> Reply:
    """Answer with the longest answer allowed, invalid first so every article needs a repair."""
    max_output = int(request.body["max_tokens"])
    messages = request.body["messages"]
    repair = any(m["role"] == "assistant" for m in messages)
    # The server counts the resent answer at what it cost to write, the longest allowed.
    prompt = sum(math.ceil(len(m["content"]) / 4) for m in messages) + max_output * repair
    content = echo_briefing(request).content if repair else {"headline": "cut"}
    return Reply(content=content, prompt_tokens=prompt, completion_tokens=max_output)


@pytest.mark.parametrize("scope", ["user", "global"])
async def test_fifty_concurrent_long_answers_never_overshoot_the_budget(
    fake_llm: FakeLLM, budget_services, scope: str
) -> None:
    fake_llm.responder = long_answers
    limit = 100_000
    async for services in budget_services(**{f"{scope}_daily_token_budget": limit}):
        assert services.settings.llm_max_output_tokens == 4000
        results = await asyncio.gather(
            *(
                services.briefing.brief(
                    make_article(t), UpdateFacts(chat_id=USER_A, user_id=USER_A), fallback=False
                )
                for t in same_size_articles(50)
            ),
            return_exceptions=True,
        )
        briefed = [r for r in results if not isinstance(r, BaseException)]
        assert briefed  # the budget is not refused wholesale
        assert all(isinstance(r, BudgetExceededError) for r in results if r not in briefed)
        spent = services.events.tokens_since(services.budget.day_bounds()[0])
        assert 0 < spent <= limit


def test_the_worst_case_counts_every_answer_and_the_repair_round() -> None:
    schema = estimate_tokens(json.dumps(BriefingDraft.model_json_schema(), ensure_ascii=False))
    prompt = 2 + 3 + schema  # "x" * 8 and "y" * 12
    got = worst_case_tokens("x" * 8, "y" * 12, BriefingDraft, 4000)
    # The call (prompt + answer), then the repair (prompt + that answer + note + a new answer).
    assert got == (prompt + 4000) + (prompt + 4000 + REPAIR_NOTE_TOKENS + 4000)
