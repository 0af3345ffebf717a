"""/who end to end: names, aliases, ambiguity, shifts, isolation between chats."""

from __future__ import annotations

import pytest

from tests.briefings import actor, briefing, fixture, news, stance
from tests.fake_llm import Reply
from tests.fake_telegram import parse_html
from tests.harness import OTHER_USER, USER, Bot

KOREA, KOREA2 = fixture("korea.txt"), fixture("korea2.txt")


async def send_articles(bot: Bot, chat: int, *texts: str) -> list[int]:
    ids = []
    for text in texts:
        before = len(bot.tg.sent_messages(chat))
        update = bot.tg.user_message(chat, chat, text,
                                     forward_origin=bot.tg.origin_channel(username="kw"))  # fmt: skip
        ids.append(update["message"]["message_id"])
        await bot.replies(chat, before + 1)
    return ids


async def ask(bot: Bot, chat: int, args: str = "", **kw) -> str:
    before = len(bot.tg.sent_messages(chat))
    bot.tg.command(chat, chat, "who", args=args, **kw)
    replies = await bot.replies(chat, before + 1)
    return str(replies[before]["text"])


@pytest.mark.parametrize(
    ("query", "actor"),
    [
        ("Kim Jong Un", "Kim Jong Un"),
        ("kim jong-un", "Kim Jong Un"),  # punctuation
        ("the north korean leader", "Kim Jong Un"),  # alias
        ("pyongyang", "North Korea"),  # alias, case
        ("DPRK", "North Korea"),
        ("Lee", "Lee Jae-myung"),  # an alias the briefing recorded
        ("Jae-myung", "Lee Jae-myung"),  # part of the name, not an alias
        ("lee jae myung", "Lee Jae-myung"),
        ("Bejing", "China"),  # typo of an alias
        ("Kím Jöng Ün", "Kim Jong Un"),  # diacritics
    ],
)
async def test_who_finds_actors_forgivingly(bot: Bot, query: str, actor: str) -> None:
    await send_articles(bot, USER, KOREA)
    reply = parse_html(await ask(bot, USER, query))[0]
    assert reply.startswith(actor)
    assert "stance" in reply


async def test_who_lists_stances_newest_first_with_quotes_and_sources(bot: Bot) -> None:
    await send_articles(bot, USER, KOREA, KOREA2)
    html = await ask(bot, USER, "North Korea")
    text = parse_html(html)[0]
    assert text.index("deeds, not its words") < text.index("guns of the aggressors")  # newest first
    assert "<blockquote>will never sit at the table" in html
    assert '<a href="https://t.me/kw/1">' in html
    assert "2 stances in 2 articles" in text


async def test_who_flags_a_stance_shift(bot: Bot) -> None:
    await send_articles(bot, USER, KOREA, KOREA2)
    text = parse_html(await ask(bot, USER, "pyongyang"))[0]
    assert "Shifts" in text
    assert "🔄 North Korea on talks with the United States: ❌ opposes" in text
    assert "✅ supports" in text


async def test_ambiguous_name_offers_buttons_and_the_choice_answers(bot: Bot) -> None:
    await send_articles(bot, USER, KOREA, KOREA2)
    bot.tg.command(USER, USER, "who", args="kim")
    replies = await bot.replies(USER, 3)
    question = replies[2]
    assert "Several actors match" in question["text"]
    buttons = [b for row in question["reply_markup"]["inline_keyboard"] for b in row]
    assert {b["text"].split(" (")[0] for b in buttons} == {"Kim Jong Un", "Kim Yo Jong"}
    [choice] = [b for b in buttons if b["text"].startswith("Kim Yo Jong")]
    message_id = bot.tg.bot_messages(USER)[-1]["message_id"]
    bot.tg.callback_query(USER, USER, message_id, choice["callback_data"])
    replies = await bot.replies(USER, 4)
    assert parse_html(replies[3]["text"])[0].startswith("Kim Yo Jong")
    assert bot.tg.requests("answerCallbackQuery")


async def test_long_names_get_buttons_telegram_accepts(bot: Bot) -> None:
    # Keys longer than Telegram's 64 bytes of callback data: the fake refuses them, like Telegram.
    ministries = [f"Министерство {what} Корейской Народно-Демократической Республики"
                  for what in ("иностранных дел", "обороны")]  # fmt: skip
    article = news("ministry statements") + " " + " ".join(ministries)
    bot.llm.responder = lambda _r: Reply(content=briefing(*(
        actor(name, "organisation", [], stance("talks", "Wants talks", "supports", "talks"))
        for name in ministries
    )))  # fmt: skip
    await send_articles(bot, USER, article)
    bot.tg.command(USER, USER, "who", args="Министерство")
    question = (await bot.replies(USER, 2))[1]
    assert "Several actors match" in question["text"]
    buttons = [b for row in question["reply_markup"]["inline_keyboard"] for b in row]
    assert len(buttons) == 2
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)
    [choice] = [b for b in buttons if "обороны" in b["text"]]
    message_id = bot.tg.bot_messages(USER)[-1]["message_id"]
    bot.tg.callback_query(USER, USER, message_id, choice["callback_data"])
    page = (await bot.replies(USER, 3))[2]
    assert parse_html(page["text"])[0].startswith(ministries[1])


async def test_unknown_name_says_so_and_suggests(bot: Bot) -> None:
    await send_articles(bot, USER, KOREA)
    assert "haven't seen “Putin”" in await ask(bot, USER, "Putin")
    assert "Did you mean: China" in await ask(bot, USER, "Chinese government")


async def test_who_alone_lists_recent_actors_with_counts(bot: Bot) -> None:
    await send_articles(bot, USER, KOREA, KOREA2)
    text = parse_html(await ask(bot, USER))[0]
    assert "North Korea (state) — 2 articles" in text
    assert "Kim Jong Un (person) — 1 article" in text


async def test_who_as_reply_lists_that_articles_actors(bot: Bot) -> None:
    originals = await send_articles(bot, USER, KOREA, KOREA2)
    first_briefing = bot.tg.bot_messages(USER)[0]["message_id"]
    await bot.tg.wait_for(
        lambda: bot.services.index.article_for_message(USER, first_briefing), timeout=10
    )  # recorded by the worker right after Telegram's answer
    text = parse_html(await ask(bot, USER, reply_to_message_id=first_briefing))[0]
    assert "Lee Jae-myung" in text and "Kim Yo Jong" not in text
    text = parse_html(await ask(bot, USER, reply_to_message_id=originals[1]))[0]
    assert "Kim Yo Jong" in text and "Lee Jae-myung" not in text
    unbriefed = bot.tg.user_message(USER, USER, "just chatting here")
    await bot.replies(USER, 5)  # the bot's hint for a short text
    reply = await ask(bot, USER, reply_to_message_id=unbriefed["message"]["message_id"])
    assert "haven't briefed that message" in reply


async def test_chats_never_see_each_others_articles(bot: Bot) -> None:
    await send_articles(bot, USER, KOREA)
    await send_articles(bot, OTHER_USER, news("fishing quotas"))
    assert "haven't seen" in await ask(bot, OTHER_USER, "Kim Jong Un")
    assert "Kim Jong Un" not in parse_html(await ask(bot, OTHER_USER))[0]
    assert parse_html(await ask(bot, USER, "Kim Jong Un"))[0].startswith("Kim Jong Un")
