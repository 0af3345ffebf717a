"""The 24 h overview is a persisted job: no update slot held while it is written, none lost."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from bot.jobs.pending import JobKind, PendingStore
from tests.briefings import is_digest, news, newsroom
from tests.fake_telegram import parse_html
from tests.harness import USER, running_bot


async def test_other_updates_are_answered_while_the_overview_is_written(
    tg, fake_llm, make_settings
) -> None:
    gate = threading.Event()
    answer = newsroom()

    def held_digest(request):
        if is_digest(request):
            gate.wait(timeout=30)
        return answer(request)

    fake_llm.responder = held_digest
    async with running_bot(tg, fake_llm, make_settings) as bot:
        try:
            bot.tg.user_message(USER, USER, news("harbour strike"))
            await bot.replies(USER, 1)
            asked = bot.tg.command(USER, USER, "brief")["message"]["message_id"]
            store = PendingStore(bot.services.index)
            await bot.tg.wait_for(
                lambda: (
                    [j.kind for j in store.pending()] == [JobKind.OVERVIEW]
                    and fake_llm.in_flight == 1
                ),
                timeout=10,
            )
            # The LLM is writing the overview, and no update slot waits for it.
            assert bot.app.update_processor.current_concurrent_updates == 0
            bot.tg.command(USER, USER, "help")
            replies = await bot.replies(USER, 2)
            assert "turns news into briefings" in replies[1]["text"]
        finally:
            gate.set()
        replies = await bot.replies(USER, 3)
        await bot.tg.wait_for(lambda: not store.pending(), timeout=10)
    overview = replies[2]
    assert overview["reply_parameters"]["message_id"] == asked
    assert parse_html(overview["text"])[0].startswith("🗞 Digest of 1 article")


async def test_an_overview_asked_before_a_crash_is_answered_at_start_up(
    tg, fake_llm, make_settings
) -> None:
    fake_llm.responder = newsroom()
    async with running_bot(tg, fake_llm, make_settings) as bot:
        bot.tg.user_message(USER, USER, news("grain corridor"))
        await bot.replies(USER, 1)
        # What /brief leaves on disk when the bot dies before the worker answers it.
        job = PendingStore(bot.services.index).add(
            JobKind.OVERVIEW, chat_id=USER, message_id=77, reply_to=77, now=datetime.now(UTC)
        )
        assert job is not None
    async with running_bot(tg, fake_llm, make_settings) as bot:
        replies = await bot.replies(USER, 2)
        await bot.tg.wait_for(lambda: not PendingStore(bot.services.index).pending(), timeout=10)
    overview = replies[1]
    assert overview["reply_parameters"]["message_id"] == 77
    text = parse_html(overview["text"])[0]
    assert text.startswith("⏳ Sorry for the delay")
    assert "🗞 Digest of 1 article" in text
    assert "Grain Corridor update" in text


async def test_an_overview_of_an_empty_window_says_so_and_is_done(
    tg, fake_llm, make_settings
) -> None:
    async with running_bot(tg, fake_llm, make_settings) as bot:
        bot.tg.command(USER, USER, "digest", args="now")
        [reply] = await bot.replies(USER, 1)
        await bot.tg.wait_for(lambda: not PendingStore(bot.services.index).pending(), timeout=10)
    assert reply["text"].startswith("No briefed articles here in the last 24 h")
    assert fake_llm.calls == 0
