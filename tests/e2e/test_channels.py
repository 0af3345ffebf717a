"""Channels: an allowed channel's posts are recorded and briefed silently, its admins set up
its digest from the channel itself, and strangers' channels get nothing at all."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Update

from bot.telegram.app import ALLOWED_UPDATES
from tests.briefings import news, newsroom
from tests.fake_telegram import FakeTelegram
from tests.groupkit import group_bot, settle
from tests.harness import USER, Bot, FakeClock

CHANNEL = FakeTelegram.channel(-1005550009, "Desk Channel", username="deskchannel")
OTHER = FakeTelegram.channel(-1005550666, "Someone Else's Channel")


async def briefed(bot: Bot, count: int) -> None:
    await bot.tg.wait_for(lambda: bot.llm.calls >= count, timeout=10, message="LLM calls")
    await settle(bot, USER)  # everything queued before has been handled


async def test_an_allowed_channels_posts_are_briefed_without_a_word(
    tg, fake_llm, make_settings
) -> None:
    fake_llm.responder = newsroom()
    async with group_bot(tg, fake_llm, make_settings, allowed_chat_ids=str(CHANNEL["id"])) as bot:
        tg.channel_post(CHANNEL, news("harbour strike"))
        tg.channel_post(CHANNEL, caption=news("rail tender"))
        tg.channel_post(CHANNEL, "short note")  # too short: ignored, not answered
        await briefed(bot, 2)
        recorded = bot.services.index.queries.chat_articles(CHANNEL["id"])
    assert len(recorded) == 2
    assert tg.sent_messages(CHANNEL["id"]) == []
    assert tg.chat_actions(CHANNEL["id"]) == []
    assert Update.CHANNEL_POST in ALLOWED_UPDATES  # what `briefbot run` asks Telegram for


async def test_a_channel_album_is_briefed_once(tg, fake_llm, make_settings) -> None:
    fake_llm.responder = newsroom()
    async with group_bot(tg, fake_llm, make_settings, allowed_chat_ids=str(CHANNEL["id"])) as bot:
        group = "9001"
        for caption in (news("ferry timetable"), None, None):
            tg.channel_post(CHANNEL, caption=caption, photo=True, media_group_id=group)
        await briefed(bot, 1)
        await settle(bot, USER)
        assert len(bot.services.index.queries.chat_articles(CHANNEL["id"])) == 1
    assert bot.llm.calls == 1
    assert tg.sent_messages(CHANNEL["id"]) == []


async def test_a_strangers_channel_gets_nothing(tg, fake_llm, make_settings) -> None:
    fake_llm.responder = newsroom()
    async with group_bot(tg, fake_llm, make_settings, allowed_chat_ids=str(CHANNEL["id"])) as bot:
        tg.channel_post(OTHER, news("harbour strike"))
        tg.channel_post(OTHER, "/digest on")
        await settle(bot, USER)
    assert bot.llm.calls == 0
    assert tg.sent_messages(OTHER["id"]) == []


async def test_channel_admins_set_up_the_channels_digest_in_the_channel(
    tg, fake_llm, make_settings
) -> None:
    fake_llm.responder = newsroom()
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    due = (clock.now.hour + 1) % 24
    async with group_bot(tg, fake_llm, make_settings, clock=clock,
                         allowed_chat_ids=str(CHANNEL["id"])) as bot:  # fmt: skip
        tg.channel_post(CHANNEL, news("grain exports"))
        await briefed(bot, 1)
        tg.channel_post(CHANNEL, f"/digest on {due:02d}:30 UTC")
        [ok] = await bot.replies(CHANNEL["id"])
        assert f"every day at {due:02d}:30 UTC" in ok["text"]
        sub = bot.services.subscriptions.get(CHANNEL["id"])
        assert sub is not None and sub.subscriber_id is None  # the channel's, not a person's
        clock.advance(hours=1, minutes=45)
        assert (await bot.app.bot_data.scheduler.tick())["sent"] == 1
        digest = tg.sent_messages(CHANNEL["id"])[-1]
    assert digest["text"].startswith("<b>🗞")
