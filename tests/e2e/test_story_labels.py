"""/label end to end: the chat's own labels on its sources, shown by /story at once.

A label is the chat's, not the model's: it shows in /story as soon as it is given or taken
back, even when the story's view was made (and cached) before, and it never costs an LLM call.
"""

from __future__ import annotations

from typing import Any

from bot.store import story_rows
from bot.store.index import Index
from tests.e2e.test_stories import FED, command, forward, stories_llm
from tests.fake_llm import FakeLLM
from tests.fake_telegram import parse_html
from tests.groupkit import group_bot, idle
from tests.harness import GROUP, OTHER_USER, USER, Bot

__all__ = ["stories_llm"]  # the fixture, used here by name

LABELLED = "Wire One (state media)"


def _labels(index: Index, chat_id: int) -> dict[str, str]:
    return story_rows.labels(index.connection, chat_id)


async def forwarded(bot: Bot) -> list[dict[str, Any]]:
    replies = [await forward(bot, item, channel, n) for n, (item, channel) in enumerate(FED)]
    # A briefing is tied to its article just after it is sent: /story waits for that here.
    await idle(bot)
    return replies


async def story_of(bot: Bot, reply: dict[str, Any]) -> str:
    return parse_html(await command(bot, "story", reply_to_message_id=reply["message_id"]))[0]


async def test_a_label_given_after_the_view_was_cached_shows_without_another_call(
    stories_llm: FakeLLM, bot: Bot
) -> None:
    replies = await forwarded(bot)
    first = await story_of(bot, replies[1])
    assert "Wire One" in first and "state media" not in first
    calls = stories_llm.calls

    said = parse_html(await command(bot, "label", '"Wire One" state media'))[0]
    assert said == "Wire One is labelled “state media” in /story."
    labelled = await story_of(bot, replies[1])
    assert labelled.count(LABELLED) >= 2  # in Sources and in its framing line
    assert "Wire Two (" not in labelled  # only the source the chat labelled
    assert stories_llm.calls == calls  # the same briefings: the cached comparison, relabelled

    said = parse_html(await command(bot, "label", '"Wire One"'))[0]
    assert said == "Wire One has no label now."
    assert "state media" not in await story_of(bot, replies[1])
    assert stories_llm.calls == calls


async def test_a_label_given_before_the_first_view_shows_in_it(
    stories_llm: FakeLLM, bot: Bot
) -> None:
    replies = await forwarded(bot)
    await command(bot, "label", '"wire two" wire service')  # any case: the name is folded
    shown = await story_of(bot, replies[0])
    assert "Wire Two (wire service)" in shown
    assert "Wire One (" not in shown


async def test_label_alone_explains_itself(bot: Bot) -> None:
    said = parse_html(await command(bot, "label"))[0]
    assert said.startswith("Usage: /label @channel state media")


async def test_only_a_groups_admins_label_its_sources(tg, fake_llm, make_settings) -> None:
    async with group_bot(tg, fake_llm, make_settings, allowed_chat_ids=str(GROUP)) as bot:
        tg.chat_admins[GROUP] = {USER}
        tg.command(GROUP, OTHER_USER, "label", "@deskchannel state media")
        [refused] = await bot.replies(GROUP, 1)
        assert refused["text"] == "Only this chat's admins can change that here."
        assert await bot.services.index.run(_labels, GROUP) == {}
        tg.command(GROUP, USER, "label", "@deskchannel state media")
        [_, done] = await bot.replies(GROUP, 2)
        assert "labelled “state media”" in done["text"]
        assert await bot.services.index.run(_labels, GROUP) == {"@deskchannel": "state media"}
