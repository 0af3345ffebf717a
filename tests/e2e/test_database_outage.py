"""PostgreSQL going away while articles arrive: their replies wait for it, and come once."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.jobs.pending import PendingStore
from bot.store import outage, pg_connection
from bot.store.outage import ConnectionLostError
from tests.briefings import echo_briefing, news
from tests.harness import USER, running_bot
from tests.postgres import libpq_url
from tests.postgres_outage import halt, resume
from tests.postgres_server import PostgresServer

pytestmark = pytest.mark.postgres

TOPICS = ["harbour strike", "grain exports", "rail tender"]


async def test_articles_sent_while_the_database_is_down_are_answered_once_it_is_back(
    tg, fake_llm, make_settings, own_url: str, own_server: PostgresServer,
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    # One quick connection try per unit while the server is down; Index.run does the waiting.
    monkeypatch.setattr(pg_connection, "RECONNECT_S", 0.1)
    fake_llm.responder = echo_briefing
    url = libpq_url(own_url)
    async with running_bot(tg, fake_llm, make_settings, database_url=url) as bot:
        tg.user_message(USER, USER, news("warm-up"))
        await bot.replies(USER, 1)
        await asyncio.to_thread(halt, own_server)
        caplog.set_level(logging.WARNING, logger=outage.__name__)
        for topic in TOPICS:
            tg.user_message(USER, USER, news(topic))

        def waiting() -> int:  # units that found the database gone and are waiting for it
            return sum("database connection lost" in r.getMessage() for r in caplog.records)

        # Down until every article has found it down (a few seconds of retries each).
        await tg.wait_for(lambda: waiting() >= 3 * len(TOPICS), timeout=20)
        # On this thread: the server dies with the thread that started it (PR_SET_PDEATHSIG).
        resume(own_server)
        replies = await bot.replies(USER, 1 + len(TOPICS), timeout=30)
        store = PendingStore(bot.services.index)

        def answered() -> bool:  # the test's own read, on the loop's connection: its next
            try:  # try after the outage may be a second away (pg_connection's pause)
                return not store.pending()
            except ConnectionLostError:
                return False

        await tg.wait_for(answered, timeout=10)
        await bot.app.bot_data.workers.join()
        replies = bot.tg.sent_messages(USER)
    texts = [str(r["text"]) for r in replies]
    assert len(texts) == 1 + len(TOPICS)  # each article answered exactly once
    assert not any("Sorry" in t for t in texts)  # delayed, not apologised for
    for topic in TOPICS:
        assert sum(topic.title() in t for t in texts) == 1, topic
    assert fake_llm.calls == 1 + len(TOPICS)
