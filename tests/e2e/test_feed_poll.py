"""Following and polling against a fake web: conditional GET, de-duplication, caps, back-off."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.articles.text import make_article
from bot.briefing.facts import UpdateFacts
from bot.briefing.service import BriefResult
from bot.config import Settings
from bot.errors import SourceError
from bot.feeds.follows_store import Follow
from bot.feeds.items import FALLBACK_NOTE
from bot.models import Source
from bot.render.digest_html import render_digest
from bot.services import Services, build_services
from bot.sources.article_reader import SourceService
from tests.briefings import news, newsroom
from tests.fake_llm import FakeLLM
from tests.fake_web import FakeResolver, FakeWeb, RoutingTransport
from tests.feed_pages import Entry, Post, atom, channel_page, rss, site_with_feed
from tests.harness import FakeClock, settings_for
from tests.pages import news_page

NOW = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)
PUBLIC = "93.184.216.34"
CHAT, OTHER = 100, 200
FEED = "https://news.test/feed.xml"


class Notes:
    """A notifier that records what it would send."""

    def __init__(self) -> None:
        self.notes: list[tuple[int, str]] = []
        self.briefings: list[tuple[int, BriefResult]] = []

    async def briefing(self, follow: Follow, result: BriefResult) -> None:
        self.briefings.append((follow.chat_id, result))

    async def note(self, follow: Follow, text: str) -> None:
        self.notes.append((follow.chat_id, text))


def story(i: int, *, hours_ago: float = 1.0, link: str | None = None) -> Entry:
    return Entry(
        f"guid-{i}",
        link or f"https://news.test/a/{i}",
        f"Story {i}",
        f"Teaser {i}.",
        NOW - timedelta(hours=hours_ago),
    )


@pytest.fixture
def web() -> Any:
    with FakeWeb() as fake:
        for i in range(12):
            fake.add(f"/a/{i}", news_page(news(f"harbour topic {i}"), site="Korea Watch"))
        yield fake


@pytest.fixture
async def transport(web: FakeWeb) -> AsyncIterator[RoutingTransport]:
    routing = RoutingTransport(web)
    yield routing
    await routing.aclose()


@pytest.fixture
async def make(
    tmp_path: Path, fake_llm: FakeLLM, transport: RoutingTransport
) -> AsyncIterator[Callable[..., Services]]:
    """Build services (again, for a restart) with the fetcher pointed at the fake web."""
    fake_llm.responder = newsroom()
    resolver = FakeResolver()
    for host in ("news.test", "port.test", "t.me"):
        resolver.set(host, [PUBLIC])
    clock = FakeClock(NOW)
    built: list[Services] = []

    def build(**overrides: Any) -> Services:
        settings: Settings = settings_for(tmp_path / "data", fake_llm, **overrides)
        services = build_services(settings)
        sources = SourceService(settings, resolver=resolver, transport=transport, clock=clock)
        services.sources = services.feeds.sources = sources
        services.feeds.clock = services.feed_poller.clock = clock
        services.feed_poller.notifier = Notes()
        services.clock = clock  # type: ignore[attr-defined]  # the test's handle on time
        built.append(services)
        return services

    yield build
    for services in built:  # also when a test failed half-way (closing twice is harmless)
        await services.aclose()


@pytest.fixture
async def services(make: Callable[..., Services]) -> AsyncIterator[Services]:
    services = make()
    yield services
    await services.aclose()


def clock(services: Services) -> FakeClock:
    return services.clock  # type: ignore[attr-defined, no-any-return]


async def poll_again(services: Services, **delta: float) -> list[Any]:
    clock(services).advance(**delta or {"minutes": 15})
    return await services.feed_poller.tick()


async def test_first_poll_takes_recent_items_silently_and_an_unchanged_feed_costs_no_body(
    services: Services, web: FakeWeb, fake_llm: FakeLLM
) -> None:
    items = [
        story(0),
        story(1),
        story(2, hours_ago=5),
        story(3, hours_ago=30),
        story(4, hours_ago=72),
    ]
    web.add("/feed.xml", rss(items), "application/rss+xml", etag='"v1"')
    done = await services.feeds.follow(CHAT, FEED)
    assert (done.follow.source.title, done.items, done.new) == ("Korea Watch", 5, True)

    [report] = await services.feed_poller.tick()
    assert (report.new_items, report.delivered) == (3, 3)  # 30 h and 72 h old: before the backfill
    assert fake_llm.calls == 3
    recorded = services.index.queries.chat_articles(CHAT)
    assert {a.title for a in recorded} == {"Story 0", "Story 1", "Story 2"}
    assert all(a.source and a.source.label == "Korea Watch" and a.headline for a in recorded)
    # Dated by the feed item (its page says 2026-03-12: the feed's own date comes first).
    assert {(a.title, a.published_at, a.published_from) for a in recorded} == {
        (f"Story {i}", item.published, "feed") for i, item in enumerate(items[:3])
    }
    assert services.feed_poller.notifier.briefings == []  # type: ignore[union-attr]  # silent

    [report] = await poll_again(services)  # unchanged: the server answers 304
    assert report.not_modified and report.new_items == 0
    assert web.hits[-1].path == "/feed.xml" and len(web.hits) == 6  # feed ×3 and 3 pages
    assert web.hits[-1].headers.get("If-None-Match") == '"v1"'
    assert fake_llm.calls == 3
    [follow] = services.feeds.following(CHAT)
    assert follow.source.ok_at == clock(services).now and follow.source.error is None


async def test_republished_duplicated_and_reordered_items_are_never_rebriefed(
    services: Services, web: FakeWeb, fake_llm: FakeLLM
) -> None:
    web.add("/feed.xml", rss([story(0), story(1)]), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED)
    await services.feed_poller.tick()
    assert fake_llm.calls == 2
    again = [
        story(1),
        story(0),
        story(0),  # reordered, and listed twice
        Entry(
            "new-guid-for-0",
            "https://www.news.test/a/0?utm_source=rss",
            "Story 0 (updated)",
            "t",
            NOW,
        ),
        Entry("guid-1", "https://news.test/a/1-moved", "Story 1", "t", NOW),  # same GUID, new link
        story(5),
    ]
    web.add("/feed.xml", rss(again), "application/rss+xml")
    [report] = await poll_again(services)
    assert report.new_items == 1 and fake_llm.calls == 3  # only story 5
    assert len(services.index.queries.chat_articles(CHAT)) == 3


async def test_same_story_from_two_feeds_costs_one_fetch_and_one_llm_call(
    services: Services, web: FakeWeb, fake_llm: FakeLLM
) -> None:
    web.add("/mirror/0", news_page(news("harbour topic 0"), site="Mirror"))  # same text elsewhere
    web.add("/feed.xml", rss([story(0)]), "application/rss+xml")
    other = [Entry("urn:a", "https://news.test/a/0?utm_source=atom#top", "Harbour", "x", NOW),
             Entry("urn:b", "https://port.test/mirror/0", "Harbour mirrored", "x", NOW)]  # fmt: skip
    web.add("/atom", atom(other, title="Port Daily"), "application/atom+xml")
    await services.feeds.follow(CHAT, FEED)
    await services.feeds.follow(CHAT, "https://port.test/atom")
    await services.feed_poller.tick()
    assert len([p for p in web.paths() if p.startswith("/a/0")]) == 1  # one fetch, two feeds
    assert fake_llm.calls == 1
    now = clock(services).now + timedelta(seconds=1)
    digest = await services.digests.build(CHAT, since=now - timedelta(hours=24), until=now)
    assert digest is not None and digest.article_count == 1
    [(cid, sources)] = digest.sources.items()
    assert {s.label for s in sources} == {"Korea Watch", "Port Daily"}  # one story, both listed
    prompt = fake_llm.requests[-1].user
    assert (
        "Sources: Korea Watch; Port Daily" in prompt or "Sources: Port Daily; Korea Watch" in prompt
    )
    html = render_digest(digest, chat_id=CHAT)
    assert " · also " in html and cid in digest.cited


async def test_unreadable_page_falls_back_to_the_feed_summary_and_says_so(
    services: Services, web: FakeWeb, fake_llm: FakeLLM
) -> None:
    long_summary = news("customs dispute", words=60)
    entry = Entry("g-404", "https://news.test/gone", "Customs dispute", long_summary, NOW)
    web.add("/feed.xml", rss([entry]), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED)
    [report] = await services.feed_poller.tick()
    assert report.delivered == 1 and fake_llm.calls == 1
    [article] = services.index.queries.chat_articles(CHAT)
    assert article.source is not None and FALLBACK_NOTE in article.source.label
    assert "customs dispute officials said" in fake_llm.requests[0].user.lower()


async def test_daily_cap_skips_items_and_the_digest_says_so(
    make: Callable[..., Services], web: FakeWeb, fake_llm: FakeLLM
) -> None:
    services = make(feed_daily_items_per_chat=2)
    web.add("/feed.xml", rss([story(i) for i in range(4)]), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED)
    [report] = await services.feed_poller.tick()
    assert (report.delivered, report.skipped) == (2, 2)
    assert fake_llm.calls == 2
    now = clock(services).now
    digest = await services.digests.build(
        CHAT, since=now - timedelta(hours=24), until=now + timedelta(seconds=1)
    )
    assert digest is not None
    assert digest.notes == [
        "2 new items from followed sources skipped (the daily cap of 2 per chat)"
    ]
    await services.aclose()


async def test_failing_source_backs_off_and_is_paused_after_days_with_a_note(
    make: Callable[..., Services], web: FakeWeb
) -> None:
    services = make(feed_pause_after_hours=48)
    web.add("/feed.xml", rss([story(0)]), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED)
    web.add("/feed.xml", "<h1>oops</h1>", status=503)
    [report] = await services.feed_poller.tick()
    assert report.error and "503" in report.error
    [follow] = services.feeds.following(CHAT)
    assert follow.source.failures == 1 and "503" in (follow.source.error or "")
    assert follow.source.next_poll_at == clock(services).now + timedelta(minutes=30)
    assert await poll_again(services, minutes=20) == []  # backing off: not due yet
    polls = 1
    while not services.feeds.following(CHAT)[0].source.paused:
        clock(services).now = services.feeds.following(CHAT)[0].source.next_poll_at
        await services.feed_poller.tick()
        polls += 1
        assert polls < 30, "never paused"
    assert polls < 15  # 48 h of failures with doubling back-off: a handful of tries
    notes = services.feed_poller.notifier.notes  # type: ignore[union-attr]
    assert len(notes) == 1 and notes[0][0] == CHAT and "stopped checking" in notes[0][1]
    clock(services).advance(days=3)
    assert await services.feed_poller.tick() == []  # paused: never polled again by itself
    web.add("/feed.xml", rss([story(0)]), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED)  # following again (once it works) resumes it
    assert not services.feeds.following(CHAT)[0].source.paused
    await services.aclose()


async def test_restart_keeps_sources_and_state_and_briefs_only_new_items(
    make: Callable[..., Services], web: FakeWeb, fake_llm: FakeLLM
) -> None:
    first = make()
    web.add("/feed.xml", rss([story(0), story(1)]), "application/rss+xml")
    await first.feeds.follow(CHAT, FEED, live=True)
    await first.feed_poller.tick()
    await first.aclose()
    second = make()
    [follow] = second.feeds.following(CHAT)
    assert follow.live and follow.source.title == "Korea Watch"
    web.add("/feed.xml", rss([story(2), story(1), story(0)]), "application/rss+xml")
    [report] = await poll_again(second)
    assert report.new_items == 1 and fake_llm.calls == 3
    [(chat, live)] = second.feed_poller.notifier.briefings  # type: ignore[union-attr]
    assert chat == CHAT and live.stored.briefing.headline
    await second.aclose()


async def test_second_chat_gets_recent_items_from_the_cache(
    services: Services, web: FakeWeb, fake_llm: FakeLLM
) -> None:
    web.add("/feed.xml", rss([story(0), story(1)]), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED)
    await services.feed_poller.tick()
    await poll_again(services, hours=2)
    await services.feeds.follow(OTHER, FEED)
    [report] = await poll_again(services)
    assert report.delivered == 2 and fake_llm.calls == 2
    assert {a.title for a in services.index.queries.chat_articles(OTHER)} == {"Story 0", "Story 1"}
    assert [f.source.url for f in services.feeds.following(OTHER)] == [FEED]
    assert services.feeds.unfollow(OTHER, 999) is None  # not its source


async def test_site_address_follows_the_feed_it_declares(services: Services, web: FakeWeb) -> None:
    web.add("/", site_with_feed("/feed.xml"))
    web.add("/feed.xml", rss([story(0)]), "application/rss+xml")
    done = await services.feeds.follow(CHAT, "https://news.test/")
    assert done.follow.source.url == FEED and done.items == 1


async def test_page_without_a_declared_feed_is_refused(services: Services, web: FakeWeb) -> None:
    web.add("/plain", news_page(news("no feed here")))
    with pytest.raises(SourceError, match="doesn't declare a feed"):
        await services.feeds.follow(CHAT, "https://news.test/plain")
    assert services.feeds.following(CHAT) == []


async def test_oversized_feed_is_refused(make: Callable[..., Services], web: FakeWeb) -> None:
    services = make(feed_max_bytes=10_000)
    web.add("/feed.xml", rss([story(i % 12) for i in range(200)]), "application/rss+xml")
    with pytest.raises(SourceError, match="larger than"):
        await services.feeds.follow(CHAT, FEED)
    await services.aclose()


async def test_public_channel_posts_are_briefed_from_their_own_text(
    services: Services, web: FakeWeb, fake_llm: FakeLLM
) -> None:
    posts = [
        Post(7, news("fishing rights talks"), NOW - timedelta(hours=2)),
        Post(
            8,
            "Short update, full story at the link.",
            NOW - timedelta(hours=1),
            link="https://news.test/a/3",
        ),
        Post(9, "👍", NOW),
    ]
    web.add("/s/koreawatch", channel_page("koreawatch", "Korea Watch Channel", posts))
    done = await services.feeds.follow(CHAT, "t.me/koreawatch")
    assert done.follow.source.url == "https://t.me/s/koreawatch"
    assert (done.follow.source.title, done.items) == ("Korea Watch Channel", 3)
    [report] = await services.feed_poller.tick()
    assert report.delivered == 2 and fake_llm.calls == 2  # the emoji-only post is not an article
    urls = {a.source.url for a in services.index.queries.chat_articles(CHAT) if a.source}
    assert urls == {"https://t.me/koreawatch/7", "https://t.me/koreawatch/8"}
    assert "/a/3" in web.paths()  # the short post's link was fetched instead


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("hello", "feed or site address"),
        ("ftp://news.test/feed", "only fetch http and https"),
        ("https://t.me/+invite", "public channel as @name"),
        ("https://t.me/koreawatch/123", "not a single post"),
    ],
)
async def test_follow_refuses_what_is_not_a_source(
    services: Services, web: FakeWeb, text: str, why: str
) -> None:
    with pytest.raises(SourceError, match=why):
        await services.feeds.follow(CHAT, text)
    assert web.paths() == []


def test_cli_follow_and_following(tmp_path: Path, fake_llm: FakeLLM, web: FakeWeb) -> None:
    import subprocess
    import sys

    from tests.briefbot_env import cli_env

    web.add("/feed.xml", rss([story(0), story(1)]), "application/rss+xml")
    env = cli_env(tmp_path, fake_llm) | {"FETCH_ALLOW_PRIVATE_NETWORKS": "true"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True,
            timeout=60, check=False,
        )  # fmt: skip

    followed = run("follow", "--chat", "42", web.url("/feed.xml"), "--label", "state media")
    assert followed.returncode == 0, followed.stderr
    assert "Following Korea Watch (2 items) in chat 42" in followed.stdout
    assert "Korea Watch is labelled “state media” in /story." in followed.stdout  # as /label
    unlabelled = run("follow", "--chat", "44", web.url("/feed.xml"), "--label", " ")
    assert unlabelled.returncode == 1 and "--label needs" in unlabelled.stderr
    listed = run("following", "--chat", "42")
    assert listed.returncode == 0 and "Korea Watch · feed" in listed.stdout
    assert "not checked yet" in listed.stdout
    assert (
        run("following", "--chat", "43").stderr.strip() == "briefbot: Chat 43 follows no sources."
    )
    bad = run("follow", "--chat", "42", web.url("/a/1"))
    assert bad.returncode == 1 and "doesn't declare a feed" in bad.stderr
    assert "Traceback" not in bad.stderr and fake_llm.calls == 0
    # `briefbot unfollow`, the mirror of follow: by URL (or title), then nothing is followed.
    missing = run("unfollow", "--chat", "42", "https://elsewhere.test/feed")
    assert missing.returncode == 1 and "doesn't follow" in missing.stderr
    gone = run("unfollow", "--chat", "42", web.url("/feed.xml"))
    assert gone.returncode == 0, gone.stderr
    assert "Unfollowed Korea Watch in chat 42" in gone.stdout
    assert run("following", "--chat", "42").returncode == 1


async def test_budget_refusal_costs_no_call_and_the_items_wait_for_a_later_poll(
    make: Callable[..., Services], web: FakeWeb, fake_llm: FakeLLM
) -> None:
    web.add("/feed.xml", rss([story(0), story(1), story(2)]), "application/rss+xml")
    tight = make(global_daily_token_budget=500)  # less than one briefing's reservation
    await tight.feeds.follow(CHAT, FEED)
    [report] = await tight.feed_poller.tick()
    assert report.new_items == 3 and report.delivered == 0 and fake_llm.calls == 0
    assert tight.index.queries.chat_articles(CHAT) == []  # nothing half-recorded
    await tight.aclose()
    roomy = make()  # the operator raised the budget (or a new budget day began)
    [report] = await poll_again(roomy)
    assert report.delivered == 3 and fake_llm.calls == 3
    await roomy.aclose()


async def test_feed_address_keeps_its_query(services: Services, web: FakeWeb) -> None:
    web.add("/?feed=rss2", rss([story(0)]), "application/rss+xml")
    done = await services.feeds.follow(CHAT, "https://news.test/?feed=rss2#top")
    assert done.follow.source.url == "https://news.test/?feed=rss2"
    assert web.paths() == ["/?feed=rss2"]


@pytest.mark.parametrize(
    ("body", "content_type", "error"),
    [
        ("<!DOCTYPE html><html><body><p>We moved!</p></body></html>", "text/html", "RSS or Atom"),
        ("<rss><channel><title>Half", "application/rss+xml", None),  # truncated: no items, no error
        (
            "<?xml version='1.0'?><rss>" + "x" * 30_000 + "</rss>",
            "application/rss+xml",
            "larger than",
        ),
    ],
    ids=["html-instead-of-feed", "truncated-xml", "oversized"],
)
async def test_a_feed_that_turns_bad_is_an_error_with_back_off_not_a_crash(
    make: Callable[..., Services],
    web: FakeWeb,
    fake_llm: FakeLLM,
    body: str,
    content_type: str,
    error: str | None,
) -> None:
    services = make(feed_max_bytes=20_000)
    web.add("/feed.xml", rss([story(0)]), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED)
    await services.feed_poller.tick()
    web.add("/feed.xml", body, content_type)
    [report] = await poll_again(services)
    [follow] = services.feeds.following(CHAT)
    if error is None:
        assert report.error is None and report.new_items == 0
    else:
        assert report.error is not None and error in report.error
        assert follow.source.error == report.error and follow.source.failures == 1
    assert fake_llm.calls == 1
    await services.aclose()


async def test_an_unexpected_error_in_one_source_backs_it_off_and_spares_the_others(
    services: Services,
    web: FakeWeb,
    fake_llm: FakeLLM,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    web.add("/feed.xml", rss([story(0)]), "application/rss+xml")
    web.add(
        "/atom",
        atom([Entry("urn:1", "https://news.test/a/1", "One", "x", NOW)]),
        "application/atom+xml",
    )
    await services.feeds.follow(CHAT, FEED)
    await services.feeds.follow(CHAT, "https://port.test/atom")
    parse = services.feeds.parse

    async def broken(fetched: Any, kind: str) -> Any:
        if fetched.url == FEED:
            raise RuntimeError("a bug")
        return await parse(fetched, kind)

    monkeypatch.setattr(services.feeds, "parse", broken)
    reports = {r.source_id: r for r in await services.feed_poller.tick()}
    rss_feed, atom_feed = (f.source for f in services.feeds.following(CHAT))
    assert "internal error" in (reports[rss_feed.id].error or "")
    assert rss_feed.failures == 1 and rss_feed.next_poll_at > clock(services).now
    assert reports[atom_feed.id].delivered == 1 and fake_llm.calls == 1
    assert "polling feed" in caplog.text


async def test_a_group_upgraded_to_a_supergroup_keeps_its_sources_and_history(
    services: Services, web: FakeWeb, fake_llm: FakeLLM
) -> None:
    group, supergroup = -500, -1001234500500
    web.add("/feed.xml", rss([story(0), story(1)]), "application/rss+xml")
    await services.feeds.follow(group, FEED)
    await services.feed_poller.tick()
    await services.migrate_chat_off_loop(group, supergroup)
    assert services.feeds.following(group) == []
    assert [f.source.url for f in services.feeds.following(supergroup)] == [FEED]
    web.add("/feed.xml", rss([story(2), story(1), story(0)]), "application/rss+xml")
    [report] = await poll_again(services)
    assert report.delivered == 1 and fake_llm.calls == 3  # the two old items not delivered again
    assert len(services.index.queries.chat_articles(supergroup)) == 3


async def test_a_new_follower_gets_its_backfill_even_while_the_feed_answers_304(
    services: Services, web: FakeWeb, fake_llm: FakeLLM
) -> None:
    web.add("/feed.xml", rss([story(0), story(1)]), "application/rss+xml", etag='"v1"')
    await services.feeds.follow(CHAT, FEED)
    await services.feed_poller.tick()
    await services.feeds.follow(OTHER, FEED)  # an unconditional GET: the whole feed
    [report] = await poll_again(services)
    assert report.not_modified and report.delivered == 2 and fake_llm.calls == 2
    assert len(services.index.queries.chat_articles(OTHER)) == 2


async def test_two_sources_polled_at_once_share_one_daily_cap(
    make: Callable[..., Services], web: FakeWeb, fake_llm: FakeLLM
) -> None:
    services = make(feed_daily_items_per_chat=3)
    fake_llm.responder = newsroom()
    web.add("/feed.xml", rss([story(i) for i in range(3)]), "application/rss+xml")
    other = [
        Entry(f"urn:{i}", f"https://news.test/a/{i}", f"Other {i}", "x", NOW) for i in range(3, 6)
    ]
    web.add("/atom", atom(other), "application/atom+xml")
    await services.feeds.follow(CHAT, FEED)
    await services.feeds.follow(CHAT, "https://port.test/atom")
    reports = await services.feed_poller.tick()  # both sources due: polled concurrently
    assert sum(r.delivered for r in reports) == 3 and sum(r.skipped for r in reports) == 3
    assert fake_llm.calls == 3
    await services.aclose()


async def test_refollowing_after_a_long_gap_takes_only_the_backfill_window(
    services: Services, web: FakeWeb, fake_llm: FakeLLM
) -> None:
    web.add("/feed.xml", rss([story(0)]), "application/rss+xml")
    done = await services.feeds.follow(CHAT, FEED)
    await services.feed_poller.tick()
    services.feeds.unfollow(CHAT, done.follow.source.id)
    clock(services).advance(days=30)
    later = clock(services).now
    month = [
        Entry(
            f"m{d}",
            f"https://news.test/a/{d % 11 + 1}?d={d}",
            f"Day {d}",
            "x",
            later - timedelta(days=d, hours=1),
        )
        for d in range(30)
    ]
    web.add("/feed.xml", rss(month), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED)
    [report] = await services.feed_poller.tick()
    assert report.new_items == 1 and fake_llm.calls == 2  # only the last day's item


async def test_an_entry_without_a_link_is_briefed_from_the_feed_with_no_fallback_note(
    services: Services, web: FakeWeb, fake_llm: FakeLLM
) -> None:
    body = rss([Entry("g-nolink", "", "Full text entry", news("ferry strike", words=60), NOW)])
    web.add("/feed.xml", body.replace("<link></link>", ""), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED)
    [report] = await services.feed_poller.tick()
    assert report.delivered == 1 and fake_llm.calls == 1
    [article] = services.index.queries.chat_articles(CHAT)
    assert article.source is not None and article.source.label == "Korea Watch"


async def test_the_digest_prompt_names_followed_sources_and_no_forwarder(
    services: Services, web: FakeWeb, fake_llm: FakeLLM
) -> None:
    web.add("/feed.xml", rss([story(0)]), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED)
    await services.feed_poller.tick()
    forwarded = make_article(
        news("canal tolls"), source=Source(label="Alice Smith (@alice)", url="https://news.test/x")
    )
    await services.briefing.brief(forwarded, UpdateFacts(chat_id=CHAT))
    services.index.record_chat_article(CHAT, forwarded.content_hash, message_id=7, received_at=clock(services).now,
                                       title=None, source=forwarded.source)  # fmt: skip
    now = clock(services).now + timedelta(seconds=1)
    digest = await services.digests.build(CHAT, since=now - timedelta(hours=24), until=now)
    assert digest is not None and digest.article_count == 2
    prompt = fake_llm.requests[-1].user
    assert prompt.count("Sources: Korea Watch") == 1
    assert "Alice" not in prompt and "alice" not in prompt


async def test_items_waiting_too_long_for_the_llm_get_the_extractive_briefing(
    make: Callable[..., Services], web: FakeWeb, fake_llm: FakeLLM
) -> None:
    web.add("/feed.xml", rss([story(0), story(1)]), "application/rss+xml")
    services = make(global_daily_token_budget=500)
    await services.feeds.follow(CHAT, FEED)
    [report] = await services.feed_poller.tick()
    assert report.delivered == 0  # they wait for the budget …
    [report] = await poll_again(services, hours=7)
    assert report.delivered == 2 and fake_llm.calls == 0  # … but not forever
    recorded = services.index.queries.chat_articles(CHAT)
    assert len(recorded) == 2 and all(a.headline for a in recorded)
    stored = [services.cache.get(a.briefing_key) for a in recorded if a.briefing_key]
    assert all(s is not None and s.extractive_reason for s in stored)


async def test_without_an_llm_followed_items_get_the_extractive_briefing(
    make: Callable[..., Services], web: FakeWeb, fake_llm: FakeLLM
) -> None:
    web.add("/feed.xml", rss([story(0)]), "application/rss+xml")
    services = make(openai_base_url="", openai_api_key="")  # first run: no LLM configured
    await services.feeds.follow(CHAT, FEED)
    [report] = await services.feed_poller.tick()
    assert report.delivered == 1 and fake_llm.calls == 0
    [article] = services.index.queries.chat_articles(CHAT)
    assert article.headline and article.source and article.source.label == "Korea Watch"


async def test_items_told_apart_only_by_a_query_parameter_are_all_briefed(
    services: Services, web: FakeWeb, fake_llm: FakeLLM
) -> None:
    # index.php?article=N sites: the parameter is the page; only utm_* is noise.
    for i in (1, 2):
        page = news_page(news(f"harbour topic {i}"), site="Korea Watch")
        web.add(f"/index.php?article={i}&utm_source=rss", page)
    items = [
        story(1, link="https://news.test/index.php?article=1&utm_source=rss"),
        story(2, link="https://news.test/index.php?article=2&utm_source=rss"),
    ]
    web.add("/feed.xml", rss(items), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED)
    [report] = await services.feed_poller.tick()
    assert report.new_items == 2 and fake_llm.calls == 2
    pages = sorted(p for p in web.paths() if p.startswith("/index.php"))
    assert pages == [
        "/index.php?article=1&utm_source=rss",
        "/index.php?article=2&utm_source=rss",
    ]
    assert {a.title for a in services.index.queries.chat_articles(CHAT)} == {"Story 1", "Story 2"}


async def test_a_pdf_pypdf_gives_up_on_fails_alone_once_and_the_good_items_arrive(
    services: Services, web: FakeWeb, fake_llm: FakeLLM
) -> None:
    from bot.feeds import seen as st
    from tests.pdfs import bomb_pdf

    web.add("/report.pdf", bomb_pdf(), "application/pdf")
    items = [story(0), story(1, link="https://news.test/report.pdf"), story(2)]
    web.add("/feed.xml", rss(items), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED)
    [report] = await services.feed_poller.tick()
    assert (report.error, report.new_items, report.delivered) == (None, 3, 2)
    assert {a.title for a in services.index.queries.chat_articles(CHAT)} == {"Story 0", "Story 2"}
    [source] = services.feeds.following(CHAT)
    assert source.source.error is None and source.source.failures == 0
    [bad] = services.feeds.seen.items(source.source.id, st.UNREADABLE)
    assert bad.url == "https://news.test/report.pdf"
    [report] = await poll_again(services)  # recorded once: never fetched or read again
    assert report.error is None and web.paths().count("/report.pdf") == 1
    assert fake_llm.calls == 2


async def test_an_item_that_breaks_the_reader_is_that_items_failure_only(
    services: Services, web: FakeWeb, fake_llm: FakeLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = services.feeds.sources
    read = sources.article_from_url

    async def flaky(url: str) -> Any:
        if url.endswith("/a/1"):
            raise RuntimeError("a bug met by one page")
        return await read(url)

    monkeypatch.setattr(sources, "article_from_url", flaky)
    web.add("/feed.xml", rss([story(0), story(1), story(2)]), "application/rss+xml")
    await services.feeds.follow(CHAT, FEED)
    [report] = await services.feed_poller.tick()
    assert (report.error, report.delivered, fake_llm.calls) == (None, 2, 2)
    [report] = await poll_again(services)
    assert report.error is None and fake_llm.calls == 2  # not retried
