"""A burst of articles is accepted a few at a time, so the workers' steps are not starved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bot.config import Settings
from bot.jobs.pending import Job, PendingStore
from bot.telegram.context import ACCEPTING_AT_ONCE
from bot.telegram.polling import MAX_PER_CALL, UPDATES_PER_POLL
from tests.briefings import news, newsroom
from tests.fake_llm import FakeLLM
from tests.fake_telegram import FakeTelegram
from tests.harness import running_bot

USERS = list(range(9100, 9112))


async def test_a_burst_is_persisted_a_few_updates_at_a_time_and_all_answered(
    tg: FakeTelegram,
    fake_llm: FakeLLM,
    make_settings: Callable[..., Settings],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The database thread serves in arrival order: with every update of a burst persisting
    # its job at once, the first worker's own steps queued behind all of them.
    persisting = {"now": 0, "most": 0}
    persist = PendingStore.add_off_loop

    async def counted(self: PendingStore, *args: Any, **kwargs: Any) -> Job | None:
        persisting["now"] += 1
        persisting["most"] = max(persisting["most"], persisting["now"])
        try:
            return await persist(self, *args, **kwargs)
        finally:
            persisting["now"] -= 1

    monkeypatch.setattr(PendingStore, "add_off_loop", counted)
    fake_llm.responder = newsroom()  # echoes each article as its briefing
    allowed = ",".join(map(str, USERS))
    async with running_bot(tg, fake_llm, make_settings, allowed_user_ids=allowed) as bot:
        for n in range(3 * len(USERS)):
            user = USERS[n % len(USERS)]
            tg.user_message(user, user, news(f"burst story {n}"))
        for user in USERS:
            replies = await bot.replies(user, 3, timeout=30)
            assert all("Burst Story" in r["text"] for r in replies)
    assert fake_llm.calls == 3 * len(USERS)
    assert 1 <= persisting["most"] <= ACCEPTING_AT_ONCE


async def test_get_updates_asks_for_a_page_at_a_time_and_a_burst_is_fetched_whole(
    tg: FakeTelegram, fake_llm: FakeLLM, make_settings: Callable[..., Settings]
) -> None:
    # 100 updates turned into objects in one go held the event loop ~20 ms (polling.py).
    fake_llm.responder = newsroom()
    allowed = ",".join(map(str, USERS))
    async with running_bot(tg, fake_llm, make_settings, allowed_user_ids=allowed) as bot:
        for n in range(5 * len(USERS)):
            user = USERS[n % len(USERS)]
            tg.user_message(user, user, news(f"paged story {n}"))
        for user in USERS:
            await bot.replies(user, 5, timeout=30)
    polls = tg.requests("getUpdates")
    # A page on top of the updates handed out and still being handled, asked again so as not
    # to confirm them (polling.py): only the page is new in each answer.
    limits = [int(p.params["limit"]) for p in polls]
    assert min(limits) == UPDATES_PER_POLL
    assert max(limits) <= MAX_PER_CALL
    seen: set[int] = set()
    fresh = []
    for poll in polls:
        ids = {int(u["update_id"]) for u in poll.result or []}
        fresh.append(len(ids - seen))
        seen |= ids
    assert max(fresh) == UPDATES_PER_POLL  # the burst was waiting: whole pages
    assert len(seen) == 5 * len(USERS)
