"""/search end to end: filters, paging buttons, links, isolation, bad queries, unknown commands."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.telegram.search import GONE, STALE
from tests.archive_kit import articles, load
from tests.briefings import fixture, korea_briefing, newsroom
from tests.fake_llm import FakeLLM
from tests.fake_telegram import FakeTelegram, parse_html
from tests.groupkit import group_bot, settle
from tests.harness import GROUP, OTHER_USER, USER, Bot

TITLES = {a["id"]: a["title"] for a in articles()}
CHATS = {1001: USER, 2002: OTHER_USER, -1003003: GROUP}


@pytest.fixture
async def bot(tg: FakeTelegram, fake_llm: FakeLLM, make_settings: Any) -> AsyncIterator[Bot]:
    fake_llm.responder = newsroom({"Pyongyang fires missile": korea_briefing()})
    async with group_bot(tg, fake_llm, make_settings, allowed_chat_ids=str(GROUP)) as running:
        load(running.services.index, chats=CHATS)
        yield running


async def search(bot: Bot, chat: int, args: str, **kw: Any) -> dict[str, Any]:
    before = len(bot.tg.sent_messages(chat))
    bot.tg.command(chat, USER if chat != OTHER_USER else OTHER_USER, "search", args, **kw)
    sent = (await bot.replies(chat, before + 1))[before]
    # The params as sent (HTML), and the message's id as Telegram gave it.
    return {**sent, "message_id": bot.tg.bot_messages(chat)[-1]["message_id"]}


def titles_in(html: str) -> set[str]:
    text = parse_html(html)[0]
    return {i for i, title in TITLES.items() if title in text}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("actor:kim", {"en01", "en02", "en03", "en41", "en60"}),
        ("Kim source:apnews.com", {"en02"}),
        ("Kim since:2026-11-03 until:2026-11-30", {"en02", "en03", "en41"}),
        ("Merz lang:de", {"de03"}),
        ('"shadow fleet"', {"en04", "en06"}),
        ("налогами", {"ru01", "ru02", "ru03"}),
    ],
)
async def test_search_with_each_filter(bot: Bot, args: str, expected: set[str]) -> None:
    reply = await search(bot, USER, args)
    assert titles_in(reply["text"]) == expected
    assert f"<b>{len(expected)}</b> article" in reply["text"]


async def test_hits_show_date_source_links_and_marked_snippet(bot: Bot) -> None:
    reply = await search(bot, USER, "sanctioned tanker")
    html = reply["text"]
    # The one date style: "11 Nov", its year only when it is not the current one (real clock).
    this_year = datetime.now(UTC).year == 2026
    dated = "11 Nov · Reuters · " if this_year else "11 Nov 2026 · Reuters · "
    assert html.index(TITLES["en06"]) < html.index(dated)
    assert '<a href="https://www.reuters.com/world/sanctioned-tanker-seized">original</a>' in html
    assert "<b>sanctioned</b> oil <b>tanker</b>" in html
    parse_html(html)  # valid Telegram HTML
    # A private chat has no message links: a numbered button replies to the message instead.
    buttons = [b for row in reply["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons[0]["text"] == "↩ 1"
    before = len(bot.tg.sent_messages(USER))
    bot.tg.callback_query(USER, USER, reply["message_id"], buttons[0]["callback_data"])
    sent = await bot.replies(USER, before + 1)
    assert sent[before]["text"] == GONE  # the seeded message was never in this fake chat


async def test_paging_buttons_edit_the_results(bot: Bot) -> None:
    reply = await search(bot, USER, "sanctions")
    assert "page 1 of 2" in reply["text"]
    [*_, paging] = reply["reply_markup"]["inline_keyboard"]
    assert [b["text"] for b in paging] == ["Next ▶"]
    assert len(paging[0]["callback_data"].encode()) <= 64
    first = titles_in(reply["text"])
    bot.tg.callback_query(USER, USER, reply["message_id"], paging[0]["callback_data"])
    await bot.tg.wait_for(lambda: bot.tg.requests("editMessageText"), timeout=10, message="edit")
    edited = bot.tg.requests("editMessageText")[-1].params
    assert "page 2 of 2" in edited["text"]
    assert titles_in(edited["text"]).isdisjoint(first)
    bot.tg.callback_query(USER, USER, reply["message_id"], "search:999999:1")
    await bot.tg.wait_for(
        lambda: any(r.params.get("text") == STALE for r in bot.tg.requests("answerCallbackQuery")),
        timeout=10, message="stale answer",
    )  # fmt: skip


async def test_chats_only_search_their_own_articles(bot: Bot) -> None:
    assert titles_in((await search(bot, USER, "Airbus"))["text"]) == {"en24"}
    nothing = await search(bot, OTHER_USER, "Airbus")
    assert parse_html(nothing["text"])[0].startswith("Nothing found for “Airbus”")
    in_group = await search(bot, GROUP, "Merz")
    assert titles_in(in_group["text"]) == {"de03", "de16", "de17", "de25", "en43"}
    assert 'href="https://t.me/c/1234500001/' in in_group["text"]  # a supergroup's message links


async def test_usage_and_readable_errors(bot: Bot) -> None:
    usage = await search(bot, USER, "")
    assert "/search WORDS" in parse_html(usage["text"])[0]
    bad = await search(bot, USER, "kim since:yesterday")
    assert "“since:yesterday” is not a date" in parse_html(bad["text"])[0]
    unknown = await search(bot, USER, "kim colour:red")
    assert "I don't know the filter “colour:”" in parse_html(unknown["text"])[0]


async def test_a_forwarded_article_is_searchable_and_its_button_points_at_it(bot: Bot) -> None:
    origin = bot.tg.origin_channel(username="kw")
    sent = bot.tg.user_message(USER, USER, fixture("korea.txt"), forward_origin=origin)
    await bot.replies(USER, 1)
    reply = await search(bot, USER, "rehearsal invasion source:@kw")
    assert "<b>rehearsal</b> for <b>invasion</b>" in reply["text"]
    go = reply["reply_markup"]["inline_keyboard"][0][0]
    before = len(bot.tg.sent_messages(USER))
    bot.tg.callback_query(USER, USER, reply["message_id"], go["callback_data"])
    pointed = (await bot.replies(USER, before + 1))[before]
    assert pointed["reply_parameters"]["message_id"] == sent["message"]["message_id"]


async def test_unknown_commands_get_the_nearest_one_where_they_are_ours(bot: Bot) -> None:
    before = len(bot.tg.sent_messages(USER))
    bot.tg.user_message(USER, USER, "/serch kim")
    reply = (await bot.replies(USER, before + 1))[before]
    assert parse_html(reply["text"])[0] == "Unknown command /serch. Did you mean /search?"
    # In a group a bare /cmd or another bot's /cmd@name is left alone; /cmd@us is answered.
    bot.tg.user_message(GROUP, USER, "/serch kim")
    bot.tg.user_message(GROUP, USER, "/serch@other_bot kim")
    await settle(bot, GROUP)
    assert not any("Unknown command" in t for t in bot.texts(GROUP))
    before = len(bot.tg.sent_messages(GROUP))
    bot.tg.user_message(GROUP, USER, "/wh0@briefbot_test_bot")
    reply = (await bot.replies(GROUP, before + 1))[before]
    assert parse_html(reply["text"])[0] == "Unknown command /wh0. Did you mean /who?"


async def test_a_basic_group_has_no_message_links_so_each_hit_gets_a_reply_button(
    tg: FakeTelegram, fake_llm: FakeLLM, make_settings: Any
) -> None:
    basic = -4012345678  # a basic group: Telegram gives its messages no links
    async with group_bot(tg, fake_llm, make_settings, allowed_chat_ids=str(basic)) as running:
        load(running.services.index, chats={-1003003: basic})
        reply = await search(running, basic, "Merz")
        text = parse_html(reply["text"])[0]
        assert "t.me/" not in reply["text"]
        buttons = [b for row in reply["reply_markup"]["inline_keyboard"] for b in row]
        shown = [b["text"] for b in buttons if b["text"].startswith("↩")]
        assert shown == [f"↩ {n}" for n in range(1, len(shown) + 1)]
        assert len(shown) == text.count("↩ ") == 5  # every "↩ N" in the text has its button
        before = len(running.tg.sent_messages(basic))
        running.tg.callback_query(basic, USER, reply["message_id"], buttons[0]["callback_data"])
        sent = await running.replies(basic, before + 1)
        assert sent[before]["text"] == GONE  # the button answered (the seeded message is not here)
