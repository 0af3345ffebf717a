"""/who paging and filters end to end: Newer / Older buttons, issue and period filters."""

from __future__ import annotations

from typing import Any

from bot.models import Polarity
from tests.fake_telegram import parse_html
from tests.harness import OTHER_USER, USER, Bot
from tests.who_kit import brief_and_send, person, said, stored

STANCES = 25  # three pages of ten


def _seed(bot: Bot, chat: int = USER) -> None:
    # Day 0 is 1 Mar 2025; even days are about sanctions, odd ones about talks.
    for day in range(STANCES):
        issue = "sanctions on North Korea" if day % 2 == 0 else "talks with the United States"
        polarity = Polarity.OPPOSES if day < 20 else Polarity.SUPPORTS
        stance = said(f"Words of day {day}.", target=issue, issue=issue, polarity=polarity)
        made = stored(f"article{day:02d}", person("Kim Jong Un", stance))
        brief_and_send(bot.services.index, chat, made, day=day)


async def _ask(bot: Bot, chat: int, args: str) -> dict[str, Any]:
    before = len(bot.tg.sent_messages(chat))
    bot.tg.command(chat, chat, "who", args=args)
    await bot.replies(chat, before + 1)
    return bot.tg.bot_messages(chat)[-1]  # as Telegram keeps it: with its id


def _buttons(message: dict[str, Any]) -> dict[str, str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}


async def test_older_and_newer_buttons_page_through_every_stance(bot: Bot) -> None:
    _seed(bot)
    page = await _ask(bot, USER, "Kim Jong Un")
    text = parse_html(page["text"])[0]
    assert "25 stances in 25 articles" in text
    assert "Page 1 of 3" in text
    assert "Words of day 24." in text and "Words of day 14." not in text
    buttons = _buttons(page)
    assert set(buttons) == {"1 / 3", "Older »"}
    assert all(len(data.encode()) <= 64 for data in buttons.values())

    async def tap(label: str, message: dict[str, Any]) -> dict[str, Any]:
        mid = message["message_id"]
        bot.tg.callback_query(USER, USER, mid, _buttons(message)[label])

        def edited() -> dict[str, Any]:
            now = next(m for m in bot.tg.bot_messages(USER) if m["message_id"] == mid)
            return now if now["text"] != message["text"] else {}

        return await bot.tg.wait_for(edited, timeout=10)

    second = await tap("Older »", page)
    text = parse_html(second["text"])[0]
    assert "Page 2 of 3" in text
    assert "Words of day 14." in text and "Words of day 24." not in text
    assert set(_buttons(second)) == {"« Newer", "2 / 3", "Older »"}
    third = await tap("Older »", second)
    assert "Words of day 0." in third["text"] and set(_buttons(third)) == {"« Newer", "3 / 3"}
    first = await tap("« Newer", await tap("« Newer", third))
    assert "Words of day 24." in first["text"]
    assert len(bot.tg.sent_messages(USER)) == 1  # the page changed in place


async def test_issue_words_and_a_period_filter_the_page(bot: Bot) -> None:
    _seed(bot)
    text = parse_html((await _ask(bot, USER, "kim jong un sanctions since:2025-03-15"))["text"])[0]
    # Days 14, 16, …, 24: six sanctions stances in the period, of 25 in all.
    assert "6 stances in 6 articles on “sanctions”, since 15 Mar 2025 (of 25 in all)" in text
    assert "Words of day 24." in text and "Words of day 14." in text
    assert "Words of day 15." not in text and "Words of day 12." not in text
    assert "🔄 Kim Jong Un on sanctions on North Korea: ❌ opposes" in text  # day 18 → 20
    text = parse_html((await _ask(bot, USER, "Kim talks until:2025-03-04"))["text"])[0]
    assert "2 stances in 2 articles on “talks”, until 4 Mar 2025" in text  # days 1 and 3
    text = parse_html((await _ask(bot, USER, "kim jong un weather"))["text"])[0]
    assert "No stances on “weather” (of 25 in all)" in text


async def test_a_bad_period_is_named_and_a_stale_button_is_answered(bot: Bot) -> None:
    _seed(bot)
    assert "write the date as 2026-11-01" in (await _ask(bot, USER, "kim since:1.11.26"))["text"]
    assert "not a period" in (await _ask(bot, USER, "kim 0d"))["text"]
    page = await _ask(bot, USER, "Kim Jong Un")
    bot.tg.callback_query(USER, USER, page["message_id"], "whop:nosuchtk:2")
    answers = await bot.tg.wait_for(lambda: bot.tg.requests("answerCallbackQuery"), timeout=10)
    assert "expired" in str(answers[-1].params.get("text"))


async def test_another_chats_token_pages_nothing(bot: Bot) -> None:
    _seed(bot, USER)
    _seed(bot, OTHER_USER)
    mine = _buttons(await _ask(bot, USER, "Kim Jong Un"))["Older »"]
    theirs = await _ask(bot, OTHER_USER, "Kim Jong Un")
    bot.tg.callback_query(OTHER_USER, OTHER_USER, theirs["message_id"], mine)
    answers = await bot.tg.wait_for(lambda: bot.tg.requests("answerCallbackQuery"), timeout=10)
    assert "expired" in str(answers[-1].params.get("text"))
    assert "Page 1 of 3" in bot.tg.bot_messages(OTHER_USER)[-1]["text"]


async def test_a_choice_among_several_actors_keeps_the_filters(bot: Bot) -> None:
    _seed(bot)
    sister = said("Words of the sister.", target="sanctions", issue="sanctions on North Korea")
    brief_and_send(
        bot.services.index, USER, stored("sister", person("Kim Yo Jong", sister)), day=30
    )
    question = await _ask(bot, USER, "kim sanctions")
    assert "Several actors match “kim”" in question["text"]
    buttons = {label.split(" (")[0]: data for label, data in _buttons(question).items()}
    assert set(buttons) == {"Kim Jong Un", "Kim Yo Jong"}
    assert all(len(data.encode()) <= 64 for data in buttons.values())
    bot.tg.callback_query(USER, USER, question["message_id"], buttons["Kim Jong Un"])
    page = (await bot.replies(USER, 2))[1]
    text = parse_html(page["text"])[0]
    assert text.startswith("Kim Jong Un")
    assert "13 stances in 13 articles on “sanctions” (of 25 in all)" in text  # even days
    assert "Page 2 of 2" not in text and "Page 1 of 2" in text
