"""Per-chat limits on the expensive commands: /brief alone, /digest now, /who and its buttons."""

from __future__ import annotations

from bot.telegram.command_windows import CommandLimits
from tests.briefings import korea2_briefing, korea_briefing, newsroom
from tests.e2e.test_who import KOREA, KOREA2, send_articles
from tests.harness import OTHER_USER, USER, Bot, running_bot


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _limits(bot: Bot, ticks: Ticks) -> None:
    data = bot.app.bot_data
    data.command_limits = CommandLimits(bot.settings.command_limits, clock=ticks)


async def _last_reply(bot: Bot, chat: int, command: str, args: str = "") -> str:
    before = len(bot.tg.sent_messages(chat))
    bot.tg.command(chat, chat, command, args=args)
    return str((await bot.replies(chat, before + 1))[before]["text"])


async def test_overview_and_digest_now_are_limited_per_chat(tg, fake_llm, make_settings) -> None:
    ticks = Ticks()
    limits = "overview=2/60,digest_now=1/60"
    async with running_bot(tg, fake_llm, make_settings, command_limits=limits) as bot:
        _limits(bot, ticks)
        for _ in range(2):
            assert (await _last_reply(bot, USER, "brief")).startswith("No briefed articles")
        refused = await _last_reply(bot, USER, "brief")
        assert refused == "⏳ /brief was asked a lot here lately. Please wait 1 hour."
        # Another command's limit and another chat's are their own.
        assert (await _last_reply(bot, USER, "digest", "now")).startswith("No briefed")
        assert (await _last_reply(bot, OTHER_USER, "brief")).startswith("No briefed")
        ticks.now += 59 * 60 + 1  # the first /brief leaves the window in under a minute
        refused = await _last_reply(bot, USER, "digest", "now")
        assert refused == "⏳ /digest now was asked a lot here lately. Please wait 1 minute."
        ticks.now += 60
        assert (await _last_reply(bot, USER, "brief")).startswith("No briefed articles")
    assert fake_llm.calls == 0


async def test_who_is_limited_and_its_buttons_answer_with_an_alert(
    tg, fake_llm, make_settings
) -> None:
    ticks = Ticks()
    async with running_bot(tg, fake_llm, make_settings, command_limits="who=2/10") as bot:
        bot.llm.responder = newsroom({"Pyongyang fires missile": korea_briefing(),
                                      "ready for talks, Kim's sister": korea2_briefing()})  # fmt: skip
        await send_articles(bot, USER, KOREA, KOREA2)
        _limits(bot, ticks)
        question = await _last_reply(bot, USER, "who", "kim")
        assert "Several actors match" in question
        message = bot.tg.bot_messages(USER)[-1]
        [choice, *_] = [b for row in message["reply_markup"]["inline_keyboard"] for b in row]
        assert "Actors in this chat" in await _last_reply(bot, USER, "who")
        ticks.now += 30  # 9.5 minutes to go: the wait is rounded up
        refused = await _last_reply(bot, USER, "who", "North Korea")
        assert refused == "⏳ /who was asked a lot here lately. Please wait 10 minutes."
        sent = len(bot.tg.sent_messages(USER))
        bot.tg.callback_query(USER, USER, message["message_id"], choice["callback_data"])
        await bot.tg.wait_for(lambda: bot.tg.requests("answerCallbackQuery"), timeout=10)
        [answer] = [r.params for r in bot.tg.requests("answerCallbackQuery")]
        assert answer["text"] == "⏳ /who was asked a lot here lately. Please wait 10 minutes."
        assert answer["show_alert"] is True
        assert len(bot.tg.sent_messages(USER)) == sent  # an alert, not a message
