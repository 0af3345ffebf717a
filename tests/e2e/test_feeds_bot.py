"""Following through the whole bot: /follow, polls driven by the test, /digest now, /unfollow."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.evaluation.story_corpus import load_story_corpus
from bot.sources.article_reader import SourceService
from tests.briefings import news, newsroom
from tests.fake_telegram import FakeTelegram, parse_html
from tests.fake_web import FakeResolver, FakeWeb, RoutingTransport
from tests.feed_pages import Entry, rss
from tests.groupkit import group_bot, idle
from tests.harness import GROUP, OTHER_USER, STRANGER, USER, Bot, FakeClock, running_bot
from tests.pages import news_page

NOW = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)
FEED = "https://news.test/feed.xml"


_WIRE = {i.id: i.text for i in load_story_corpus()}
PAGES = [news("harbour strike day 0")] + [
    f"Headline {i}\n{_WIRE[w]}" for i, w in enumerate(["e08-ap", "e10-reuters", "e15-reuters"])
]


def story(i: int) -> Entry:
    return Entry(
        f"g{i}",
        f"https://news.test/a/{i}",
        f"Story {i}",
        "Teaser.",
        NOW - timedelta(minutes=10 * i),
    )


@pytest.fixture
def web() -> Any:
    with FakeWeb() as fake:
        # Four different events: articles about one event would be one story in the digest.
        for i, page in enumerate(PAGES):
            fake.add(f"/a/{i}", news_page(page))
        fake.add("/feed.xml", rss([story(0), story(1)]), "application/rss+xml")
        yield fake


@pytest.fixture
async def transport(web: FakeWeb) -> AsyncIterator[RoutingTransport]:
    routing = RoutingTransport(web)
    yield routing
    await routing.aclose()


@pytest.fixture
def resolver() -> FakeResolver:
    fake = FakeResolver()
    fake.set("news.test", ["93.184.216.34"])
    return fake


@pytest.fixture
async def feed_bot(
    tg, fake_llm, make_settings, resolver, transport
) -> AsyncIterator[tuple[Bot, FakeClock]]:
    fake_llm.responder = newsroom()
    clock = FakeClock(NOW)
    async with running_bot(tg, fake_llm, make_settings, clock=clock) as bot:
        sources = SourceService(bot.settings, resolver=resolver, transport=transport, clock=clock)
        bot.services.sources = bot.services.feeds.sources = sources
        yield bot, clock


def text(message: dict[str, Any]) -> str:
    return parse_html(str(message["text"]))[0]


async def test_followed_feed_flows_silently_into_the_digest_and_a_second_chat_pays_nothing(
    feed_bot: tuple[Bot, FakeClock], web: FakeWeb
) -> None:
    bot, clock = feed_bot
    bot.tg.command(USER, USER, "follow", FEED)
    [reply] = await bot.replies(USER, 1)
    assert "Following Korea Watch (2 items now)" in text(reply)

    await bot.services.feed_poller.tick()  # first poll: both items
    web.add("/feed.xml", rss([story(2), story(0), story(1)]), "application/rss+xml")
    clock.advance(minutes=15)
    await bot.services.feed_poller.tick()  # second poll: one new item
    assert bot.llm.calls == 3
    assert len(bot.tg.sent_messages(USER)) == 1  # silent: no message per item

    clock.advance(minutes=1)
    bot.tg.command(USER, USER, "digest", "now")
    digest = text((await bot.replies(USER, 2))[1])
    assert "3 articles" in digest and digest.count("(Korea Watch)") == 3
    calls = bot.llm.calls  # + the digest

    bot.tg.command(OTHER_USER, OTHER_USER, "follow", FEED)
    await bot.replies(OTHER_USER, 1)
    clock.advance(minutes=15)
    await bot.services.feed_poller.tick()
    clock.advance(minutes=1)
    bot.tg.command(OTHER_USER, OTHER_USER, "digest", "now")
    other = text((await bot.replies(OTHER_USER, 2))[1])
    assert "3 articles" in other
    assert bot.llm.calls == calls  # briefings and the digest all came from the cache


async def test_live_follow_sends_one_message_per_new_item(feed_bot: tuple[Bot, FakeClock]) -> None:
    bot, clock = feed_bot
    bot.tg.command(USER, USER, "follow", f"{FEED} live")
    await bot.replies(USER, 1)
    await bot.services.feed_poller.tick()
    await bot.replies(USER, 3)
    clock.advance(minutes=15)
    await bot.services.feed_poller.tick()  # nothing new: nothing sent again
    await idle(bot)
    replies = bot.tg.sent_messages(USER)
    assert len(replies) == 3  # the /follow answer and one message for each of the two items
    items = [text(m) for m in replies[1:]]
    assert all("Korea Watch" in t for t in items)
    assert sorted("Harbour Strike Day 0" in t for t in items) == [False, True]  # two items


async def test_following_lists_sources_and_unfollow_buttons_answer_every_press(
    feed_bot: tuple[Bot, FakeClock], web: FakeWeb
) -> None:
    bot, _clock = feed_bot
    bot.tg.command(USER, USER, "following")
    assert "follows no sources" in text((await bot.replies(USER, 1))[0])
    bot.tg.command(USER, USER, "follow", FEED)
    await bot.replies(USER, 2)
    web.add("/feed.xml", "<h1>down</h1>", status=500)
    await bot.services.feed_poller.tick()
    bot.tg.command(USER, USER, "following")
    listing = text((await bot.replies(USER, 3))[2])
    assert "Korea Watch · feed" in listing and "last error" in listing and "HTTP 500" in listing

    bot.tg.command(USER, USER, "unfollow")
    question = (await bot.replies(USER, 4))[3]
    [[button]] = question["reply_markup"]["inline_keyboard"]
    mid = bot.tg.bot_messages(USER)[-1]["message_id"]
    bot.tg.callback_query(USER, USER, mid, button["callback_data"])
    await bot.tg.wait_for(lambda: len(bot.tg.requests("answerCallbackQuery")) == 1, timeout=10)
    assert bot.services.feeds.following(USER) == []
    bot.tg.callback_query(USER, USER, mid, button["callback_data"])  # stale: already gone
    await bot.tg.wait_for(lambda: len(bot.tg.requests("answerCallbackQuery")) == 2, timeout=10)
    bot.tg.callback_query(USER, USER, mid, "unfollow:x';DROP")  # tampered
    await bot.tg.wait_for(lambda: len(bot.tg.requests("answerCallbackQuery")) == 3, timeout=10)
    answers = [r.params.get("text") for r in bot.tg.requests("answerCallbackQuery")]
    assert answers == ["Unfollowed.", "This chat doesn't follow that source any more.",
                       "That button is no longer valid."]  # fmt: skip


async def test_strangers_cannot_follow(feed_bot: tuple[Bot, FakeClock], web: FakeWeb) -> None:
    bot, _clock = feed_bot
    bot.tg.command(STRANGER, STRANGER, "follow", FEED)
    [reply] = await bot.replies(STRANGER, 1)
    assert "private" in text(reply)
    assert bot.services.feeds.following(STRANGER) == [] and web.paths() == []


async def test_follow_without_a_source_shows_usage_and_bad_ones_say_why(
    feed_bot: tuple[Bot, FakeClock],
) -> None:
    bot, _clock = feed_bot
    bot.tg.command(USER, USER, "follow")
    bot.tg.command(USER, USER, "follow", "https://news.test/a/0")
    first, second = await bot.replies(USER, 2)
    assert "Follow a source" in text(first)
    assert "doesn't declare a feed" in text(second)


async def test_a_source_failing_for_days_is_paused_with_a_note_to_the_chat(
    tg, fake_llm, make_settings, web: FakeWeb, resolver: FakeResolver, transport: RoutingTransport
) -> None:
    clock = FakeClock(NOW)
    async with running_bot(
        tg, fake_llm, make_settings, clock=clock, feed_pause_after_hours=1
    ) as bot:
        sources = SourceService(bot.settings, resolver=resolver, transport=transport, clock=clock)
        bot.services.sources = bot.services.feeds.sources = sources
        bot.tg.command(USER, USER, "follow", FEED)
        await bot.replies(USER, 1)
        web.add("/feed.xml", "gone", "text/plain", status=410)
        for _ in range(3):  # fail, back off 30 min, fail, back off 1 h, fail: paused
            await bot.services.feed_poller.tick()
            clock.now = bot.services.feeds.following(USER)[0].source.next_poll_at
        note = text((await bot.replies(USER, 2))[1])
        assert note.startswith("⏸ I stopped checking “Korea Watch”") and "HTTP 410" in note
        assert f"/follow {FEED}" in note
        hits = len(web.hits)
        clock.advance(days=2)
        await bot.services.feed_poller.tick()
        assert len(web.hits) == hits  # paused: not polled again


async def test_live_items_go_to_the_topic_and_stop_when_the_follower_loses_access(
    tg, fake_llm, make_settings, web: FakeWeb, resolver: FakeResolver, transport: RoutingTransport
) -> None:
    fake_llm.responder = newsroom()
    clock = FakeClock(NOW)

    @asynccontextmanager
    async def bot_with(allowed: str) -> AsyncIterator[Bot]:
        async with group_bot(
            tg, fake_llm, make_settings, clock=clock, allowed_user_ids=allowed
        ) as bot:
            sources = SourceService(
                bot.settings, resolver=resolver, transport=transport, clock=clock
            )
            bot.services.sources = bot.services.feeds.sources = sources
            yield bot

    async with bot_with(f"{USER}") as bot:
        topic = tg.create_topic(GROUP, "Feeds")
        tg.chat_admins[GROUP] = {USER}
        tg.topic_message(GROUP, USER, topic, f"/follow {FEED} live")
        [reply] = await bot.replies(GROUP, 1)
        assert "Following Korea Watch" in text(reply) and reply.get("message_thread_id") == topic
        await bot.services.feed_poller.tick()
        live = (await bot.replies(GROUP, 3))[1:]
        assert all(m.get("message_thread_id") == topic for m in live)
        tg.delete_topic(GROUP, topic)  # the topic goes: the chat still gets the news
        web.add("/feed.xml", rss([story(2), story(0), story(1)]), "application/rss+xml")
        clock.advance(minutes=15)
        await bot.services.feed_poller.tick()
        assert "message_thread_id" not in (await bot.replies(GROUP, 4))[3]
        [follow] = bot.services.feeds.following(GROUP)
        assert follow.thread_id is None  # later items go straight to the chat
    calls, hits = fake_llm.calls, len(web.hits)
    web.add("/feed.xml", rss([story(3), story(2), story(0), story(1)]), "application/rss+xml")
    async with bot_with(f"{OTHER_USER}") as bot:  # the follower was taken off the allowlist
        clock.advance(minutes=15)
        assert await bot.services.feed_poller.tick() == []
        assert fake_llm.calls == calls and len(web.hits) == hits  # not even fetched


async def test_briefbot_run_schedules_the_feed_tick(tg, fake_llm, make_settings) -> None:
    async with running_bot(tg, fake_llm, make_settings, feed_poll_interval_s=600) as bot:
        assert bot.app.job_queue is not None
        [job] = bot.app.job_queue.get_jobs_by_name("feed-tick")
        assert (
            job.job.trigger.interval.total_seconds() == 60
        )  # due sources are looked for each minute
        assert job.job.max_instances == 2  # a busy loop never logs skipped runs
        assert job.job.misfire_grace_time is None  # a late tick runs late, never not at all
        [chores] = bot.app.job_queue.get_jobs_by_name("housekeeping")
        assert chores.job.trigger.interval.total_seconds() == 3600  # and once at start-up


async def test_a_channel_follows_a_feed_from_its_own_posts(
    tg, fake_llm, make_settings, resolver: FakeResolver, transport: RoutingTransport
) -> None:
    fake_llm.responder = newsroom()
    channel = FakeTelegram.channel(-1005550077, "Desk Channel", username="deskchannel")
    clock = FakeClock(NOW)
    async with group_bot(
        tg, fake_llm, make_settings, clock=clock, allowed_chat_ids=str(channel["id"])
    ) as bot:
        sources = SourceService(bot.settings, resolver=resolver, transport=transport, clock=clock)
        bot.services.sources = bot.services.feeds.sources = sources
        tg.channel_post(channel, f"/follow {FEED}")
        [reply] = await bot.replies(channel["id"])
        assert "Following Korea Watch" in text(reply)
        [follow] = bot.services.feeds.following(channel["id"])
        assert follow.follower_id is None  # the channel's own follow, not a person's
        await bot.services.feed_poller.tick()
        assert len(bot.services.index.queries.chat_articles(channel["id"])) == 2


async def test_a_channels_readers_cannot_press_its_unfollow_buttons(
    tg, fake_llm, make_settings, resolver: FakeResolver, transport: RoutingTransport
) -> None:
    fake_llm.responder = newsroom()
    channel = FakeTelegram.channel(-1005550078, "Desk Channel", username="deskchannel2")
    clock = FakeClock(NOW)
    async with group_bot(
        tg, fake_llm, make_settings, clock=clock, allowed_chat_ids=str(channel["id"])
    ) as bot:
        sources = SourceService(bot.settings, resolver=resolver, transport=transport, clock=clock)
        bot.services.sources = bot.services.feeds.sources = sources
        tg.channel_post(channel, f"/follow {FEED}")
        await bot.replies(channel["id"], 1)
        tg.channel_post(channel, "/unfollow")  # a channel admin posts: the buttons are public
        await bot.replies(channel["id"], 2)
        [question] = [m for m in tg.bot_messages(channel["id"]) if m.get("reply_markup")]
        [[button]] = question["reply_markup"]["inline_keyboard"]
        mid = question["message_id"]
        tg.callback_query(channel["id"], STRANGER, mid, button["callback_data"])  # a reader
        await tg.wait_for(lambda: len(tg.requests("answerCallbackQuery")) == 1, timeout=10)
        assert len(bot.services.feeds.following(channel["id"])) == 1  # still followed
        tg.chat_admins[channel["id"]] = {OTHER_USER}
        tg.callback_query(channel["id"], OTHER_USER, mid, button["callback_data"])  # an admin
        await tg.wait_for(lambda: len(tg.requests("answerCallbackQuery")) == 2, timeout=10)
        assert bot.services.feeds.following(channel["id"]) == []
    refused, done = (r.params for r in tg.requests("answerCallbackQuery"))
    assert refused["text"] == "Only this chat's admins can change that here."
    assert refused["show_alert"] is True
    assert done["text"] == "Unfollowed."


@pytest.mark.parametrize("members", [False, True])
async def test_group_settings_are_for_its_admins_unless_the_operator_opens_them(
    tg, fake_llm, make_settings, resolver: FakeResolver, transport: RoutingTransport,
    members: bool,
) -> None:  # fmt: skip
    fake_llm.responder = newsroom()
    clock = FakeClock(NOW)
    async with group_bot(
        tg, fake_llm, make_settings, clock=clock, allowed_chat_ids=str(GROUP),
        group_settings_by_members=members,
    ) as bot:  # fmt: skip
        sources = SourceService(bot.settings, resolver=resolver, transport=transport, clock=clock)
        bot.services.sources = bot.services.feeds.sources = sources
        tg.chat_admins[GROUP] = {USER}
        tg.command(GROUP, OTHER_USER, "follow", FEED)  # an ordinary member
        tg.command(GROUP, OTHER_USER, "digest", "on 07:30 UTC")
        tg.command(GROUP, OTHER_USER, "autoforwards", "on")
        member_replies = [text(r) for r in await bot.replies(GROUP, 3)]
        member_changed = (
            len(bot.services.feeds.following(GROUP)),
            bot.services.subscriptions.get(GROUP) is not None,
            bot.services.chat_settings.auto_forwards(GROUP).enabled,
        )
        tg.anonymous_admin_message(GROUP, "/digest off")  # an anonymous admin speaks as the group
        tg.command(GROUP, USER, "follow", FEED)  # an admin
        await bot.replies(GROUP, 5)
        assert len(bot.services.feeds.following(GROUP)) == 1
        sub = bot.services.subscriptions.get(GROUP)
        assert sub is None or not sub.enabled
        # The member's /unfollow puts up buttons; pressing one follows the same rule.
        tg.command(GROUP, OTHER_USER, "unfollow")
        await bot.replies(GROUP, 6)
        asked = [m for m in tg.bot_messages(GROUP) if m.get("reply_markup")]
        if members:
            [[button]] = asked[-1]["reply_markup"]["inline_keyboard"]
            # A member the operator did not list by id: admitted only as the group's member.
            mid = asked[-1]["message_id"]
            tg.callback_query(GROUP, STRANGER, mid, button["callback_data"])
            await tg.wait_for(lambda: len(tg.requests("answerCallbackQuery")) == 1, timeout=10)
            assert bot.services.feeds.following(GROUP) == []  # the member's press counted
        else:
            assert asked == []  # refused at the command: no buttons to press
    if members:
        assert member_changed == (1, True, True)
    else:
        assert member_changed == (0, False, False)
        assert member_replies == ["Only this chat's admins can change that here."] * 3
