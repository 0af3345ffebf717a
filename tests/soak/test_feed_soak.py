"""Soak: a simulated day of hostile feeds in a few minutes; nothing lost, the disk bounded.

A feed that rotates its GUIDs and lists 100 pages of ~1 MB at every poll, a feed of broken
PDFs, a host that never finishes answering, one that answers 429, and a "full disk" (ENOSPC
from every file write) for four simulated hours, while another chat follows a good feed.
Afterwards: 0 workers lost (every poll came back), 0 jobs lost (every good item briefed into
its chat exactly once) and the data directory never above the bound its settings give.
Run with `pytest -m soak tests/soak -n 0`.
"""

from __future__ import annotations

import errno
import math
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.feeds import seen as st
from bot.services import Services, build_services
from bot.sources.article_reader import SourceService
from bot.store import briefing_cache
from tests.briefings import news, newsroom
from tests.fake_llm import FakeLLM
from tests.fake_web import HTML, FakeResolver, FakeWeb, Route, RoutingTransport
from tests.feed_pages import Entry, rss
from tests.harness import FakeClock, settings_for
from tests.pages import news_page

pytestmark = pytest.mark.soak

NOW = datetime(2026, 3, 12, 0, 0, tzinfo=UTC)
PUBLIC = "93.184.216.34"
HOSTILE, VICTIM = -1001, -1002  # the chat that follows the hostile sources; one that doesn't
HOURS = 24
DISK_FULL = range(10, 14)  # simulated hours during which every file write fails
SOURCES = {
    "hostile.test": "/hostile.xml",
    "pdf.test": "/pdfs.xml",
    "slow.test": "/slow.xml",
    "busy.test": "/busy.xml",
}
GOOD = "https://good.test/good.xml"
GOOD_EVERY = 12  # hours between the good feed's items
PAGE_BYTES = 1_000_000


def disk_bound(settings: Settings, *, sources: int, chats: int, days: float) -> int:
    """Return the most the data directory may hold after `days` of polling, from the settings.

    Pages are read only within the chats' daily caps plus one poll's fetches per source; every
    text read is kept (the product); the fetch cache holds what a window of polls fetched
    (three keys per page at most, JSON at most twice the page); the database holds the feed
    history kept plus a fixed allowance for everything else.
    """
    polls_per_hour = 3600 / settings.feed_poll_interval_s
    fetches = sources * settings.feed_max_fetches_per_poll
    reads = (chats * settings.feed_daily_items_per_chat + fetches) * (math.ceil(days) + 1)
    texts = reads * settings.max_article_chars * 4  # UTF-8: four bytes a character at most
    briefings = reads * 64_000
    window_h = settings.fetch_cache_hours + settings.housekeeping_interval_s / 3600
    cached = fetches * polls_per_hour * math.ceil(window_h) * 3
    fetch_cache = int(cached * (2 * settings.fetch_max_bytes + 4096))
    remembered = sources * settings.feed_max_items * polls_per_hour * 24
    database = int(remembered * (settings.feed_history_days + 1) * 2048) + 20_000_000
    return texts + briefings + fetch_cache + database


def size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def page(path: str) -> Route | None:
    """Pages on demand: ~1 MB news pages, and PDFs that are not."""
    if path.startswith("/big/"):
        n = path.removeprefix("/big/")
        filler = "\n\n".join(
            f"Paragraph {k} of report {n}: the harbour authority said cargo volumes rose. " * 12
            for k in range(PAGE_BYTES // 900)
        )
        body = news_page(news(f"harbour report {n}") + "\n\n" + filler).encode()
        return Route(200, body, {"Content-Type": HTML})
    if path.startswith("/good/"):
        body = news_page(news(f"port report {path.removeprefix('/good/')}")).encode()
        return Route(200, body, {"Content-Type": HTML})
    if path.startswith("/bad/"):
        broken = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nstream\n" + b"\x00" * 999
        return Route(200, broken, {"Content-Type": "application/pdf"})
    return None


def hostile_feed(poll: int) -> str:
    """100 never-seen-before items, each a ~1 MB page (new GUIDs and links at every poll)."""
    entries = [
        Entry(
            f"rot-{poll}-{i}",
            f"https://hostile.test/big/{poll}-{i}",
            f"Item {poll}/{i}",
            "x",
            NOW + timedelta(hours=poll),
        )
        for i in range(100)
    ]
    return rss(entries, title="Hostile")


def good_feed(hour: int) -> tuple[str, list[str]]:
    """A feed with a new item every twelve hours (the last five listed); return it and its GUIDs.

    Two a day, within the daily cap; the one of hour 12 comes while the disk is full.
    """
    latest = hour // GOOD_EVERY
    entries = [
        Entry(
            f"good-{i}",
            f"https://good.test/good/{i}",
            f"Good {i}",
            "x",
            NOW + timedelta(hours=GOOD_EVERY * i),
        )
        for i in range(max(0, latest - 4), latest + 1)
    ]
    return rss(entries, title="Good"), [e.guid for e in entries]


@pytest.fixture
def web() -> Iterator[FakeWeb]:
    with FakeWeb() as fake:
        fake.generate = page
        fake.add("/pdfs.xml", rss([
            Entry(f"pdf-{i}", f"https://pdf.test/bad/{i}.pdf", f"PDF {i}", "x", NOW)
            for i in range(5)
        ], title="PDFs"), "application/rss+xml")  # fmt: skip
        fake.drip("/slow.xml", b"<", every=0.4)  # never finishes: the fetch timeout ends it
        fake.add("/busy.xml", "slow down", "text/plain", status=429,
                 headers={"Retry-After": "3600"})  # fmt: skip
        yield fake


@pytest.fixture
async def services(
    tmp_path: Path, fake_llm: FakeLLM, web: FakeWeb
) -> AsyncIterator[tuple[Services, FakeClock]]:
    # newsroom() answers no merge prompt: a 1 MB page is briefed in parts, the merge fails and
    # it gets the extractive briefing after a paid attempt, which counts against the daily cap.
    fake_llm.responder = newsroom()
    settings = settings_for(
        tmp_path / "data", fake_llm, feed_poll_interval_s=3600, feed_daily_items_per_chat=2,
        feed_max_fetches_per_poll=5, fetch_max_bytes=1_500_000, fetch_timeout_s=1.0,
        max_article_chars=1_100_000, fetch_cache_hours=2, feed_history_days=2, events_days=2,
        housekeeping_interval_s=3600, feed_pause_after_hours=1000,
    )  # fmt: skip
    built = build_services(settings)
    clock = FakeClock(NOW)
    resolver = FakeResolver()
    for host in [*SOURCES, "good.test"]:
        resolver.set(host, [PUBLIC])
    transport = RoutingTransport(web)
    sources = SourceService(settings, resolver=resolver, transport=transport, clock=clock)
    built.sources = built.feeds.sources = sources
    built.feeds.clock = built.feed_poller.clock = built.housekeeper.clock = clock
    # Files carry real times: the fetch cache ages by the simulated hours gone by, so its
    # retention runs within the day instead of after two real hours.
    built.housekeeper.wall = lambda: time.time() + (clock.now - NOW).total_seconds()
    yield built, clock
    await built.aclose()
    await transport.aclose()


async def test_a_day_of_hostile_feeds_stay_within_the_disk_bound_and_lose_nothing(
    services: tuple[Services, FakeClock], web: FakeWeb, monkeypatch: pytest.MonkeyPatch
) -> None:
    built, clock = services
    settings, store, poller = built.settings, built.feeds.store, built.feed_poller
    data = Path(settings.bot_data_dir)
    write = briefing_cache.atomic_write

    def full_disk(*_args: Any, **_kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    web.add("/hostile.xml", hostile_feed(0), "application/rss+xml")
    web.add("/good.xml", good_feed(0)[0], "application/rss+xml")
    for host, path in SOURCES.items():
        store.follow(HOSTILE, f"https://{host}{path}", "feed", host, live=False, now=NOW)
    store.follow(VICTIM, GOOD, "feed", "Good", live=False, now=NOW)
    bound = disk_bound(settings, sources=len(SOURCES) + 1, chats=2, days=HOURS / 24)
    largest, listed, workers_lost = 0, set[str](), 0
    errors: dict[int, set[str]] = {}
    for hour in range(HOURS):
        monkeypatch.setattr(
            briefing_cache, "atomic_write", full_disk if hour in DISK_FULL else write
        )
        web.add("/hostile.xml", hostile_feed(hour), "application/rss+xml")
        good, guids = good_feed(hour)
        listed |= set(guids)
        web.add("/good.xml", good, "application/rss+xml")
        reports = await poller.tick()
        for report in reports:
            if report.error is not None:
                errors.setdefault(report.source_id, set()).add(report.error)
        # Only the hanging and the busy host fail; a full disk is no source's fault.
        assert all(r.error is None or r.source_id in _failing(built) for r in reports)
        workers_lost += len(poller.scheduler.in_flight)  # a poll that never came back
        await built.housekeeper.run()
        largest = max(largest, size(data))
        assert largest <= bound, f"hour {hour}: {largest:,} bytes > bound {bound:,}"
        clock.advance(hours=1)
    assert workers_lost == 0
    # Each hostile behaviour happened: the hanging host timed out, the busy one said 429.
    ids = {f.source.url: f.source.id for f in built.feeds.following(HOSTILE)}
    assert any("too long" in e for e in errors[ids["https://slow.test/slow.xml"]])
    assert any("429" in e for e in errors[ids["https://busy.test/busy.xml"]])
    good_id = next(f.source.id for f in built.feeds.following(VICTIM) if f.source.url == GOOD)
    # Nothing lost: every good item the feed listed was briefed into its chat exactly once,
    # the one that came while the disk was full too (the newest may still be due).
    rows = built.index.connection.execute(
        """SELECT i.guid_key, COUNT(d.item_id) FROM feed_items i
           LEFT JOIN feed_deliveries d ON d.item_id = i.id AND d.chat_id = ?
             AND d.status IN (?, ?, ?)
           WHERE i.source_id = ? GROUP BY i.id""",
        (VICTIM, st.BRIEFED, st.CACHED, st.DEGRADED, good_id),
    ).fetchall()
    delivered = {guid for guid, n in rows if n == 1}
    jobs_lost = listed - delivered - set(good_feed(HOURS - 1)[1][-1:])
    assert not jobs_lost
    assert len(built.index.queries.chat_articles(VICTIM)) == len(delivered) >= 2
    # The item that came while the disk was full was kept once there was room again.
    came = [f"good-{i}" for i in range(HOURS) if GOOD_EVERY * i in DISK_FULL]
    briefed_at = dict(
        built.index.connection.execute(
            """SELECT i.guid_key, d.at FROM feed_deliveries d JOIN feed_items i ON i.id = d.item_id
               WHERE d.chat_id = ? AND i.source_id = ?""",
            (VICTIM, good_id),
        ).fetchall()
    )
    assert came and all(
        datetime.fromisoformat(briefed_at[guid]) >= NOW + timedelta(hours=DISK_FULL.stop)
        for guid in came
    )
    # Each broken PDF within the cap was fetched once, recorded unreadable, never retried;
    # the rest of the feed was seen from its entries alone.
    pdfs = [p for p in web.paths() if p.startswith("/bad/")]
    assert pdfs and sorted(pdfs) == sorted(set(pdfs))
    pdf_feed = ids["https://pdf.test/pdfs.xml"]
    assert len(built.feeds.seen.items(pdf_feed, st.UNREADABLE)) == len(pdfs)
    assert not built.feeds.seen.items(pdf_feed, st.NEW)
    for follow in built.feeds.following(HOSTILE) + built.feeds.following(VICTIM):
        # Nothing waits forever: what is still new is what the last poll's feed listed.
        assert len(built.feeds.seen.items(follow.source.id, st.NEW)) <= settings.feed_max_items
    # The hostile source cost at most its caps: pages fetched within the daily cap, per poll.
    pages = [p for p in web.paths() if p.startswith("/big/")]
    cap = settings.feed_daily_items_per_chat
    assert 0 < len(pages) <= (cap + settings.feed_max_fetches_per_poll) * (HOURS // 24 + 1)
    print(  # noqa: T201 - the figures docs/operations.md quotes
        f"soak: {workers_lost} workers lost, {len(jobs_lost)} jobs lost, {len(pages)} hostile "
        f"pages fetched; largest data directory {largest:,} bytes (bound {bound:,})"
    )


def _failing(built: Services) -> set[int]:
    return {
        f.source.id
        for f in built.feeds.following(HOSTILE)
        if f.source.url.startswith(("https://slow.test", "https://busy.test"))
    }
