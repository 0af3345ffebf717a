"""Groups as users expect them: linked-channel auto-forwards, albums, forward with comment,
buttons that always get an answer."""

from __future__ import annotations

import pytest

from bot.store.chat_queries import ChatQueries
from bot.telegram.briefs import TOO_SHORT_HINT
from bot.telegram.posts import ONLY_TEXT
from tests.briefings import fixture, korea2_briefing, korea_briefing, news, newsroom
from tests.fake_telegram import FakeTelegram
from tests.groupkit import answered, group_bot, idle, is_help, settle
from tests.harness import GROUP, OTHER_USER, USER, Bot

KOREA = fixture("korea.txt")
CHANNEL = FakeTelegram.channel(-1005550001, "Desk Channel")


@pytest.fixture
async def bot(tg, fake_llm, make_settings):
    fake_llm.responder = newsroom({"Pyongyang fires missile": korea_briefing(),
                                   "ready for talks, Kim's sister": korea2_briefing()})  # fmt: skip
    async with group_bot(tg, fake_llm, make_settings, allowed_chat_ids=str(GROUP),
                         user_rate_limit_per_hour=1, chat_rate_limit_per_hour=2) as running:  # fmt: skip
        yield running


def briefings(bot: Bot, chat_id: int) -> list[str]:
    return [t for t in bot.texts(chat_id) if "own words" in t or "Echo Person" in t]


async def test_auto_forwards_are_ignored_until_the_group_opts_in(bot: Bot) -> None:
    bot.tg.auto_forward(GROUP, CHANNEL, news("port tariffs"))
    await settle(bot, GROUP)
    assert briefings(bot, GROUP) == []
    assert bot.llm.calls == 0
    bot.tg.chat_admins[GROUP] = {USER}
    bot.tg.command(GROUP, USER, "autoforwards", "on")
    [*_, ok] = await bot.replies(GROUP, 2)
    assert "are briefed here" in ok["text"]
    assert bot.services.chat_settings.auto_forwards(GROUP).enabled  # persisted
    posts = [bot.tg.auto_forward(GROUP, CHANNEL, news(f"port tariffs {i}")) for i in range(3)]
    await settle(bot, GROUP)
    await bot.tg.wait_for(lambda: len(briefings(bot, GROUP)) == 2, timeout=10)
    replied = {m["reply_parameters"]["message_id"] for m in bot.tg.sent_messages(GROUP)
               if "reply_parameters" in m and "Echo Person" in m["text"]}  # fmt: skip
    assert len(replied) == 2  # under the post: its comments
    assert replied <= {p["message"]["message_id"] for p in posts}
    # Past the per-user limit of 1 (nobody's quota), stopped by the per-chat limit of 2, quietly.
    assert not any("⏳" in t for t in bot.texts(GROUP))


async def test_autoforwards_off_stops_them_again(bot: Bot) -> None:
    bot.tg.chat_admins[GROUP] = {USER}
    # Commands are handled concurrently (an admin check awaits Telegram), so the user's
    # second command is sent after the first one's reply, as a person would.
    bot.tg.command(GROUP, USER, "autoforwards", "on")
    await bot.replies(GROUP, 1)
    bot.tg.command(GROUP, USER, "autoforwards", "off")
    await bot.replies(GROUP, 2)
    assert not bot.services.chat_settings.auto_forwards(GROUP).enabled
    bot.tg.auto_forward(GROUP, CHANNEL, news("ferry timetable"))
    await settle(bot, GROUP)
    assert bot.llm.calls == 0


@pytest.mark.parametrize(
    ("captions", "chat"),
    [
        ([KOREA, None, None], USER),
        ([None, KOREA, None], USER),
        ([KOREA, KOREA, KOREA, KOREA], USER),
        ([KOREA, None, None], GROUP),
        ([KOREA] * 3, GROUP),
    ],
)
async def test_an_album_gets_exactly_one_briefing(bot: Bot, captions, chat) -> None:
    bot.tg.album(chat, USER, captions, forward_origin=bot.tg.origin_channel())
    replies = await answered(bot, chat)
    assert len(replies) == 1, replies
    assert "North Korea fires missile" in replies[0]
    assert bot.llm.calls == 1
    assert ONLY_TEXT not in replies[0]


async def test_an_album_without_any_caption_gets_one_explanation(bot: Bot) -> None:
    bot.tg.album(USER, USER, [None, None, None])
    assert await answered(bot, USER) == [ONLY_TEXT]


async def test_forward_with_comment_draws_no_too_short_hint(bot: Bot) -> None:
    origin = bot.tg.origin_channel()
    bot.tg.forward_with_comment(USER, USER, "look at this one", KOREA, origin)
    replies = await answered(bot, USER)
    assert len(replies) == 1 and "North Korea fires missile" in replies[0]
    assert TOO_SHORT_HINT not in bot.texts(USER)


async def test_a_short_text_alone_still_gets_the_hint(bot: Bot) -> None:
    bot.tg.user_message(USER, USER, "hello there")
    [hint] = await bot.replies(USER)
    assert hint["text"] == TOO_SHORT_HINT


def answers(bot: Bot) -> dict[str, object]:
    return {str(r.params["callback_query_id"]): r.params.get("text")
            for r in bot.tg.requests("answerCallbackQuery") if r.status == 200}  # fmt: skip


@pytest.mark.parametrize("data", ["bogus", "who:", "who:nobody-like-this", "x" * 64])
async def test_a_tampered_or_stale_button_gets_a_short_answer(bot: Bot, data: str) -> None:
    bot.tg.command(USER, USER, "help")
    [own] = await bot.replies(USER)
    assert is_help(own["text"])
    msg_id = bot.tg.bot_messages(USER)[0]["message_id"]
    query = bot.tg.callback_query(USER, USER, msg_id, data)["callback_query"]["id"]
    await bot.tg.wait_for(lambda: query in answers(bot), timeout=10)
    answer = str(answers(bot)[query] or "")
    assert 0 < len(answer) <= 80  # a short text (a toast, not an alert), never silence
    await idle(bot)  # the handler has finished: anything it sent has been sent
    assert bot.texts(USER) == [own["text"]]  # no apology, nothing else sent


async def test_pressing_a_who_button_twice_answers_both_and_sends_once(bot: Bot) -> None:
    origin = bot.tg.origin_channel()
    bot.tg.user_message(GROUP, USER, KOREA, forward_origin=origin)
    bot.tg.user_message(GROUP, OTHER_USER, fixture("korea2.txt"), forward_origin=origin)
    await bot.replies(GROUP, 2)
    bot.tg.command(GROUP, USER, "who", "kim")
    replies = await bot.replies(GROUP, 3)
    data = replies[2]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    msg_id = bot.tg.bot_messages(GROUP)[2]["message_id"]
    first = bot.tg.callback_query(GROUP, USER, msg_id, data)["callback_query"]["id"]
    await bot.replies(GROUP, 4)
    again = bot.tg.callback_query(GROUP, USER, msg_id, data)["callback_query"]["id"]
    await bot.tg.wait_for(lambda: {first, again} <= set(answers(bot)), timeout=10)
    await settle(bot, GROUP)
    assert len(bot.texts(GROUP)) == 5  # the actor once, then /help: no second copy, no apology
    assert answers(bot)[again]  # the second tap is told why nothing happens


async def test_a_button_whose_handler_fails_is_still_answered(bot: Bot, monkeypatch) -> None:
    bot.tg.command(USER, USER, "help")
    await bot.replies(USER)
    msg_id = bot.tg.bot_messages(USER)[0]["message_id"]

    def broken(*_args: object, **_kw: object) -> None:
        raise RuntimeError("index unavailable")

    # Class-wide: /who reads on the index's database thread, with that thread's connection.
    monkeypatch.setattr(ChatQueries, "chat_actor_forms", broken)
    query = bot.tg.callback_query(USER, USER, msg_id, "who:kim")["callback_query"]["id"]
    await bot.tg.wait_for(lambda: query in answers(bot), timeout=10)
    assert "went wrong" in str(answers(bot)[query])
    [_, apology] = await bot.replies(USER, 2)
    assert "went wrong" in apology["text"]
