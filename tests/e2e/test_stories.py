"""Stories end to end: forwards from three channels about one event, one about another."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.evaluation.story_corpus import load_story_corpus
from tests.briefings import newsroom
from tests.fake_llm import FakeLLM, Reply, Request
from tests.fake_telegram import parse_html
from tests.harness import USER, Bot

ITEMS = {i.id: i for i in load_story_corpus()}
FED = [("e04-reuters", "Wire One"), ("e04-ap", "Wire Two"), ("e04-bloomberg", "Wire Three")]
MEASLES = ("e41-ap", "Health Desk")
_ENTRY = re.compile(r"^\[(S\d+)\] [^\n]*\n[^\n]*\n([^\n]*)$", re.MULTILINE)


def story_reply(request: Request) -> Reply:
    """Compare as a model would: one framing per source quoting its own lead, plus one fake."""
    entries = _ENTRY.findall(request.user)
    framings = [
        {"source": sid, "framing": f"{sid} leads with the decision.",
         "quote": re.split(r"(?<=[.!?]) ", body)[0].split(" - ", 1)[-1][:120]}
        for sid, body in entries
    ]  # fmt: skip
    # A line whose quote is another source's words: the check must drop it.
    framings.append({"source": entries[1][0], "framing": "Borrowed words.",
                     "quote": framings[0]["quote"]})  # fmt: skip
    return Reply(
        content={
            "agreed": ["The Fed held rates steady on Wednesday."],
            "differences": [{"source": entries[0][0], "claim": "A 10-2 vote."}],
            "framings": framings,
        }
    )


def comparing(fake_llm: FakeLLM) -> None:
    """Let the bot's model also answer the story comparison."""
    answer = newsroom()

    def respond(request: Request) -> Reply:
        fmt: dict[str, Any] = request.body.get("response_format") or {}
        if fmt.get("json_schema", {}).get("name") == "StoryDraft":
            return story_reply(request)
        return answer(request)

    fake_llm.responder = respond


@pytest.fixture
def stories_llm(fake_llm: FakeLLM, bot: Bot) -> FakeLLM:
    """The bot's model, also answering the story comparison (set after the bot's own)."""
    comparing(fake_llm)
    return fake_llm


async def forward(bot: Bot, item: str, channel: str, n: int) -> dict[str, Any]:
    before = len(bot.tg.sent_messages(USER))
    origin = bot.tg.origin_channel(-100500 - n, channel, message_id=n)
    bot.tg.user_message(USER, USER, ITEMS[item].text, forward_origin=origin)
    reply = (await bot.replies(USER, before + 1))[before]
    return reply | {"message_id": bot.tg.bot_messages(USER)[-1]["message_id"]}


async def command(bot: Bot, name: str, args: str = "", **kw: Any) -> str:
    before = len(bot.tg.sent_messages(USER))
    bot.tg.command(USER, USER, name, args=args, **kw)
    return str((await bot.replies(USER, before + 1))[before]["text"])


async def test_three_sources_make_one_story_and_another_event_its_own(
    stories_llm: FakeLLM, bot: Bot
) -> None:
    replies = [await forward(bot, item, channel, n) for n, (item, channel) in enumerate(FED)]
    other = await forward(bot, *MEASLES, 9)
    assert "Also covered" not in replies[0]["text"]
    assert "Also covered by 2 other sources" in replies[2]["text"]
    button = replies[2]["reply_markup"]["inline_keyboard"][0][0]
    assert button["text"] == "Also covered by 2 other sources"
    assert "Also covered" not in other["text"]

    digest = await command(bot, "digest", "now")
    digest_asks = [r for r in stories_llm.requests if "DigestDraft" in str(r.body)]
    assert len(re.findall(r"^\[A\d+\]", digest_asks[-1].user, re.MULTILINE)) == 2  # two stories
    text = parse_html(digest)[0]
    assert text.count("3 sources") == 1
    assert "Wire Two" in text and "Wire Three" in text

    story = await command(bot, "story", reply_to_message_id=replies[1]["message_id"])
    text = parse_html(story)[0]
    assert "Story: 3 sources" in text
    frames = text.split("How each source frames it", 1)[1]
    for _item, channel in FED:
        assert frames.count(channel) == 1  # one line per source; the borrowed one dropped
    assert "Borrowed words" not in text
    assert "1 framing line left out: its quote was not found" in text
    assert "Only one source says" in text

    calls = stories_llm.calls
    await command(bot, "story", reply_to_message_id=replies[0]["message_id"])
    assert stories_llm.calls == calls  # cached: same briefings, no second call

    before = len(bot.tg.sent_messages(USER))
    bot.tg.callback_query(USER, USER, replies[2]["message_id"], "story")
    pressed = parse_html(str((await bot.replies(USER, before + 1))[before]["text"]))[0]
    assert "Story: 3 sources" in pressed
    assert stories_llm.calls == calls

    single = parse_html(await command(bot, "story", reply_to_message_id=other["message_id"]))[0]
    assert "Only one source so far" in single
    assert "Story: 1 source" in single


async def test_story_needs_a_reply(bot: Bot) -> None:
    assert "Reply to a briefing" in parse_html(await command(bot, "story"))[0]
