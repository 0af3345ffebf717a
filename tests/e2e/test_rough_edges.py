"""The rough edges a new user hits (issue 22): first words, labels, overviews, no setting names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.render.dates import DateStyle
from tests.briefings import fixture
from tests.fake_llm import FakeLLM
from tests.fake_telegram import FakeTelegram, parse_html
from tests.harness import GROUP, USER, Bot, running_bot

KOREA, KOREA2 = fixture("korea.txt"), fixture("korea2.txt")
SETTING_NAMES = ("OPENAI_", "ALLOWED_", "TELEGRAM_BOT_TOKEN", "LLM_MODEL", "ADMIN_USER_IDS")


def no_setting_names(text: str) -> bool:
    return not any(name in text for name in SETTING_NAMES)


async def test_start_is_one_short_line_and_help_the_reference(bot: Bot) -> None:
    bot.tg.command(USER, USER, "start")
    [start] = await bot.replies(USER)
    bot.tg.command(USER, USER, "help")
    help_ = (await bot.replies(USER, 2))[1]
    assert len(start["text"]) < 160
    assert "Forward" in start["text"] and "link" in start["text"]
    assert len(help_["text"]) > 3 * len(start["text"])


async def test_start_in_a_group_says_how_to_use_it_there(bot: Bot) -> None:
    bot.tg.command(GROUP, USER, "start")
    [start] = await bot.replies(GROUP)
    assert "/brief" in start["text"] and "here" in start["text"]
    assert len(start["text"]) < 200


async def test_extractive_label_without_a_model_says_what_would_help(
    tg: FakeTelegram, fake_llm: FakeLLM, make_settings
) -> None:
    async with running_bot(
        tg, fake_llm, make_settings, openai_base_url=None, openai_api_key=None
    ) as bot:
        bot.tg.user_message(USER, USER, KOREA)
        [reply] = await bot.replies(USER)
    text = str(reply["text"])
    assert "this bot has none set up" in text
    assert "again later" not in text
    assert no_setting_names(text)
    assert fake_llm.calls == 0


async def test_overview_without_a_model_is_extractive_and_labelled(
    tg: FakeTelegram, fake_llm: FakeLLM, make_settings
) -> None:
    async with running_bot(
        tg, fake_llm, make_settings, openai_base_url=None, openai_api_key=None
    ) as bot:
        for text in (KOREA, KOREA2):
            before = len(bot.tg.sent_messages(USER))
            bot.tg.user_message(USER, USER, text)
            await bot.replies(USER, before + 1)
        for command, args in (("brief", ""), ("digest", "now")):
            before = len(bot.tg.sent_messages(USER))
            bot.tg.command(USER, USER, command, args=args)
            overview = str((await bot.replies(USER, before + 1))[before]["text"])
            plain = parse_html(overview)[0]
            assert "couldn't write the overview" not in plain
            assert "Made without a language model (this bot has none set up)" in plain
            assert "2 articles" in plain
            assert "Kim" in plain  # the headlines grouped under the actor they share
            assert no_setting_names(plain)
    assert fake_llm.calls == 0


async def overview(bot: Bot) -> str:
    before = len(bot.tg.sent_messages(USER))
    bot.tg.command(USER, USER, "brief")
    return parse_html(str((await bot.replies(USER, before + 1))[before]["text"]))[0]


async def command(bot: Bot, name: str, args: str = "") -> str:
    before = len(bot.tg.sent_messages(USER))
    bot.tg.command(USER, USER, name, args=args)
    return parse_html(str((await bot.replies(USER, before + 1))[before]["text"]))[0]


async def test_dates_follow_the_chats_zone_from_its_digest_or_tz(bot: Bot) -> None:
    bot.tg.user_message(USER, USER, KOREA)
    await bot.replies(USER)
    assert "UTC" not in (await overview(bot)).splitlines()[1]  # the period is in days, not UTC

    await command(bot, "digest", "on 07:30 Europe/Paris")
    now = datetime.now(UTC)
    paris = DateStyle.at(ZoneInfo("Europe/Paris"), now)
    assert (await overview(bot)).splitlines()[1] == (
        f"{paris.span(now - timedelta(hours=24), now)} (last 24 h)"
    )
    assert "Dates here are in Europe/Paris (the default)" in await command(bot, "tz")

    assert "Dates here are now in Pacific/Kiritimati" in await command(bot, "tz", "Kiritimati")
    now = datetime.now(UTC)
    line = (await overview(bot)).splitlines()[1]
    kiritimati = DateStyle.at(ZoneInfo("Pacific/Kiritimati"), now)  # UTC+14: a day ahead
    assert line == f"{kiritimati.span(now - timedelta(hours=24), now)} (last 24 h)"
    assert "set with /tz" in await command(bot, "tz")
    assert "I don't know the place 'Atlantis'" in await command(bot, "tz", "Atlantis")


async def test_who_writes_dates_in_the_chats_style(bot: Bot) -> None:
    bot.tg.user_message(USER, USER, KOREA)
    await bot.replies(USER)
    await command(bot, "tz", "Tokyo")
    [article] = bot.services.index.queries.chat_articles(USER)
    tokyo = DateStyle.at(ZoneInfo("Asia/Tokyo"), datetime.now(UTC))
    page = await command(bot, "who", "Kim Jong Un")
    # In the chat's zone, the year left out when it is this one there (a dateline's day as is).
    assert f"{tokyo.published(article.dated, article.published_from)} · " in page
