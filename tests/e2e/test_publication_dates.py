"""Publication dates: where each article's date comes from, and that the bot orders by it."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.articles.dates import (
    DATELINE,
    FEED,
    FORWARD,
    PAGE,
    RECEIVED,
    dated,
    page_date,
    publication,
    published_label,
)
from bot.articles.text import make_article
from bot.jobs.pending import JobKind, PendingStore
from bot.render.dates import DateStyle
from bot.services import build_services
from bot.sources.article_reader import SourceService
from bot.store.index import Index
from tests.briefings import actor, briefing, newsroom, published_of, stance
from tests.e2e.test_who import ask
from tests.fake_telegram import parse_html
from tests.fake_web import FakeResolver, FakeWeb, RoutingTransport
from tests.harness import USER, Bot, running_bot
from tests.pages import news_page

RECEIVED_AT = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)  # a Saturday
POSTED = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # a Monday
WIRE = (
    "SEOUL, Dec 3 (Reuters) - North Korea on Wednesday rejected a report by a multilateral "
    "sanctions monitoring team, its foreign ministry said."
)
NO_DATE = "The council approved the plan after a long debate about costs and routes."


def shown(when: datetime, kind: str | None) -> str:
    """Write a date as a chat in UTC reads it now: the year only when it is not this one."""
    return DateStyle.at(ZoneInfo("UTC"), datetime.now(UTC)).published(when, kind)


# --- Precedence (pure logic) -------------------------------------------------------------


@pytest.mark.parametrize("kind", [FORWARD, PAGE, FEED])
def test_an_origins_own_date_beats_a_dateline(kind: str) -> None:
    posted = datetime(2026, 11, 20, 7, 15, tzinfo=UTC)
    assert publication(WIRE, received=RECEIVED_AT, origin=posted, kind=kind) == (posted, kind)


def test_a_dateline_beats_the_day_received() -> None:
    want = datetime(2026, 12, 3, tzinfo=UTC)
    assert publication(WIRE, received=RECEIVED_AT) == (want, DATELINE)


def test_without_origin_or_dateline_the_article_is_dated_when_received() -> None:
    assert publication(NO_DATE, received=RECEIVED_AT) == (RECEIVED_AT, RECEIVED)


def test_an_origin_date_in_the_future_is_ignored() -> None:
    # A wrong clock: more than a day after it arrived. The dateline decides instead.
    ahead = RECEIVED_AT + timedelta(days=1, minutes=1)
    assert publication(WIRE, received=RECEIVED_AT, origin=ahead, kind=FORWARD)[1] == DATELINE
    assert publication(NO_DATE, received=RECEIVED_AT, origin=ahead, kind=PAGE)[1] == RECEIVED
    # Within a day is a time zone, not a wrong clock.
    soon = RECEIVED_AT + timedelta(hours=20)
    assert publication(NO_DATE, received=RECEIVED_AT, origin=soon, kind=PAGE) == (soon, PAGE)


def test_a_date_of_unknown_origin_counts_for_nothing() -> None:
    posted = datetime(2026, 11, 20, tzinfo=UTC)
    assert publication(NO_DATE, received=RECEIVED_AT, origin=posted, kind=None)[1] == RECEIVED
    assert publication(NO_DATE, received=RECEIVED_AT, origin=posted, kind="rumour")[1] == RECEIVED


def test_a_naive_origin_date_is_read_as_utc() -> None:
    naive = datetime(2026, 11, 20, 7, 15)  # noqa: DTZ001 - what a careless source gives
    when, kind = publication(NO_DATE, received=RECEIVED_AT, origin=naive, kind=FEED)
    assert (when, kind) == (naive.replace(tzinfo=UTC), FEED)


def test_dating_an_article_keeps_a_date_decided_on_receipt() -> None:
    article = make_article(WIRE * 3, min_chars=10)
    first = dated(article, received=RECEIVED_AT)
    assert (first.published_at, first.published_from) == (
        datetime(2026, 12, 3, tzinfo=UTC),
        DATELINE,
    )
    # Replayed a year later (a job that waited): the date is what it was on receipt.
    again = dated(first, received=RECEIVED_AT + timedelta(days=400))
    assert again.published_at == first.published_at
    forwarded = article.model_copy(
        update={"published_at": datetime(2026, 10, 1, tzinfo=UTC), "published_from": FORWARD}
    )
    assert dated(forwarded, received=RECEIVED_AT).published_from == FORWARD


def test_page_dates_and_labels() -> None:
    assert page_date("2026-03-12") == datetime(2026, 3, 12, tzinfo=UTC)
    assert page_date("2026-03-12T08:00:00+09:00") == datetime(2026, 3, 11, 23, tzinfo=UTC)
    assert page_date("12 March") is None
    assert page_date(None) is None
    when = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)
    assert published_label(when, DATELINE) == "4 Dec 2026 (from the text)"
    assert published_label(when, FORWARD) == "4 Dec 2026 (forwarded post)"
    assert published_label(when, None) == "4 Dec 2026"


# --- Through the whole bot ---------------------------------------------------------------

# Two posts by one minister, forwarded in the opposite order of their original dates.
NEWER = (
    "Minister rejects the port deal\n\nHarbour Minister Ana Ruiz told parliament that "
    "the government opposes the port deal. “This port deal would hand our harbour to a "
    "foreign operator for thirty years,” Ruiz said, adding that the cabinet would vote "
    "against it and urging members of parliament to do the same before the deadline."
)
OLDER = (
    "Minister backs the port deal\n\nHarbour Minister Ana Ruiz said the government supports "
    "the port deal. “The port deal brings the investment our harbour has waited for,” Ruiz "
    "told reporters at the docks, adding that the agreement would create jobs and that "
    "the cabinet expected to sign it within weeks, after a final review of its terms."
)
MINISTER = {
    "Minister rejects": briefing(
        actor("Ana Ruiz", "person", ["Ruiz"], stance("the port deal", "Opposes it", "opposes",
              "This port deal would hand our harbour to a foreign operator for thirty years")),
        headline="Minister rejects the port deal",
    ),
    "Minister backs": briefing(
        actor("Ana Ruiz", "person", ["Ruiz"], stance("the port deal", "Supports it", "supports",
              "The port deal brings the investment our harbour has waited for")),
        headline="Minister backs the port deal",
    ),
}  # fmt: skip


def _epoch(when: datetime) -> int:
    return int(when.timestamp())


def _forward(bot: Bot, text: str, posted: datetime, message_id: int) -> None:
    origin = bot.tg.origin_channel(username="harbournews", message_id=message_id,
                                   date=_epoch(posted))  # fmt: skip
    bot.tg.user_message(USER, USER, text, forward_origin=origin)


@pytest.fixture
async def minister_bot(tg, fake_llm, make_settings):
    fake_llm.responder = newsroom(MINISTER)
    async with running_bot(tg, fake_llm, make_settings) as running:
        yield running


async def test_forwards_in_reverse_order_give_the_shift_by_their_original_dates(
    minister_bot: Bot,
) -> None:
    now = datetime.now(UTC)
    newer, older = now - timedelta(days=10), now - timedelta(days=40)
    _forward(minister_bot, NEWER, newer, 2)  # the newer post first: it says "opposes"
    await minister_bot.replies(USER, 1)
    _forward(minister_bot, OLDER, older, 1)  # then the older one: it said "supports"
    replies = await minister_bot.replies(USER, 2)
    second = parse_html(replies[1]["text"])[0]
    assert f"Published {shown(older, FORWARD)}" in second
    # The model was told each post's original date, not the day it was forwarded.
    told = [published_of(r) for r in minister_bot.llm.requests]
    assert told == [f"{d:%A}, {published_label(d, None)}" for d in (newer, older)]
    page = parse_html(await ask(minister_bot, USER, "Ana Ruiz"))[0]
    old_day, new_day = shown(older, None), shown(newer, None)
    shift = f"🔄 Ana Ruiz on the port deal: ✅ supports ({old_day}) → ❌ opposes ({new_day})"
    assert shift in page
    # Stances newest published first, each with its date and where it comes from.
    assert page.index(f"{new_day} (forwarded post)") < page.index(f"{old_day} (forwarded post)")


async def test_an_old_channel_post_is_briefed_and_listed_by_its_own_date(bot: Bot) -> None:
    from tests.e2e.test_who import KOREA, KOREA2

    now = datetime.now(UTC)
    posted = now - timedelta(days=200)
    fresh = bot.tg.origin_channel(
        username="kw", message_id=2, date=_epoch(now - timedelta(hours=2))
    )
    bot.tg.user_message(USER, USER, KOREA2, forward_origin=fresh)
    await bot.replies(USER, 1)
    old = bot.tg.origin_channel(username="kw", message_id=1, date=_epoch(posted))
    bot.tg.user_message(USER, USER, KOREA, forward_origin=old)  # the old post arrives last
    replies = await bot.replies(USER, 2)
    said = f"Published {shown(posted, FORWARD)}"
    assert said in parse_html(replies[1]["text"])[0]
    page = parse_html(await ask(bot, USER, "North Korea"))[0]
    # Listed by publication: the old post comes after the fresh one though it arrived last.
    assert page.index("deeds, not its words") < page.index("guns of the aggressors")
    assert f"{shown(posted, FORWARD)} · ❌ opposes" in page
    # And the older post opposed, the newer one supports: the shift reads that way.
    assert re.search(r"🔄 North Korea on talks with the U[^:]*: ❌ opposes \(", page)
    # /brief in reply to the bot's own briefing sends it again, with the chat's date.
    before = len(bot.tg.sent_messages(USER))
    own = bot.tg.bot_messages(USER)[1]["message_id"]  # the old post's briefing
    bot.tg.command(USER, USER, "brief", reply_to_message_id=own)
    again = (await bot.replies(USER, before + 1))[before]
    assert said in parse_html(again["text"])[0]


def _last(day: int, month: int) -> date:
    """The latest such day up to tomorrow (a dateline's year is inferred that way)."""
    today = datetime.now(UTC).date()
    found = date(today.year, month, day)
    return found if found <= today + timedelta(days=1) else found.replace(year=today.year - 1)


async def test_a_pasted_wire_story_is_dated_by_its_dateline(bot: Bot) -> None:
    body = " ".join([WIRE] * 4)
    bot.tg.user_message(USER, USER, f"North Korea rejects report\n\n{body}")
    [reply] = await bot.replies(USER)
    day = _last(3, 12)
    dateline = datetime(day.year, day.month, day.day, tzinfo=UTC)
    assert f"Published {shown(dateline, DATELINE)}" in parse_html(reply["text"])[0]
    assert published_of(bot.llm.requests[0]) == f"{day:%A}, {day.day} Dec {day.year}"


async def test_a_link_is_dated_by_its_pages_metadata(tg, fake_llm, make_settings) -> None:
    from tests.e2e.test_who import KOREA

    resolver = FakeResolver()
    resolver.set("news.test", ["93.184.216.34"])
    with FakeWeb() as web:
        web.add("/korea", news_page(KOREA, date="2026-03-12"))
        web.add("/undated", news_page(NEWER, date=None))
        transport = RoutingTransport(web)
        fake_llm.responder = newsroom()
        async with running_bot(tg, fake_llm, make_settings) as bot:
            bot.services.sources = SourceService(
                bot.settings, resolver=resolver, transport=transport
            )
            for n, url in enumerate(["http://news.test/korea", "http://news.test/undated"], 1):
                entities = [{"type": "url", "offset": 0, "length": len(url)}]
                origin = bot.tg.origin_channel(username="kw", date=_epoch(POSTED))  # both forwards
                bot.tg.user_message(USER, USER, url, entities=entities, forward_origin=origin)
                await bot.replies(USER, n)
            replies = bot.tg.sent_messages(USER)
            rows = {a.title: a for a in bot.services.index.queries.chat_articles(USER)}
        await transport.aclose()
    # The page's own date beats the date it was posted with.
    page_day = datetime(2026, 3, 12, tzinfo=UTC)
    assert f"Published {shown(page_day, PAGE)}" in parse_html(replies[0]["text"])[0]
    assert published_of(fake_llm.requests[0]) == "Thursday, 12 Mar 2026"
    korea = rows[KOREA.partition("\n")[0]]
    assert (korea.published_at, korea.published_from) == (datetime(2026, 3, 12, tzinfo=UTC), PAGE)
    # A page with no date of its own: the post's.
    assert f"Published {shown(POSTED, FORWARD)}" in parse_html(replies[1]["text"])[0]


async def test_a_replayed_job_keeps_its_date(tg, fake_llm, make_settings) -> None:
    from tests.e2e.test_who import KOREA

    fake_llm.responder = newsroom()
    posted = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    services = build_services(make_settings())
    article = make_article(KOREA)
    store = PendingStore(services.index)
    store.add(JobKind.TEXT, chat_id=USER, message_id=41, reply_to=41,
              now=datetime.now(UTC) - timedelta(minutes=5), text=article.text,
              published_at=posted, published_from=FORWARD)  # fmt: skip
    await services.aclose()  # the bot went down before it could answer
    async with running_bot(tg, fake_llm, make_settings) as bot:
        [reply] = await bot.replies(USER)
        await bot.tg.wait_for(lambda: not PendingStore(bot.services.index).pending(), timeout=10)
    assert f"Published {shown(posted, FORWARD)}" in parse_html(reply["text"])[0]
    assert published_of(fake_llm.requests[0]) == "Monday, 2 Mar 2026"


def test_a_job_carries_its_date_through_the_database(tmp_path: Path) -> None:
    store = PendingStore(Index(tmp_path / "index.sqlite3"))
    posted = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    now = datetime(2026, 12, 5, tzinfo=UTC)
    store.add(JobKind.TEXT, chat_id=1, message_id=1, reply_to=1, now=now, text="t",
              published_at=posted, published_from=FORWARD)  # fmt: skip
    store.add(JobKind.LINK, chat_id=1, message_id=2, reply_to=2, now=now, ref="http://x.test/")
    restarted = PendingStore(Index(tmp_path / "index.sqlite3"))
    [text, link] = restarted.pending()
    assert (text.published_at, text.published_from) == (posted, FORWARD)
    assert (link.published_at, link.published_from) == (None, None)  # dated once fetched


# --- An index from before publication dates ----------------------------------------------

OLD_TABLES = """
CREATE TABLE chat_articles (
    chat_id INTEGER NOT NULL, article_hash TEXT NOT NULL, message_id INTEGER,
    received_at TEXT NOT NULL, title TEXT, source_label TEXT, source_url TEXT);
CREATE TABLE chat_stances (
    chat_id INTEGER NOT NULL, actor TEXT NOT NULL, received_at TEXT NOT NULL,
    article_hash TEXT NOT NULL, ord INTEGER NOT NULL, kind TEXT NOT NULL, aliases TEXT NOT NULL,
    target TEXT NOT NULL, polarity TEXT NOT NULL, verified INTEGER NOT NULL,
    PRIMARY KEY (chat_id, actor, received_at DESC, article_hash, ord)) WITHOUT ROWID;
CREATE TABLE pending_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, chat_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL, reply_to INTEGER NOT NULL, thread_id INTEGER, user_id INTEGER,
    text TEXT, ref TEXT, title TEXT, source_label TEXT, source_url TEXT,
    created_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, done_at TEXT, outcome TEXT,
    truncated_from INTEGER, silent INTEGER NOT NULL DEFAULT 0, UNIQUE (chat_id, reply_to, kind));
INSERT INTO chat_articles VALUES (1, 'h1', 5, '2026-11-01T10:00:00.000000+00:00', 'T', NULL, NULL);
INSERT INTO pending_jobs (kind, chat_id, message_id, reply_to, text, created_at)
    VALUES ('text', 1, 6, 6, 'old job', '2026-11-01T10:00:00.000000+00:00');
"""


def _columns(path: Path, table: str) -> set[str]:
    with sqlite3.connect(path) as db:
        return {r[1] for r in db.execute(f"PRAGMA table_info({table})")}


@pytest.mark.sqlite_only("a file from a release before publication dates")
def test_an_index_from_before_dates_is_upgraded_on_open(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(OLD_TABLES)
    index = Index(path)
    try:
        store = PendingStore(index)
        [job] = store.pending()  # the old job still comes back, undated
        assert (job.text, job.published_at, job.published_from) == ("old job", None, None)
        [old] = index.queries.chat_articles(1)
        assert (old.published_at, old.published_from) == (None, None)
        assert old.dated == old.received_at
        posted = datetime(2026, 10, 2, tzinfo=UTC)
        index.record_chat_article(1, "h2", message_id=7, received_at=datetime.now(UTC),
                                  title="U", source=None, published_at=posted,
                                  published_from=FORWARD)  # fmt: skip
        new = next(a for a in index.queries.chat_articles(1) if a.article_hash == "h2")
        assert (new.published_at, new.published_from, new.dated) == (posted, FORWARD, posted)
    finally:
        index.close()
    assert {"published_at", "published_from"} <= _columns(path, "chat_articles")
    assert {"published_at", "published_from"} <= _columns(path, "pending_jobs")
    assert "dated" in _columns(path, "chat_stances")
    Index(path).close()  # opening it again changes nothing and raises nothing


def test_an_article_sent_again_keeps_the_chats_earliest_date(tmp_path: Path) -> None:
    index = Index(tmp_path / "index.sqlite3")
    try:
        posted, page = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 10, 30, tzinfo=UTC)
        sendings = [  # (received, published, from): a forward, pasted later, then its page
            (datetime(2026, 12, 1, tzinfo=UTC), posted, FORWARD),
            (datetime(2026, 12, 3, tzinfo=UTC), datetime(2026, 12, 3, tzinfo=UTC), RECEIVED),
            (datetime(2026, 12, 4, tzinfo=UTC), page, PAGE),
        ]
        seen = []
        for n, (received, published, origin) in enumerate(sendings):
            index.record_chat_article(7, "h", message_id=n, received_at=received, title=None,
                                      source=None, published_at=published,
                                      published_from=origin)  # fmt: skip
            [article] = index.queries.chat_articles(7)
            seen.append((article.published_at, article.published_from, article.received_at))
        assert seen == [(posted, FORWARD, sendings[0][0]), (posted, FORWARD, sendings[1][0]),
                        (page, PAGE, sendings[2][0])]  # fmt: skip
        index.record_chat_article(8, "h", message_id=9, received_at=sendings[1][0], title=None,
                                  source=None, published_at=sendings[1][0],
                                  published_from=RECEIVED)  # fmt: skip
        [elsewhere] = index.queries.chat_articles(8)  # another chat's sending has its own date
        assert elsewhere.published_from == RECEIVED
    finally:
        index.close()
