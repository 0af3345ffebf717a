"""Daily digests end to end with a hand-moved clock: /digest, due times, DST, restarts, 403s."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.articles.text import make_article
from bot.services import Services
from tests.briefings import news, newsroom
from tests.fake_llm import FakeLLM
from tests.fake_telegram import parse_html
from tests.harness import USER, Bot, FakeClock, running_bot

DIGEST_CHATS = "201,202,203,204,301,302,303,401,402,501,502,-4001,-1004000000001"
START = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)  # a Friday; Paris moves to CEST on Sunday 29


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


async def add_article(services: Services, chat_id: int, topic: str, at: datetime) -> None:
    article = make_article(news(topic))
    await services.briefing.brief(article)
    services.index.record_chat_article(chat_id, article.content_hash, message_id=None,
                                       received_at=at, title=article.title, source=None)  # fmt: skip


def digests_sent(bot: Bot, chat_id: int) -> list[str]:
    return [parse_html(t)[0] for t in bot.texts(chat_id) if t.startswith("<b>🗞")]


async def command(bot: Bot, args: str) -> str:
    before = len(bot.tg.sent_messages(USER))
    bot.tg.command(USER, USER, "digest", args=args)
    replies = await bot.replies(USER, before + 1)
    return parse_html(str(replies[before]["text"]))[0]


@pytest.fixture
async def bot(tg, fake_llm: FakeLLM, make_settings, clock):
    fake_llm.responder = newsroom()
    # The chats these tests subscribe directly must be allowed: digests re-check access.
    async with running_bot(
        tg, fake_llm, make_settings, clock=clock, allowed_chat_ids=DIGEST_CHATS
    ) as running:
        yield running


async def test_digest_command_subscribes_shows_and_stops(bot: Bot) -> None:
    assert "The daily digest is off" in await command(bot, "")
    reply = await command(bot, "on 07:30 europe/paris")
    assert "every day at 07:30 Europe/Paris" in reply
    assert "Next: Sat 28 Mar 07:30 Europe/Paris (in 18 h 30 min)" in reply
    assert "on at 07:30 Europe/Paris" in await command(bot, "")
    assert "every day at 19:05 Asia/Kolkata" in await command(bot, "on 7:05 pm Asia/Kolkata")
    assert "every day at 06:00 Etc/GMT+2" in await command(bot, "on Etc/GMT+2 06:00")
    # Times as people write them, before or after a city the tz database names.
    assert "every day at 07:00 Europe/Paris" in await command(bot, "on 7am Paris")
    assert "every day at 19:00 America/New_York" in await command(bot, "on new york 7 pm")
    assert "every day at 19:00 Europe/Kyiv" in await command(bot, "on 19h Kyiv")
    assert "every day at 07:30 Europe/Paris" in await command(bot, "on Europe/Paris 7:30")
    assert "Daily digest off" in await command(bot, "off")
    assert "The daily digest is off" in await command(bot, "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("on 25:00", "I didn't understand the time '25:00'"),
        ("on 07:30 Mars/Olympus", "I don't know the place 'Mars/Olympus'"),
        ("on 07:30 Europe/Paris extra", "I don't know the place 'Europe/Paris extra'"),
        ("on 7:30 pm Etc/GMT+2 x", "I don't know the place 'Etc/GMT+2 x'"),
        ("on 7am Atlantis", "try a city like Paris or a zone like Europe/Paris"),
        ("sometimes", "Daily digest"),
    ],
)
async def test_bad_digest_arguments_get_a_clear_message(bot: Bot, args: str, message: str) -> None:
    reply = await command(bot, args)
    assert message in reply
    assert bot.services.subscriptions.get(USER) is None


async def test_defaults_come_from_settings(tg, fake_llm, make_settings, clock) -> None:
    async with running_bot(tg, fake_llm, make_settings, clock=clock,
                           digest_default_time="06:15", digest_default_tz="America/New_York") as bot:  # fmt: skip
        assert "every day at 06:15 America/New_York" in await command(bot, "on")


async def test_digest_now_and_brief_overview(bot: Bot, clock: FakeClock) -> None:
    assert "No briefed articles" in await command(bot, "now")
    await add_article(bot.services, USER, "grain exports", clock.now - timedelta(hours=2))
    reply = await command(bot, "now")
    assert reply.startswith("🗞 Digest of 1 articles")
    assert "Grain Exports update" in reply


async def test_due_digests_across_time_zones_exactly_once_a_day(bot: Bot, clock: FakeClock) -> None:
    chats = {201: ("07:00", "Europe/Paris"), 202: ("07:00", "America/New_York"),
             203: ("09:30", "Asia/Kolkata"), 204: ("06:00", "Pacific/Auckland")}  # fmt: skip
    subs = bot.services.subscriptions
    for chat, (at, tz) in chats.items():
        bot.tg.add_chat(chat)  # the bot was added there earlier
        subs.subscribe(chat, time.fromisoformat(at), tz, clock.now)
    sent_at: dict[int, list[datetime]] = {chat: [] for chat in chats}
    for _ in range(4 * 24 * 4):  # four days in 15-minute ticks, across Paris' DST change
        clock.advance(minutes=15)
        if clock.now.minute == 0 and clock.now.hour % 6 == 0:  # news every six hours
            for chat in chats:
                await add_article(
                    bot.services, chat, f"chat {chat} at {clock.now:%d %H}", clock.now
                )
        before = {chat: len(bot.tg.sent_messages(chat)) for chat in chats}
        await bot.app.bot_data.scheduler.tick()
        for chat in chats:
            if len(bot.tg.sent_messages(chat)) > before[chat]:
                sent_at[chat].append(clock.now)
    for chat, (at, tz) in chats.items():
        local = [t.astimezone(ZoneInfo(tz)) for t in sent_at[chat]]
        assert len({t.date() for t in local}) == len(local), f"two digests on one day in {tz}"
        for t in local:  # each sent on the first tick at or after the local due time
            due = t.replace(hour=int(at[:2]), minute=int(at[3:]))
            assert timedelta(0) <= t - due < timedelta(minutes=15), (tz, t)
    # Four days: each zone's due time comes four times, but Auckland's first 06:00 (17:00 UTC
    # on the 27th) comes before any news, with nothing to send. A missed day (Paris' DST day
    # included) is one fewer.
    assert {chat: len(times) for chat, times in sent_at.items()} == {201: 4, 202: 4, 203: 4, 204: 3}


async def test_dst_day_sends_once(tg, fake_llm, make_settings) -> None:
    clock = FakeClock(datetime(2026, 10, 24, 12, 0, tzinfo=UTC))  # Paris falls back on the 25th
    fake_llm.responder = newsroom()
    async with running_bot(tg, fake_llm, make_settings, clock=clock, digest_send_empty=True) as bot:
        bot.services.subscriptions.subscribe(USER, time(2, 30),
                                             "Europe/Paris", clock.now)  # fmt: skip
        for _ in range(3 * 24 * 2):  # 02:30 happens twice on the 25th
            clock.advance(minutes=30)
            await bot.app.bot_data.scheduler.tick()
        notes = [t for t in bot.texts(USER) if "No new articles" in t]
        assert len(notes) == 3


async def test_restart_before_during_and_after_a_send(tg, fake_llm, make_settings, clock) -> None:
    fake_llm.responder = newsroom()
    async with running_bot(tg, fake_llm, make_settings, clock=clock) as bot:
        bot.services.subscriptions.subscribe(USER, time(8, 0), "UTC", clock.now)
        await add_article(bot.services, USER, "ferry strike", clock.now)
    clock.now = datetime(2026, 3, 28, 7, 59, tzinfo=UTC)
    async with running_bot(tg, fake_llm, make_settings, clock=clock) as bot:  # restart before
        assert not await bot.app.bot_data.scheduler.tick()  # not due yet: nothing
        clock.now = datetime(2026, 3, 28, 8, 0, 30, tzinfo=UTC)
        tg.fail_next(
            "sendMessage", status=500, description="Internal Server Error"
        )  # dies "during"
        outcome = await bot.app.bot_data.scheduler.tick()
        assert outcome["failed"] == 1
        sub = bot.services.subscriptions.get(USER)
        assert sub is not None
        assert sub.last_date is None  # not marked: Telegram never accepted it
    clock.advance(minutes=10)
    async with running_bot(tg, fake_llm, make_settings, clock=clock) as bot:  # restart
        assert (await bot.app.bot_data.scheduler.tick())["sent"] == 1
        assert len(digests_sent(bot, USER)) == 1
    clock.advance(minutes=10)
    async with running_bot(tg, fake_llm, make_settings, clock=clock) as bot:  # restart after
        assert not await bot.app.bot_data.scheduler.tick()
        assert len(digests_sent(bot, USER)) == 1


@pytest.mark.parametrize(("late_hours", "sent"), [(2.5, True), (3.5, False)])
async def test_catch_up_at_startup_inside_grace_only(
    tg, fake_llm, make_settings, clock, late_hours, sent
) -> None:
    fake_llm.responder = newsroom()
    async with running_bot(tg, fake_llm, make_settings, clock=clock, digest_grace_hours=3) as bot:
        bot.services.subscriptions.subscribe(USER, time(8, 0), "UTC", clock.now)
        await add_article(bot.services, USER, "wind farm", clock.now)
    clock.now = datetime(2026, 3, 28, 8, 0, tzinfo=UTC) + timedelta(hours=late_hours)
    async with running_bot(tg, fake_llm, make_settings, clock=clock, digest_grace_hours=3) as bot:
        outcome = await bot.app.bot_data.scheduler.tick()
        assert outcome[("sent" if sent else "skipped")] == 1
        assert len(digests_sent(bot, USER)) == (1 if sent else 0)
        sub = bot.services.subscriptions.get(USER)
        assert sub is not None
        assert str(sub.last_date) == "2026-03-28"
        clock.now = datetime(2026, 3, 29, 8, 1, tzinfo=UTC)  # the next day goes out normally
        await add_article(bot.services, USER, "solar park", clock.now - timedelta(hours=1))
        assert (await bot.app.bot_data.scheduler.tick())["sent"] == 1


async def test_blocked_chat_is_unsubscribed_and_others_still_served(
    bot: Bot, clock: FakeClock
) -> None:
    subs = bot.services.subscriptions
    bot.tg.add_chat(301, 302, 303)  # chats that turned digests on earlier
    for chat in (301, 302, 303):
        subs.subscribe(chat, time(13, 0), "UTC", clock.now)
        await add_article(bot.services, chat, f"story for {chat}", clock.now)
    bot.tg.block_chat(302)
    clock.now = datetime(2026, 3, 27, 13, 0, 30, tzinfo=UTC)
    outcome = await bot.app.bot_data.scheduler.tick()
    assert (outcome["sent"], outcome["unsubscribed"]) == (2, 1)
    blocked = subs.get(302)
    assert blocked is not None
    assert not blocked.enabled
    assert [s.chat_id for s in subs.enabled()] == [301, 303]


async def test_a_chats_digest_never_includes_another_chats_articles(
    bot: Bot, clock: FakeClock
) -> None:
    subs = bot.services.subscriptions
    bot.tg.add_chat(401, 402)  # chats that turned digests on earlier
    await add_article(bot.services, 401, "tram tunnel", clock.now)
    await add_article(bot.services, 402, "dairy prices", clock.now)
    for chat in (401, 402):
        subs.subscribe(chat, time(13, 0), "UTC", clock.now)
    clock.now = datetime(2026, 3, 27, 13, 1, tzinfo=UTC)
    await bot.app.bot_data.scheduler.tick()
    [a], [b] = digests_sent(bot, 401), digests_sent(bot, 402)
    assert "Tram Tunnel" in a and "Dairy" not in a
    assert "Dairy Prices" in b and "Tram" not in b


async def _due_long_digest(bot: Bot, clock: FakeClock, chat: int, articles: int = 30) -> None:
    bot.tg.add_chat(chat)  # a chat that turned digests on earlier
    bot.services.subscriptions.subscribe(chat, time(13, 0), "UTC", clock.now)
    for i in range(articles):  # one theme per article: a digest of several messages
        await add_article(bot.services, chat, f"long story number {i} about many things", clock.now)
    clock.now = datetime(2026, 3, 27, 13, 0, 30, tzinfo=UTC)


async def test_a_digest_cut_short_after_its_first_part_is_not_sent_again(
    bot: Bot, clock: FakeClock
) -> None:
    await _due_long_digest(bot, clock, 501)
    bot.tg.fail_next(
        "sendMessage", status=500, description="Internal Server Error", skip=1, chat_id=501
    )
    assert (await bot.app.bot_data.scheduler.tick())["sent"] == 1
    assert len(bot.tg.sent_messages(501)) == 1  # the second part failed
    clock.advance(minutes=1)
    assert not await bot.app.bot_data.scheduler.tick()  # the day is done: no second copy
    assert len(bot.tg.sent_messages(501)) == 1


async def test_a_digest_telegram_rejects_is_skipped_not_retried(bot: Bot, clock: FakeClock) -> None:
    await _due_long_digest(bot, clock, 502, articles=1)
    bot.tg.fail_next("sendMessage", status=400, description="Bad Request: can't parse entities")
    assert (await bot.app.bot_data.scheduler.tick())["rejected"] == 1
    clock.advance(minutes=1)
    assert not await bot.app.bot_data.scheduler.tick()
    sub = bot.services.subscriptions.get(502)
    assert sub is not None
    assert str(sub.last_date) == "2026-03-27"
    assert sub.enabled


async def test_a_group_upgraded_to_a_supergroup_keeps_its_digest_and_history(
    bot: Bot, clock: FakeClock
) -> None:
    old, new = -4001, -1004000000001
    await _due_long_digest(bot, clock, old, articles=1)
    bot.tg.fail_next("sendMessage", status=400, migrate_to=new, chat_id=old)
    assert (await bot.app.bot_data.scheduler.tick())["sent"] == 1
    assert len(digests_sent(bot, new)) == 1
    services = bot.services
    assert services.subscriptions.get(old) is None
    moved = services.subscriptions.get(new)
    assert moved is not None
    assert str(moved.last_date) == "2026-03-27"
    assert len(services.index.queries.chat_articles(new)) == 1
    assert services.index.queries.chat_articles(old) == []


async def test_a_day_without_articles_sends_nothing_by_default(bot: Bot, clock: FakeClock) -> None:
    bot.services.subscriptions.subscribe(USER, time(13, 0), "UTC", clock.now)
    clock.now = datetime(2026, 3, 27, 13, 0, 30, tzinfo=UTC)
    assert (await bot.app.bot_data.scheduler.tick())["empty"] == 1
    assert bot.tg.sent_messages(USER) == []
    sub = bot.services.subscriptions.get(USER)
    assert sub is not None
    assert str(sub.last_date) == "2026-03-27"  # decided once, not re-checked every tick


async def test_articles_from_a_skipped_day_reach_the_next_digest(
    bot: Bot, clock: FakeClock
) -> None:
    subs = bot.services.subscriptions
    subs.subscribe(USER, time(13, 0), "UTC", clock.now)
    await add_article(bot.services, USER, "first day story", clock.now)
    clock.now = datetime(2026, 3, 27, 13, 1, tzinfo=UTC)
    assert (await bot.app.bot_data.scheduler.tick())["sent"] == 1
    await add_article(bot.services, USER, "second day story", clock.now + timedelta(hours=2))
    clock.now = datetime(2026, 3, 28, 20, 0, tzinfo=UTC)  # down through the 28th's digest
    assert (await bot.app.bot_data.scheduler.tick())["skipped"] == 1
    await add_article(bot.services, USER, "third day story", clock.now)
    clock.now = datetime(2026, 3, 29, 13, 1, tzinfo=UTC)
    assert (await bot.app.bot_data.scheduler.tick())["sent"] == 1
    latest = digests_sent(bot, USER)[-1]
    assert "Second Day Story" in latest  # 47 h old, but after the previous digest
    assert "Third Day Story" in latest
    assert "First Day Story" not in latest


async def test_without_a_model_the_daily_digest_is_made_without_one(
    tg, fake_llm, make_settings, clock
) -> None:
    async with running_bot(
        tg, fake_llm, make_settings, clock=clock, openai_base_url=None, openai_api_key=None
    ) as bot:
        await add_article(bot.services, USER, "ferry strike", clock.now)
        bot.services.subscriptions.subscribe(USER, time(8, 0), "Europe/Paris", clock.now)
        clock.now = datetime(2026, 3, 28, 7, 0, 30, tzinfo=UTC)  # 08:00 in Paris
        assert (await bot.app.bot_data.scheduler.tick())["sent"] == 1
        [digest] = digests_sent(bot, USER)
    assert "Made without a language model (this bot has none set up)" in digest
    assert "27–28 Mar (last 24 h)" in digest  # the window in Paris days, not UTC timestamps
    assert fake_llm.calls == 0
