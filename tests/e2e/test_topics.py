"""Forum topics: everything the bot sends in a topic stays there, digests included; and one
busy group under Telegram's flood limits."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time

import pytest

from bot.articles.text import make_article
from bot.store.index import Index
from bot.store.subscriptions import SubscriptionStore
from tests.briefings import news, newsroom
from tests.fake_llm import Reply
from tests.fake_telegram import FakeTelegram
from tests.groupkit import SPEED_UP, group_bot
from tests.harness import GROUP, USER, Bot, FakeClock

FORUM = GROUP


async def add_article(bot: Bot, topic: str, at: datetime) -> None:
    article = make_article(news(topic))
    await bot.services.briefing.brief(article)
    bot.services.index.record_chat_article(FORUM, article.content_hash, message_id=None,
                                           received_at=at, title=None, source=None)  # fmt: skip


def in_topic(params: dict[str, object], topic: int) -> bool:
    return params.get("message_thread_id") == topic


async def test_replies_typing_and_apologies_stay_in_the_topic(tg, fake_llm, make_settings) -> None:
    fake_llm.responder = newsroom()
    async with group_bot(tg, fake_llm, make_settings) as bot:
        topic = tg.create_topic(FORUM, "Korea desk")
        tg.topic_message(FORUM, USER, topic, news("missile test"),
                         forward_origin=tg.origin_channel())  # fmt: skip
        [reply] = await bot.replies(FORUM)
        assert in_topic(reply, topic)
        assert tg.chat_actions(FORUM)
        assert all(in_topic(r.params, topic) for r in tg.requests("sendChatAction"))
        # A briefing Telegram refuses gets a short notice: in the topic too.
        tg.fail_next("sendMessage", status=400, description="Bad Request: boom", chat_id=FORUM)
        tg.topic_message(FORUM, USER, topic, news("naval drill"),
                         forward_origin=tg.origin_channel())  # fmt: skip
        replies = await bot.replies(FORUM, 2)
        assert "couldn't deliver that briefing" in replies[1]["text"]
        assert in_topic(replies[1], topic)


async def test_general_topic_messages_get_no_thread(tg, fake_llm, make_settings) -> None:
    fake_llm.responder = newsroom()
    async with group_bot(tg, fake_llm, make_settings) as bot:
        tg.create_topic(FORUM, "Korea desk")
        tg.user_message(FORUM, USER, news("fishing quotas"), forward_origin=tg.origin_channel())
        [reply] = await bot.replies(FORUM)
    assert "message_thread_id" not in reply


async def test_a_digest_subscribed_in_a_topic_goes_to_that_topic(
    tg, fake_llm, make_settings
) -> None:
    fake_llm.responder = newsroom()
    clock = FakeClock(datetime(2026, 3, 27, 12, 0, tzinfo=UTC))
    async with group_bot(tg, fake_llm, make_settings, clock=clock) as bot:
        topic = tg.create_topic(FORUM, "Daily")
        await add_article(bot, "grain exports", clock.now)
        tg.chat_admins[FORUM] = {USER}  # a group's settings are its admins'
        tg.topic_message(FORUM, USER, topic, "/digest on 13:00 UTC")
        replies = await bot.replies(FORUM, 1)
        assert all(in_topic(r, topic) for r in replies)
        sub = bot.services.subscriptions.get(FORUM)
        assert sub is not None and sub.thread_id == topic and sub.subscriber_id == USER
        clock.now = clock.now.replace(hour=13, minute=1)
        assert (await bot.app.bot_data.scheduler.tick())["sent"] == 1
        digest = tg.sent_messages(FORUM)[-1]
        assert digest["text"].startswith("<b>🗞") and in_topic(digest, topic)
        # The topic is deleted: the next digest goes to the chat instead of failing every day.
        tg.delete_topic(FORUM, topic)
        await add_article(bot, "rail tender", clock.now + timedelta(hours=1))
        clock.advance(days=1)
        assert (await bot.app.bot_data.scheduler.tick())["sent"] == 1
        assert "message_thread_id" not in tg.sent_messages(FORUM)[-1]
        moved = bot.services.subscriptions.get(FORUM)
        assert moved is not None and moved.thread_id is None


@pytest.mark.sqlite_only("a file from before Alembic, which only SQLite deployments have")
def test_an_old_subscriptions_table_is_upgraded_in_place(tmp_path) -> None:
    path = tmp_path / "index.sqlite3"
    index = Index(path)
    index.connection.executescript(
        """DROP TABLE digest_subscriptions; DROP TABLE alembic_version;
           CREATE TABLE digest_subscriptions (chat_id INTEGER PRIMARY KEY, at TEXT NOT NULL,
           tz TEXT NOT NULL, subscribed_at TEXT NOT NULL, last_date TEXT, last_sent_at TEXT,
           enabled INTEGER NOT NULL);
           INSERT INTO digest_subscriptions VALUES
               (-100777, '07:30:00', 'Europe/Paris', '2026-01-01T00:00:00+00:00',
                '2026-03-01', NULL, 1);"""
    )
    index.close()
    for _ in range(2):  # idempotent: a second start-up finds the columns there
        index = Index(path)
        store = SubscriptionStore(index)
        old = store.get(-100777)
        assert old is not None
        assert (old.at, old.tz, str(old.last_date)) == (clock_time(7, 30), "Europe/Paris",
                                                        "2026-03-01")  # fmt: skip
        assert (old.thread_id, old.subscriber_id, old.paused) == (None, None, False)
        index.close()
    index = Index(path)
    store = SubscriptionStore(index)
    new = store.subscribe(-100777, clock_time(8, 0), "Europe/Paris", datetime.now(UTC),
                          thread_id=12, subscriber_id=USER)  # fmt: skip
    assert (new.thread_id, str(new.last_date)) == (12, "2026-03-01")
    got = store.get(-100777)
    assert got is not None and got.thread_id == 12
    index.close()
    with sqlite3.connect(path) as db:
        columns = {r[1] for r in db.execute("PRAGMA table_info(digest_subscriptions)")}
    assert {"thread_id", "subscriber_id", "paused"} <= columns


async def test_one_busy_topic_gets_every_reply_under_flood_limits(fake_llm, make_settings) -> None:
    # Telegram allows about 20 messages a minute per group; chat actions count here too. The
    # fake's clock and the bot's group pacing both run SPEED_UP times faster, so the same
    # ratio holds in well under a minute.
    start = time.monotonic()
    fast = FakeTelegram(rate_limits=True, group_per_minute=20,
                        rate_limited_methods=("sendMessage", "sendChatAction"),
                        clock=lambda: start + (time.monotonic() - start) * SPEED_UP)  # fmt: skip
    fake_llm.responder = lambda r: Reply(delay_s=0.2, content=newsroom()(r).content)
    with fast as tg:
        async with group_bot(tg, fake_llm, make_settings) as bot:
            topic = tg.create_topic(FORUM, "Wire")
            for i in range(12):
                tg.topic_message(FORUM, USER, topic, news(f"wire story {i}"),
                                 forward_origin=tg.origin_channel())  # fmt: skip
            replies = await bot.replies(FORUM, 12, timeout=60)
    assert len(replies) == 12
    assert all(in_topic(r, topic) for r in replies)
    actions = [r for r in tg.requests("sendChatAction") if r.status == 200]
    assert actions and all(in_topic(r.params, topic) for r in actions)
    assert not [r for r in tg.requests() if r.status not in {200, 429}]
    assert tg.entities_dropped == 0
