"""Pictures end to end: /who sends its timeline before the text, /map, the digest's map."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.pictures import render
from bot.pictures.limits import png_size
from tests.briefings import fixture, korea2_briefing, korea_briefing, newsroom
from tests.fake_telegram import parse_html
from tests.harness import USER, Bot, FakeClock, running_bot

KOREA, KOREA2 = fixture("korea.txt"), fixture("korea2.txt")
DAY = 86_400


@pytest.fixture(autouse=True)
def pictures_in_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the text wait for its picture: the first render here also loads matplotlib."""
    from bot.telegram import pictures

    monkeypatch.setattr(pictures, "PICTURE_WAIT_S", 30.0)


async def forward(bot: Bot, chat: int, text: str, *, days_ago: int) -> None:
    before = len(bot.tg.sent_messages(chat))
    origin = bot.tg.origin_channel(username="kw", date=int(time.time()) - days_ago * DAY)
    bot.tg.user_message(chat, chat, text, forward_origin=origin)
    await bot.replies(chat, before + 1)


async def command(
    bot: Bot, name: str, args: str = "", *, text: bool = True
) -> list[dict[str, Any]]:
    """Send a command; return the bot's messages (photos included) sent in answer to it.

    Waits for a text message (a photo comes before it), or with `text=False` for any.
    """
    before = len(bot.tg.bot_messages(USER))
    texts = len(bot.tg.sent_messages(USER))
    bot.tg.command(USER, USER, name, args=args)
    if text:
        await bot.replies(USER, texts + 1)
    else:
        await bot.tg.wait_for(lambda: len(bot.tg.bot_messages(USER)) > before, timeout=10)
    return bot.tg.bot_messages(USER)[before:]


async def korea(bot: Bot) -> None:
    await forward(bot, USER, KOREA, days_ago=9)
    await forward(bot, USER, KOREA2, days_ago=2)


async def test_who_sends_its_timeline_then_the_quotes(bot: Bot) -> None:
    await korea(bot)
    answer = await command(bot, "who", "North Korea")
    assert "photo" in answer[0]
    assert "text" in answer[1]
    assert "will never sit at the table" in answer[1]["text"]  # the quotes stay in the text
    (sent,) = bot.tg.sent_photos(USER)
    png = bot.tg.photo_bytes(sent)
    assert png_size(png) == (1080, answer[0]["photo"][0]["height"])
    caption = parse_html(sent["caption"])[0]
    assert caption.startswith("North Korea: 2 marks")
    assert "1. " in caption
    assert "2. " in caption


async def test_who_with_a_single_stance_is_text_only(bot: Bot) -> None:
    await forward(bot, USER, KOREA, days_ago=3)
    answer = await command(bot, "who", "North Korea")
    assert [m for m in answer if "photo" in m] == []
    assert "North Korea" in answer[0]["text"]


async def test_a_render_failure_falls_back_to_text_and_is_logged(
    bot: Bot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_data: object) -> bytes:
        raise RuntimeError("renderer broke")

    monkeypatch.setattr(render, "_render_timeline", broken)
    await korea(bot)
    with caplog.at_level(logging.ERROR, logger="bot.telegram.pictures"):
        answer = await command(bot, "who", "North Korea")
    assert [m for m in answer if "photo" in m] == []
    assert "North Korea" in answer[0]["text"]
    (record,) = [r for r in caplog.records if "not rendered" in r.getMessage()]
    assert record.exc_info is not None
    assert "renderer broke" in str(record.exc_info[1])


async def test_a_picture_over_telegrams_limits_is_never_sent(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    def too_tall(_data: object) -> bytes:
        import io

        out = io.BytesIO()
        Image.new("RGB", (400, 9700), "white").save(out, "PNG")  # 10,100 px in all
        return out.getvalue()

    monkeypatch.setattr(render, "_render_timeline", too_tall)
    await korea(bot)
    answer = await command(bot, "who", "North Korea")
    assert [m for m in answer if "photo" in m] == []
    assert bot.tg.requests("sendPhoto") == []  # checked before sending, not refused after


async def test_a_slow_picture_lets_the_text_go_first_and_follows_it(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.telegram import pictures

    def slow(data: Any) -> bytes:
        time.sleep(0.5)  # a render on a busy machine (in the render thread, not the test's)
        return real(data)

    real = render._render_timeline
    monkeypatch.setattr(render, "_render_timeline", slow)
    monkeypatch.setattr(pictures, "PICTURE_WAIT_S", 0.05)
    await korea(bot)
    answer = await command(bot, "who", "North Korea")
    assert "text" in answer[0]  # not held back by the picture
    await bot.tg.wait_for(lambda: bot.tg.sent_photos(USER), message="the late picture")
    messages = bot.tg.bot_messages(USER)
    assert "photo" in messages[-1]
    assert messages[-1]["reply_to_message"]["text"].startswith("/who")


async def test_map_shows_who_stands_where(bot: Bot) -> None:
    await korea(bot)
    answer = await command(bot, "map", "30d", text=False)
    assert "photo" in answer[0]
    caption = answer[0]["caption"]
    assert caption.startswith("Who stands where, last 30 days")
    (sent,) = await bot.tg.wait_for(lambda: bot.tg.sent_photos(USER))  # recorded once answered
    assert png_size(bot.tg.photo_bytes(sent)) == (
        1080, answer[0]["photo"][0]["height"],
    )  # fmt: skip


async def test_map_with_nothing_to_show_says_so_in_text(bot: Bot) -> None:
    answer = await command(bot, "map")
    assert "No stances" in answer[0]["text"]
    await korea(bot)
    answer = await command(bot, "map", "bananas")
    assert "No stances on “bananas”" in answer[0]["text"]
    assert bot.tg.sent_photos(USER) == []


async def test_the_overview_has_a_map_button_that_answers_with_the_map(bot: Bot) -> None:
    await korea(bot)
    overview = (await command(bot, "brief"))[-1]
    (button,) = [b for row in overview["reply_markup"]["inline_keyboard"] for b in row]
    assert button["callback_data"] == "map:30"
    bot.tg.callback_query(USER, USER, overview["message_id"], "map:30")
    await bot.tg.wait_for(lambda: bot.tg.sent_photos(USER), message="the map")
    assert bot.tg.sent_photos(USER)[0]["caption"].startswith("<b>Who stands where</b>")


async def test_digest_pictures_on_starts_the_digest_with_its_map(
    tg, fake_llm, make_settings
) -> None:
    fake_llm.responder = newsroom({"Pyongyang fires missile": korea_briefing(),
                                   "ready for talks, Kim's sister": korea2_briefing()})  # fmt: skip
    clock = FakeClock(datetime.now(UTC))
    async with running_bot(tg, fake_llm, make_settings, clock=clock) as bot:
        await korea(bot)
        assert "start with a map" in (await command(bot, "digest", "pictures on"))[0]["text"]
        await command(bot, "digest", f"on {(clock.now + timedelta(minutes=5)):%H:%M} UTC")
        start = len(bot.tg.bot_messages(USER))
        clock.advance(minutes=10)
        await bot.app.bot_data.scheduler.tick()
        digest = bot.tg.bot_messages(USER)[start:]
        assert "photo" in digest[0]
        assert "Who stands where" in digest[0]["caption"]
        assert digest[1]["text"].startswith("🗞")
        assert "text only" in (await command(bot, "digest", "pictures off"))[0]["text"]
        assert "/digest pictures on" in (await command(bot, "digest", "pictures maybe"))[0]["text"]
        assert not bot.services.chat_settings.digest_pictures(USER)
