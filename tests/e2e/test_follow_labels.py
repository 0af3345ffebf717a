"""/follow with a label: `/follow URL label "state media"`, `/follow @channel label state media`.

The label is stored as /label stores it, under the name the source's articles carry (a feed's
title, a channel's @name), so /story shows it; the same admin rule as /follow in groups.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.store import story_rows
from bot.store.index import Index
from tests.e2e.test_feeds_bot import FEED, NOW, resolver, text, transport, web
from tests.e2e.test_stories import ITEMS, comparing
from tests.fake_llm import FakeLLM
from tests.fake_web import FakeResolver, FakeWeb, RoutingTransport
from tests.feed_pages import Post, channel_page
from tests.groupkit import group_bot, idle
from tests.harness import GROUP, OTHER_USER, USER, Bot, FakeClock

__all__ = ["resolver", "transport", "web"]  # the feed tests' fixtures, used here by name


def _labels(index: Index, chat_id: int) -> dict[str, str]:
    return story_rows.labels(index.connection, chat_id)


@pytest.fixture
async def feed_bot(
    tg, fake_llm: FakeLLM, make_settings, resolver: FakeResolver, transport: RoutingTransport,
    web: FakeWeb,
) -> AsyncIterator[Bot]:  # fmt: skip
    from bot.sources.article_reader import SourceService

    comparing(fake_llm)
    resolver.set("t.me", ["93.184.216.34"])
    web.add("/s/wiredesk", channel_page("wiredesk", "Wire Desk", [Post(3, "Short.", NOW)]))
    clock = FakeClock(NOW)
    async with group_bot(tg, fake_llm, make_settings, clock=clock,
                         allowed_chat_ids=str(GROUP)) as bot:  # fmt: skip
        sources = SourceService(bot.settings, resolver=resolver, transport=transport, clock=clock)
        bot.services.sources = bot.services.feeds.sources = sources
        yield bot


async def follow(bot: Bot, args: str, chat_id: int = USER, user_id: int = USER) -> str:
    before = len(bot.tg.sent_messages(chat_id))
    bot.tg.command(chat_id, user_id, "follow", args)
    return text((await bot.replies(chat_id, before + 1))[before])


async def test_a_feed_followed_with_a_label_shows_it_in_story(feed_bot: Bot) -> None:
    bot = feed_bot
    said = await follow(bot, f'{FEED} label "state media"')
    assert "Following Korea Watch (2 items now)" in said
    assert said.endswith("\nKorea Watch is labelled “state media” in /story.")
    assert await bot.services.index.run(_labels, USER) == {"korea watch": "state media"}

    await bot.services.feed_poller.tick()  # the feed's wire item on the Zaporizhzhia plant
    origin = bot.tg.origin_channel(-1005550099, "Other Desk", message_id=5,
                                   date=int(NOW.timestamp()))  # fmt: skip
    bot.tg.user_message(USER, USER, ITEMS["e08-afp"].text, forward_origin=origin)
    briefing = (await bot.replies(USER, 2))[1]
    assert "Also covered by 1 other source" in text(briefing)
    await idle(bot)
    bot.tg.command(
        USER, USER, "story", reply_to_message_id=bot.tg.bot_messages(USER)[-1]["message_id"]
    )
    story = text((await bot.replies(USER, 3))[2])
    assert "Story: 2 sources" in story
    assert "Korea Watch (state media)" in story
    assert "Other Desk (" not in story  # the bot labels nothing itself


@pytest.mark.parametrize(
    ("args", "live"),
    [("@wiredesk label state media", False), ("t.me/wiredesk live label “state media”", True)],
)
async def test_a_channel_followed_with_a_label_is_labelled_by_its_name(
    feed_bot: Bot, args: str, live: bool
) -> None:
    said = await follow(feed_bot, args)
    assert "Following Wire Desk" in said
    assert said.endswith("\n@wiredesk is labelled “state media” in /story.")
    [followed] = feed_bot.services.feeds.following(USER)
    assert followed.live is live
    assert await feed_bot.services.index.run(_labels, USER) == {"@wiredesk": "state media"}


@pytest.mark.parametrize("args", [f"{FEED} label", f'{FEED} label ""', f"{FEED} extra label x"])
async def test_follow_with_an_empty_label_or_extra_words_shows_usage(
    feed_bot: Bot, web: FakeWeb, args: str
) -> None:
    assert "Follow a source" in await follow(feed_bot, args)
    assert feed_bot.services.feeds.following(USER) == [] and web.paths() == []


async def test_only_a_groups_admins_follow_with_a_label(feed_bot: Bot) -> None:
    bot = feed_bot
    bot.tg.chat_admins[GROUP] = {USER}
    refused = await follow(bot, f"{FEED} label state media", GROUP, OTHER_USER)
    assert refused == "Only this chat's admins can change that here."
    assert bot.services.feeds.following(GROUP) == []
    assert await bot.services.index.run(_labels, GROUP) == {}
    said = await follow(bot, f"{FEED} label state media", GROUP, USER)
    assert said.endswith("Korea Watch is labelled “state media” in /story.")
    assert await bot.services.index.run(_labels, GROUP) == {"korea watch": "state media"}
