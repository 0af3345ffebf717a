"""Pending work: persisted before the slow part, answered once, resumed after a restart."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from bot.articles.text import make_article
from bot.jobs.degraded import DegradedReplies
from bot.jobs.pending import JobKind, PendingStore
from bot.jobs.runner import MAX_JOB_ATTEMPTS
from bot.models import Source
from bot.services import build_services
from bot.store.index import Index
from tests.briefings import echo_briefing, fixture, korea_briefing, news, newsroom
from tests.fake_llm import Reply
from tests.fake_telegram import parse_html
from tests.harness import USER, running_bot

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
KOREA = fixture("korea.txt")


def _store(tmp_path) -> PendingStore:
    return PendingStore(Index(tmp_path / "index.sqlite3"))


def test_a_message_gets_one_job_however_often_telegram_delivers_it(tmp_path) -> None:
    store = _store(tmp_path)
    job = store.add(JobKind.TEXT, chat_id=1, message_id=7, reply_to=7, now=NOW, text="t")
    assert job is not None
    assert store.add(JobKind.TEXT, chat_id=1, message_id=7, reply_to=7, now=NOW, text="t") is None
    store.done(job.id, NOW)
    assert store.add(JobKind.TEXT, chat_id=1, message_id=7, reply_to=7, now=NOW, text="t") is None
    assert store.pending() == []


def test_jobs_keep_what_the_reply_needs_and_come_back_oldest_first(tmp_path) -> None:
    store = _store(tmp_path)
    source = Source(label="Korea Watch", url="https://t.me/koreawatch/77")
    first = store.add(JobKind.TEXT, chat_id=-100, message_id=3, reply_to=4, now=NOW, text="a",
                      title="T", source=source, user_id=USER, thread_id=9, truncated_from=50_000)  # fmt: skip
    second = store.add(JobKind.LINK, chat_id=-100, message_id=5, reply_to=5, now=NOW,
                       ref="https://example.org/story")  # fmt: skip
    assert first is not None and second is not None
    store.attempt(first.id)
    [a, b] = store.pending()
    assert (a.source, a.title, a.thread_id, a.truncated_from, a.attempts) == (
        source,
        "T",
        9,
        50_000,
        1,
    )
    assert (b.kind, b.ref, b.text) == (JobKind.LINK, "https://example.org/story", None)


def test_done_jobs_are_forgotten_after_a_week_and_their_text_at_once(tmp_path) -> None:
    store = _store(tmp_path)
    job = store.add(JobKind.TEXT, chat_id=1, message_id=1, reply_to=1, now=NOW, text="t")
    assert job is not None
    store.done(job.id, NOW)
    assert store.is_done(job.id)
    assert store.prune(NOW + timedelta(days=6)) == 0
    assert store.prune(NOW + timedelta(days=8)) == 1


async def test_degraded_replies_are_taken_once(tmp_path) -> None:
    replies = DegradedReplies(Index(tmp_path / "index.sqlite3"))
    await replies.add(1, "h", [10, 11])
    assert await replies.take(1, "h") == [[10, 11]]
    assert await replies.take(1, "h") == []


async def test_degraded_replies_on_record_are_found_after_a_restart(tmp_path) -> None:
    index = Index(tmp_path / "index.sqlite3")
    await DegradedReplies(index).add(1, "h", [10])
    await DegradedReplies(index).add(2, "h", [20])
    restarted = DegradedReplies(index)
    assert await restarted.take(3, "h") == []  # no reply on record in this chat
    assert await restarted.take(2, "h") == [[20]]
    assert await restarted.take(1, "h") == [[10]]


async def test_pending_jobs_are_answered_at_start_up_with_an_apology(
    tg, fake_llm, make_settings
) -> None:
    fake_llm.responder = echo_briefing
    services = build_services(make_settings())
    store = PendingStore(services.index)
    article = make_article(news("grain corridor"))
    waiting = store.add(
        JobKind.TEXT, chat_id=USER, message_id=41, reply_to=41, now=NOW, text=article.text
    )
    done = store.add(
        JobKind.TEXT, chat_id=USER, message_id=40, reply_to=40, now=NOW, text=article.text
    )
    assert waiting is not None and done is not None
    store.done(done.id, NOW)
    await services.aclose()
    async with running_bot(tg, fake_llm, make_settings) as bot:
        [reply] = await bot.replies(USER)
        await bot.tg.wait_for(lambda: not PendingStore(bot.services.index).pending(), timeout=10)
    assert reply["reply_parameters"]["message_id"] == 41
    assert parse_html(reply["text"])[0].startswith("⏳ Sorry for the delay")
    assert "Grain Corridor update" in reply["text"]
    assert len(tg.sent_messages(USER)) == 1  # the done job was not answered again


async def test_handlers_return_while_the_llm_works(tg, fake_llm, make_settings) -> None:
    gate = threading.Event()

    def held(request):
        gate.wait(timeout=30)
        return echo_briefing(request)

    fake_llm.responder = held
    async with running_bot(tg, fake_llm, make_settings, llm_max_concurrency=1) as bot:
        try:
            for topic in ("dam", "bridge", "tunnel"):
                bot.tg.user_message(USER, USER, news(topic))
            store = PendingStore(bot.services.index)
            await bot.tg.wait_for(
                lambda: len(store.pending()) == 3 and fake_llm.in_flight == 1, timeout=10
            )
            # No update slot is held while the LLM thinks: a command is answered meanwhile.
            assert bot.app.update_processor.current_concurrent_updates == 0
            bot.tg.command(USER, USER, "help")
            [help_reply] = await bot.replies(USER)
            assert "turns news into briefings" in help_reply["text"]
        finally:
            gate.set()
        replies = await bot.replies(USER, 4)
        await bot.tg.wait_for(lambda: not store.pending(), timeout=10)
    assert sorted(parse_html(r["text"])[0].split("\n")[0] for r in replies[1:]) == [
        "Bridge update",
        "Dam update",
        "Tunnel update",
    ]


async def test_a_full_briefing_replaces_the_extractive_reply_in_place(
    tg, fake_llm, make_settings
) -> None:
    async with running_bot(tg, fake_llm, make_settings, llm_max_attempts=1) as bot:
        fake_llm.script(Reply(status=503))
        bot.tg.user_message(USER, USER, KOREA)
        [degraded] = await bot.replies(USER)
        assert "Made without the language model" in degraded["text"]
        assert "not answering right now" in degraded["text"]
        [first_id] = [m["message_id"] for m in bot.tg.bot_messages(USER)]
        db = bot.services.index.connection
        await bot.tg.wait_for(  # the worker notes its extractive reply right after sending it
            lambda: db.execute("SELECT count(*) FROM degraded_replies").fetchone()[0], timeout=10
        )
        fake_llm.responder = newsroom({"Pyongyang fires missile": korea_briefing()})
        bot.tg.user_message(USER, USER, KOREA)  # the next request tries the LLM again
        replies = await bot.replies(USER, 2)
        await bot.tg.wait_for(lambda: bot.tg.requests("editMessageText"), timeout=10)
        upgraded = {m["message_id"]: m for m in bot.tg.bot_messages(USER)}[first_id]
    assert "North Korea fires missile as allies drill" in replies[1]["text"]
    assert "Made without" not in replies[1]["text"]
    assert upgraded["text"].startswith("North Korea fires missile as allies drill")
    assert "Made without" not in upgraded["text"]
    assert fake_llm.calls == 2


async def test_a_job_that_never_finishes_is_given_up_with_a_threaded_apology(
    tg, fake_llm, make_settings
) -> None:
    fake_llm.responder = echo_briefing
    services = build_services(make_settings())
    store = PendingStore(services.index)
    job = store.add(JobKind.TEXT, chat_id=USER, message_id=9, reply_to=9, now=NOW,
                    text=make_article(news("poison pill")).text)  # fmt: skip
    assert job is not None
    for _ in range(MAX_JOB_ATTEMPTS):  # starts that each died while working on it
        store.attempt(job.id)
    await services.aclose()
    async with running_bot(tg, fake_llm, make_settings) as bot:
        [reply] = await bot.replies(USER)
        await bot.tg.wait_for(lambda: not PendingStore(bot.services.index).pending(), timeout=10)
    assert "kept being interrupted" in reply["text"]
    assert reply["reply_parameters"]["message_id"] == 9
    assert fake_llm.calls == 0


async def test_an_update_delivered_twice_is_answered_once(tg, fake_llm, make_settings) -> None:
    fake_llm.responder = echo_briefing
    async with running_bot(tg, fake_llm, make_settings) as bot:
        update = bot.tg.user_message(USER, USER, news("double delivery"))
        await bot.replies(USER)
        again = {k: v for k, v in update.items() if k != "update_id"}  # as after a crash
        bot.tg.push_update(again)
        bot.tg.command(USER, USER, "help")  # a sentinel behind it
        replies = await bot.replies(USER, 2)
        await bot.tg.wait_for(
            lambda: bot.app.update_processor.current_concurrent_updates == 0, timeout=10
        )
        await bot.app.bot_data.workers.join()
    assert "turns news into briefings" in replies[1]["text"]
    assert len(bot.tg.sent_messages(USER)) == 2
    assert fake_llm.calls == 1


async def test_a_resumed_channel_post_is_briefed_and_never_answered(
    tg, fake_llm, make_settings
) -> None:
    fake_llm.responder = echo_briefing
    services = build_services(make_settings())
    article = make_article(news("channel post"))
    job = PendingStore(services.index).add(JobKind.TEXT, chat_id=-1005550001, message_id=3,
                                           reply_to=3, now=NOW, text=article.text, silent=True)  # fmt: skip
    assert job is not None
    await services.aclose()
    async with running_bot(tg, fake_llm, make_settings) as bot:
        store = PendingStore(bot.services.index)
        await bot.tg.wait_for(lambda: not store.pending(), timeout=10)
        assert bot.services.briefing.cached(article) is not None
    assert tg.sent_messages() == []
    assert fake_llm.calls == 1
