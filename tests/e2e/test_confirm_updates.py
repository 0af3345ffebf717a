"""Updates are confirmed to Telegram only once handled: a crash loses none (polling.py)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, CommandHandler, MessageHandler, filters

from bot.telegram import polling
from bot.telegram.operators import LoggedUpdates
from bot.telegram.polling import PagedBot, build_bot
from tests.fake_telegram import FakeTelegram
from tests.harness import USER

App = Application[Any, Any, Any, Any, Any, Any]


class Handlers:
    """Answer every text and /who with "done …"; hold those that start with "hold" or /who."""

    def __init__(self, *, hold: bool) -> None:
        self.started: list[str] = []
        self.release = asyncio.Event()
        if not hold:
            self.release.set()

    async def __call__(self, update: Update, _context: object) -> None:
        message = update.effective_message
        assert message is not None and message.text is not None
        self.started.append(message.text)
        if message.text.startswith(("hold", "/who")):
            await self.release.wait()
        await message.reply_text(f"done {message.text}")


@asynccontextmanager
async def polling_app(tg: FakeTelegram, handlers: Handlers) -> AsyncIterator[App]:
    """The bot's own bot object and update processor, polling the fake; started, not stopped."""
    bot = build_bot(tg.token, tg.base_url, 1000.0)
    app = ApplicationBuilder().bot(bot).concurrent_updates(LoggedUpdates(8, bot.handouts)).build()
    app.add_handler(CommandHandler("who", handlers))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, handlers))
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    yield app


async def stop(app: App) -> None:
    """Stop as `run_polling` does."""
    assert app.updater is not None
    await app.updater.stop()
    await app.stop()
    await app.shutdown()


async def crash(tasks: set[asyncio.Task[Any]]) -> None:
    """Kill an app as kill -9 would: none of its code runs again, nothing stops gracefully."""
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def done(tg: FakeTelegram, text: str) -> int:
    return sum(m["text"] == f"done {text}" for m in tg.sent_messages(USER))


async def test_a_crash_loses_no_update_being_handled_and_redelivers_the_finished_before(
    tg: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(polling, "REPOLL_S", 0.05)
    ours = asyncio.all_tasks()
    first = Handlers(hold=True)
    async with polling_app(tg, first) as app:
        tg.user_message(USER, USER, "quick one")
        await tg.wait_for(lambda: done(tg, "quick one") == 1)
        tg.user_message(USER, USER, "hold the article")
        tg.user_message(USER, USER, "/who")
        await tg.wait_for(lambda: len(first.started) == 3)
        # Handlers being held do not keep new updates out, nor make getUpdates spin.
        tg.user_message(USER, USER, "quick two")
        await tg.wait_for(lambda: done(tg, "quick two") == 1)
        # Polling goes on while they are held, each poll waiting REPOLL_S: PTB's loop runs on
        # real time, so the bound is the time taken, however slow a loaded machine makes it.
        polls, began = len(tg.requests("getUpdates")), time.monotonic()
        await tg.wait_for(lambda: len(tg.requests("getUpdates")) - polls >= 5)
        took = time.monotonic() - began
        # Spinning polls every round trip (about a millisecond): hundreds in that time.
        assert len(tg.requests("getUpdates")) - polls <= 3 + took / polling.REPOLL_S
        await crash(asyncio.all_tasks() - ours)
        assert app.bot.handouts.unfinished  # the crash left them unfinished
        crashed = app.bot

    second = Handlers(hold=False)
    try:
        async with polling_app(tg, second) as app:
            await tg.wait_for(lambda: done(tg, "hold the article") == 1 and done(tg, "/who") == 1)
            await stop(app)
    finally:
        # Its connections, closed as the kernel would close a dead process's: none of the
        # bot's own shutdown (which confirms what finished).
        await super(PagedBot, crashed).shutdown()
    # Telegram confirms a prefix: "quick one" was below every unfinished update, "quick two"
    # finished above one, so it is handed out again (a command answered twice, an article's
    # job found stored).
    assert sorted(second.started) == ["/who", "hold the article", "quick two"]
    assert done(tg, "quick one") == 1
    assert tg.pending_updates == 0  # all confirmed at the graceful stop


async def test_a_graceful_stop_confirms_updates_that_finish_after_the_last_poll(
    tg: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(polling, "REPOLL_S", 60.0)  # no part of stopping may wait for it
    handlers = Handlers(hold=True)
    async with polling_app(tg, handlers) as app:
        tg.user_message(USER, USER, "hold on")
        await tg.wait_for(lambda: handlers.started == ["hold on"])
        assert app.updater is not None
        # Its last getUpdates (not waiting) must leave "hold on" unconfirmed.
        await asyncio.wait_for(app.updater.stop(), 10)
        assert tg.pending_updates == 1
        handlers.release.set()
        await app.stop()  # PTB waits for the handlers
        await app.shutdown()  # the bot confirms what finished since
    assert done(tg, "hold on") == 1
    assert tg.pending_updates == 0


def test_one_update_stuck_behind_a_full_window_is_let_go() -> None:
    handouts = polling.Handouts()
    handouts.hand_out(range(1, 101))
    for update_id in range(1, 101):
        if update_id not in (1, 90):
            handouts.finish(update_id)
    # Asking from 1 would fill every answer with the 100 handed out: 90 is the oldest kept.
    assert handouts.offset(101) == 90
    handouts.confirm_below(90)
    assert handouts.window() == 11
    assert handouts.unfinished == {90}
    handouts.finish(90)
    assert handouts.offset(101) == 101


def test_an_update_whose_handler_lost_the_database_is_handed_out_again_once() -> None:
    handouts = polling.Handouts()
    handouts.hand_out([1, 2, 3])
    handouts.handle_again(2)  # its handler found PostgreSQL away (basics._handled_again)
    for update_id in (1, 2, 3):
        handouts.finish(update_id)  # the processor's finally, whatever happened
    assert handouts.unfinished == {2}
    assert handouts.offset(4) == 2  # not confirmed: Telegram sends it again
    handouts.confirm_below(2)
    answer = [{"update_id": 2}, {"update_id": 3}, {"update_id": 4}]
    assert [u["update_id"] for u in handouts.drop_repeats(answer)] == [2, 4]  # 3 was done
    handouts.hand_out([2, 4])
    assert handouts.window() == 3  # 2, 3, 4: the second handing out of 2 is not a new entry
    assert handouts.highest == 4
    handouts.finish(2)
    handouts.finish(4)
    assert handouts.unfinished == set()
    assert handouts.drop_repeats(answer) == []  # handled: never handed out a third time
    assert handouts.offset(5) == 5
