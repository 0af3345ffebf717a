"""Soak: many senders through 429s, a Telegram outage, failing writes and a full disk.

Ten people send articles and links (good pages, dead ones, a host that hangs) while the fake
Bot API answers 429 and then 502 for a while, the database refuses to mark jobs done, the
LLM fails, and every file write fails with ENOSPC. Afterwards every worker is still running,
and after one restart every message has had its answer: 0 workers lost, 0 jobs lost.
Run with `pytest -m soak tests/soak -n 0`.
"""

from __future__ import annotations

import asyncio
import errno
import itertools
import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from bot.jobs.pending import PendingStore
from bot.sources.article_reader import SourceService
from bot.store import briefing_cache
from tests.briefings import echo_briefing, news
from tests.e2e.test_links import PUBLIC, url_entities
from tests.e2e.test_outage import Sleeps
from tests.fake_llm import Reply, Request
from tests.fake_telegram import FakeTelegram
from tests.fake_web import FakeResolver, FakeWeb, RoutingTransport
from tests.harness import Bot, running_bot
from tests.pages import news_page

pytestmark = pytest.mark.soak

PEOPLE = range(300, 310)
ROUNDS = 4  # per phase, each person sends this many messages
PHASES = ("429s", "outage", "failing writes", "full disk")


class Faults:
    """What fails now: switched per phase by the test."""

    def __init__(self) -> None:
        self.llm_down = False
        self.db_full = False
        self.calls = itertools.count()

    def respond(self, request: Request) -> Reply:
        if self.llm_down and next(self.calls) % 2 == 0:
            return Reply(status=500, error="server_error")
        return echo_briefing(request)


def _send(tg: FakeTelegram, person: int, n: int, web: FakeWeb) -> dict[str, Any]:
    kind = n % 4
    if kind == 1:  # a good page
        url = f"http://good.test/p{person}-{n}"
        web.add(f"/p{person}-{n}", news_page(news(f"page {person} {n}")))
    elif kind == 2:  # a dead link
        url = f"http://good.test/gone{person}-{n}"
    elif kind == 3 and person % 5 == 0:  # a host that takes seconds to answer
        url = f"http://slow.test/s{person}-{n}"
    else:
        update = tg.user_message(person, person, news(f"story {person} {n}"))
        return dict(update["message"])
    return dict(tg.user_message(person, person, url, entities=url_entities(url, url))["message"])


def _answered(tg: FakeTelegram, sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
    replied = {
        (chat, m["reply_parameters"]["message_id"])
        for chat in {s["chat"]["id"] for s in sent}
        for m in tg.sent_messages(chat)
        if m.get("reply_parameters")
    }
    return [s for s in sent if (s["chat"]["id"], s["message_id"]) in replied]


class SlowHost(FakeResolver):
    """DNS where slow.test takes seconds to answer: its links hold workers that long."""

    async def __call__(self, host: str, port: int) -> list[str]:
        if host == "slow.test":
            await asyncio.sleep(3.0)
        return await super().__call__(host, port)


async def _settle(bot: Bot, sent: int) -> None:
    db = bot.services.index.connection

    def accepted() -> int:
        return int(db.execute("SELECT COUNT(*) FROM pending_jobs").fetchone()[0])

    await bot.tg.wait_for(lambda: accepted() >= sent, timeout=60)  # every update handled
    await bot.app.bot_data.workers.join()


def _phase(phase: str, tg: FakeTelegram, faults: Faults, monkeypatch: pytest.MonkeyPatch) -> None:
    faults.llm_down = faults.db_full = False
    if phase == "429s":
        for person in PEOPLE:
            tg.fail_next("sendMessage", status=429, retry_after=1, count=3, chat_id=person)
    elif phase == "outage":
        for person in PEOPLE:
            tg.fail_next("sendMessage", status=502, description="Bad Gateway", count=6,
                         chat_id=person)  # fmt: skip
    elif phase == "failing writes":
        faults.llm_down = faults.db_full = True
        _fail_done(monkeypatch, faults)
    else:

        def full_disk(*_args: object, **_kwargs: object) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(briefing_cache, "atomic_write", full_disk)


def _fail_done(monkeypatch: pytest.MonkeyPatch, faults: Faults) -> None:
    done, done_off_loop = PendingStore.done, PendingStore.done_off_loop

    def guard(job_id: int) -> None:
        if faults.db_full and job_id % 3 == 0:
            raise sqlite3.OperationalError("database or disk is full")

    def failing_done(self: PendingStore, job_id: int, *args: Any, **kw: Any) -> None:
        guard(job_id)
        done(self, job_id, *args, **kw)

    async def failing_off_loop(self: PendingStore, job_id: int, *args: Any, **kw: Any) -> None:
        guard(job_id)
        await done_off_loop(self, job_id, *args, **kw)

    monkeypatch.setattr(PendingStore, "done", failing_done)
    monkeypatch.setattr(PendingStore, "done_off_loop", failing_off_loop)


async def test_hostile_load_loses_no_worker_and_no_job(
    tg: FakeTelegram, fake_llm, make_settings: Callable[..., Any]
) -> None:
    faults = Faults()
    fake_llm.responder = faults.respond
    resolver = SlowHost({"good.test": [[PUBLIC]], "slow.test": [[PUBLIC]]})
    settings: dict[str, Any] = {
        "allowed_user_ids": ",".join(map(str, PEOPLE)),
        "llm_max_concurrency": 2,  # eight workers
        "user_rate_limit_per_hour": 1000,
        "user_hourly_fetches": 1000,
        "user_jobs_in_flight": 100,
    }
    sent: list[dict[str, Any]] = []
    with FakeWeb() as web:
        transport = RoutingTransport(web)
        async with running_bot(tg, fake_llm, make_settings, **settings) as bot:
            data = bot.app.bot_data
            data.replies.sleep = data.workers.sleep = sleeps = Sleeps()
            bot.services.sources = bot.services.feeds.sources = _sources(bot, resolver, transport)
            workers = data.workers.alive
            by_phase: dict[str, list[dict[str, Any]]] = {}
            for phase in PHASES:
                with pytest.MonkeyPatch.context() as monkeypatch:
                    _phase(phase, tg, faults, monkeypatch)
                    for n in range(ROUNDS):
                        batch = [_send(tg, p, len(sent) + n, web) for p in PEOPLE]
                        by_phase.setdefault(phase, []).extend(batch)
                        sent += batch
                    await _settle(bot, len(sent))
                assert data.workers.alive == workers, f"workers lost during {phase}"
            _phase("none", tg, faults, pytest.MonkeyPatch())
            assert sleeps.waits  # Telegram's 429s and 502s were retried, backing off
            # Without a restart: only what a failing write left pending is still unanswered.
            for phase in ("429s", "outage", "full disk"):
                answered = _answered(tg, by_phase[phase])
                assert len(answered) == len(by_phase[phase]), phase
        # A restart answers what the failing writes left pending.
        async with running_bot(tg, fake_llm, make_settings, **settings) as bot:
            bot.services.sources = bot.services.feeds.sources = _sources(bot, resolver, transport)
            store = PendingStore(bot.services.index)
            await tg.wait_for(lambda: not store.pending(), timeout=120)
            await bot.app.bot_data.workers.join()
        await transport.aclose()
    missing = [s for s in sent if s not in _answered(tg, sent)]
    assert not missing, f"{len(missing)} of {len(sent)} messages never answered"
    assert len(sent) == len(PHASES) * ROUNDS * len(PEOPLE)


def _sources(bot: Bot, resolver: SlowHost, transport: RoutingTransport) -> SourceService:
    return SourceService(bot.settings, resolver=resolver, transport=transport)
