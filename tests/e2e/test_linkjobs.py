"""Links and documents as pending jobs: persisted before the fetch, fetched by a worker."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.jobs.fetch import DocumentRef
from bot.jobs.pending import JobKind, PendingStore
from bot.services import build_services
from bot.sources.article_reader import SourceService
from tests.briefings import echo_briefing, news
from tests.e2e.test_kill import _jobs
from tests.e2e.test_links import PUBLIC, send_link, url_entities
from tests.e2e.test_run import bot_env, start, stop
from tests.fake_llm import FakeLLM
from tests.fake_telegram import FakeTelegram, parse_html
from tests.fake_web import FakeResolver, FakeWeb, RoutingTransport
from tests.harness import USER, running_bot
from tests.pages import news_page

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class GatedResolver(FakeResolver):
    """DNS that answers only once the test opens the gate: a fetch held mid-way."""

    def __init__(self) -> None:
        super().__init__({"news.test": [[PUBLIC]]})
        self.gate = asyncio.Event()
        self.waiting = 0

    async def __call__(self, host: str, port: int) -> list[str]:
        self.waiting += 1
        await self.gate.wait()
        return await super().__call__(host, port)


def _outcomes(bot) -> list[tuple[str, str | None]]:
    db: sqlite3.Connection = bot.services.index.connection
    return [tuple(row) for row in db.execute("SELECT kind, outcome FROM pending_jobs ORDER BY id")]


async def test_the_handler_returns_while_a_link_is_being_fetched(
    tg, fake_llm, make_settings
) -> None:
    fake_llm.responder = echo_briefing
    resolver = GatedResolver()
    with FakeWeb() as web:
        web.add("/harbour", news_page(news("harbour strike")))
        transport = RoutingTransport(web)
        async with running_bot(tg, fake_llm, make_settings) as bot:
            bot.services.sources = SourceService(
                bot.settings, resolver=resolver, transport=transport
            )
            sent = send_link(bot, "http://news.test/harbour")
            await bot.tg.wait_for(lambda: resolver.waiting == 1, timeout=10)
            try:
                # On disk before the fetch, and no update slot held while it runs.
                [job] = PendingStore(bot.services.index).pending()
                assert (job.kind, job.ref) == (JobKind.LINK, "http://news.test/harbour")
                assert bot.app.update_processor.current_concurrent_updates == 0
                bot.tg.command(USER, USER, "help")
                [help_reply] = await bot.replies(USER)
                assert "turns news into briefings" in help_reply["text"]
                assert web.hits == []
            finally:
                resolver.gate.set()
            [_, reply] = await bot.replies(USER, 2)
            await bot.tg.wait_for(lambda: _outcomes(bot) == [("link", "replied")], timeout=10)
        await transport.aclose()
    assert reply["reply_parameters"]["message_id"] == sent["message"]["message_id"]
    assert parse_html(reply["text"])[0].startswith("Harbour Strike officials said")
    assert tg.requests("sendChatAction")  # "typing…" while the worker fetched and briefed


async def test_a_failed_fetch_in_the_worker_replies_threaded_and_refunds_the_quota(
    tg, fake_llm, make_settings
) -> None:
    fake_llm.responder = echo_briefing
    with FakeWeb() as web:
        web.add("/harbour", news_page(news("harbour strike")))
        async with running_bot(
            tg, fake_llm, make_settings, user_rate_limit_per_hour=1,
            fetch_allow_private_networks=True,
        ) as bot:  # fmt: skip
            gone = send_link(bot, web.url("/gone"))
            [refusal] = await bot.replies(USER)
            assert fake_llm.calls == 0
            # The refused fetch gave the hour's only slot back: the next link is briefed.
            send_link(bot, web.url("/harbour"))
            [_, briefing] = await bot.replies(USER, 2)
            await bot.tg.wait_for(lambda: not PendingStore(bot.services.index).pending(), 10)
            outcomes = _outcomes(bot)
    assert refusal["reply_parameters"]["message_id"] == gone["message"]["message_id"]
    assert "doesn't exist (HTTP 404)" in parse_html(refusal["text"])[0]
    assert "Harbour Strike officials said" in briefing["text"]
    assert fake_llm.calls == 1
    assert outcomes == [("link", "refused FetchFailedError"), ("link", "replied")]


async def test_link_and_document_jobs_left_pending_are_answered_once_after_a_restart(
    tg, fake_llm, make_settings
) -> None:
    fake_llm.responder = echo_briefing
    lines = [f"Dock workers stayed out for day {i} of the harbour strike." for i in range(1, 12)]
    document = tg.add_file(
        "\n\n".join(["Harbour Strike Report", *lines]).encode(),
        file_name="report.txt",
        mime_type="text/plain",
    )
    with FakeWeb() as web:
        web.add("/korea", news_page(news("missile launch")))
        # What a crash during the fetch, the download and a doomed fetch leaves on disk.
        services = build_services(make_settings(fetch_allow_private_networks=True))
        store = PendingStore(services.index)
        ref = DocumentRef(document["file_id"], "report.txt", "text/plain").encode()
        jobs = [
            store.add(JobKind.LINK, chat_id=USER, message_id=51, reply_to=51, now=NOW,
                      ref=web.url("/korea"), user_id=USER),
            store.add(JobKind.DOCUMENT, chat_id=USER, message_id=52, reply_to=52, now=NOW,
                      ref=ref, user_id=USER),
            store.add(JobKind.LINK, chat_id=USER, message_id=53, reply_to=53, now=NOW,
                      ref=web.url("/gone"), user_id=USER),
        ]  # fmt: skip
        assert all(jobs)
        await services.aclose()
        async with running_bot(
            tg, fake_llm, make_settings, fetch_allow_private_networks=True
        ) as bot:
            replies = await bot.replies(USER, 3)
            await bot.tg.wait_for(lambda: not PendingStore(bot.services.index).pending(), 10)
            paths = web.paths()
    by_message = {r["reply_parameters"]["message_id"]: parse_html(r["text"])[0] for r in replies}
    assert sorted(by_message) == [51, 52, 53]
    assert all(text.startswith("⏳ Sorry for the delay") for text in by_message.values())
    assert "Missile Launch officials said" in by_message[51]
    assert "Harbour Strike Report" in by_message[52]
    assert "doesn't exist (HTTP 404)" in by_message[53]
    assert len(tg.sent_messages(USER)) == 3  # each answered exactly once
    assert sorted(paths) == ["/gone", "/korea"]
    assert [r.status for r in tg.requests("getFile")] == [200]
    assert fake_llm.calls == 2


def test_a_document_ref_keeps_what_the_download_needs() -> None:
    ref = DocumentRef("BQACAgIAAx0", "Отчёт «2026».pdf", None)
    assert DocumentRef.decode(ref.encode()) == ref


def test_kill_9_during_a_fetch_loses_nothing_and_answers_once_after_restart(
    tmp_path, tg: FakeTelegram, fake_llm: FakeLLM
) -> None:
    fake_llm.responder = echo_briefing
    with FakeWeb() as web:
        web.drip("/harbour", b"<p>", every=0.1)  # the first fetch never ends
        env = bot_env(tmp_path, tg, fake_llm, FETCH_ALLOW_PRIVATE_NETWORKS="true")
        env.update(LOG_LEVEL="INFO")
        data_dir = Path(env["BOT_DATA_DIR"])
        url = web.url("/harbour")
        first = start(env)
        try:
            sent = tg.user_message(USER, USER, url, entities=url_entities(url))
            tg.wait_for_sync(lambda: web.hits, timeout=60)  # mid-fetch
            assert _jobs(data_dir, "done_at IS NULL") == 1
        finally:
            first.send_signal(signal.SIGKILL)
            first.communicate(timeout=20)
        assert tg.sent_messages(USER) == []
        web.add("/harbour", news_page(news("harbour strike")))
        second = start(env)
        try:
            tg.wait_for_sync(lambda: _jobs(data_dir, "done_at IS NOT NULL") == 1, timeout=60)
        finally:
            err = stop(second)
        fetches = web.paths()
    [reply] = tg.sent_messages(USER)
    assert reply["reply_parameters"]["message_id"] == sent["message"]["message_id"]
    text = parse_html(reply["text"])[0]
    assert text.startswith("⏳ Sorry for the delay")
    assert "Harbour Strike officials said" in text
    assert fetches == ["/harbour", "/harbour"]
    assert "Traceback" not in err


def _report(tg: FakeTelegram, topic: str) -> dict[str, object]:
    lines = [f"{topic} workers stayed out for day {i} of the strike." for i in range(1, 12)]
    body = "\n\n".join([f"{topic} Report", *lines]).encode()
    return tg.add_file(body, file_name=f"{topic}.txt", mime_type="text/plain")


async def test_a_document_whose_briefing_is_cached_costs_no_allowance(
    tg, fake_llm, make_settings
) -> None:
    fake_llm.responder = echo_briefing
    harbour, rail = _report(tg, "Harbour"), _report(tg, "Rail")
    async with running_bot(tg, fake_llm, make_settings, user_rate_limit_per_hour=2) as bot:
        for n, document in enumerate((harbour, harbour, rail), start=1):
            bot.tg.user_document(USER, USER, document)
            await bot.replies(USER, n)
            await bot.tg.wait_for(lambda: not PendingStore(bot.services.index).pending(), 10)
        texts = [parse_html(r["text"])[0] for r in await bot.replies(USER, 3)]
    assert "Harbour Report" in texts[0]
    assert "from cache" in texts[1]
    assert "Rail Report" in texts[2]  # the cached one gave its slot back
    assert fake_llm.calls == 2


async def test_a_document_that_cannot_be_downloaded_gets_a_threaded_reply_and_a_refund(
    tg, fake_llm, make_settings
) -> None:
    fake_llm.responder = echo_briefing
    gone = {**_report(tg, "Harbour"), "file_id": "no-such-file"}
    async with running_bot(tg, fake_llm, make_settings, user_rate_limit_per_hour=1) as bot:
        sent = bot.tg.user_document(USER, USER, gone)
        [refusal] = await bot.replies(USER)
        await bot.tg.wait_for(lambda: _outcomes(bot) == [("document", "refused download")], 10)
        bot.tg.user_document(USER, USER, _report(tg, "Rail"))
        [_, briefing] = await bot.replies(USER, 2)
    assert refusal["reply_parameters"]["message_id"] == sent["message"]["message_id"]
    assert "couldn't download that file" in refusal["text"]
    assert "Rail Report" in briefing["text"]
    assert fake_llm.calls == 1
