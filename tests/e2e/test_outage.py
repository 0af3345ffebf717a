"""A Telegram outage: a reply that could not be delivered is retried with back-off, once."""

from __future__ import annotations

from bot.jobs.pending import PendingStore
from tests.briefings import echo_briefing, is_digest, news, newsroom
from tests.fake_telegram import parse_html
from tests.harness import USER, running_bot


class Sleeps:
    """An injected sleep that returns at once and remembers what it was asked to wait."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


async def test_a_reply_lost_to_an_outage_arrives_without_a_restart_exactly_once(
    tg, fake_llm, make_settings
) -> None:
    fake_llm.responder = echo_briefing
    async with running_bot(tg, fake_llm, make_settings) as bot:
        data = bot.app.bot_data
        data.replies.sleep = in_line = Sleeps()
        data.workers.sleep = later = Sleeps()
        # Nine sends fail: the worker's own four tries, twice, and one more.
        tg.fail_next("sendMessage", status=502, description="Bad Gateway", count=9, chat_id=USER)
        tg.user_message(USER, USER, news("harbour strike"))
        # Telegram's pace for a private chat (about one a second) is kept, retries included.
        [reply] = await bot.replies(USER, 1, timeout=40)
        store = PendingStore(bot.services.index)
        await tg.wait_for(lambda: not store.pending(), timeout=10)
        await data.workers.join()
        assert len(bot.tg.sent_messages(USER)) == 1  # exactly once
    assert "Harbour Strike officials said" in reply["text"]
    assert fake_llm.calls == 1  # the briefing was kept: only its delivery was retried
    assert later.waits == [30.0, 60.0]  # retried later, backing off; not left for a restart
    assert in_line.waits == [2.0, 10.0, 30.0] * 2 + [2.0]


async def test_an_overview_lost_to_an_outage_is_delivered_later_not_written_again(
    tg, fake_llm, make_settings
) -> None:
    fake_llm.responder = newsroom()
    async with running_bot(tg, fake_llm, make_settings) as bot:
        data = bot.app.bot_data
        data.replies.sleep = Sleeps()
        data.workers.sleep = later = Sleeps()
        tg.user_message(USER, USER, news("harbour strike"))
        await bot.replies(USER, 1)
        tg.fail_next("sendMessage", status=502, description="Bad Gateway", count=5, chat_id=USER)
        tg.command(USER, USER, "digest", "now")
        [_, overview] = await bot.replies(USER, 2, timeout=40)
        await data.workers.join()
        assert len(bot.tg.sent_messages(USER)) == 2
    assert parse_html(overview["text"])[0].startswith("🗞 Digest of 1 article")
    assert later.waits == [30.0]
    assert sum(is_digest(r) for r in fake_llm.requests) == 1  # written once, sent later
