"""Rendering within Telegram's formatting limits, and a fake that enforces them like Telegram:
100 entities a message, no forbidden nestings, UTF-16 entity offsets, missing topics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from telegram import Bot as PTBBot
from telegram import Message
from telegram.error import BadRequest

from bot.actors.identity import Identity
from bot.actors.page import MAX_SHIFTS
from bot.actors.shifts import Shift
from bot.render.split import MAX_ENTITIES, split_html
from bot.render.who_page import render_actor
from bot.store.index import ChatArticle, StanceRow
from bot.telegram.incoming import links_in
from tests.fake_telegram import MAX_ENTITIES as FAKE_MAX
from tests.fake_telegram import FakeTelegram, parse_html, utf16_entity
from tests.harness import USER

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def article(i: int) -> ChatArticle:
    return ChatArticle(f"h{i}", i, T0 + timedelta(days=i), None, None, f"Story {i}", None)


def row(i: int, polarity: str) -> StanceRow:
    return StanceRow("Kim Jong Un", "person", ("Kim",), f"target {i % 7}", f"position {i}",
                     polarity, f"quote number {i}", verified=True, article=article(i))  # fmt: skip


def test_split_html_keeps_every_chunk_within_100_entities() -> None:
    html = "\n".join(f"<b>name {i}</b> on <i>topic {i}</i>" for i in range(400))
    chunks = split_html(html)
    counts = [len(parse_html(c)[1]) for c in chunks]
    assert sum(counts) == 800
    assert max(counts) <= MAX_ENTITIES == FAKE_MAX
    assert "".join(parse_html(c)[0] for c in chunks).replace("\n", "") == parse_html(html)[
        0
    ].replace("\n", "")


def test_split_html_counts_reopened_tags_as_entities() -> None:
    html = "<blockquote>" + "".join(f"<b>{i}</b>\n" for i in range(250)) + "</blockquote>"
    for chunk in split_html(html):
        assert len(parse_html(chunk)[1]) <= MAX_ENTITIES


def test_a_long_shifts_block_is_bounded_and_every_part_renders() -> None:
    rows = [row(i, "supports" if i % 2 else "opposes") for i in range(120)]
    actor = Identity("kim jong un", "Kim Jong Un", "person", {"Kim Jong Un"}, {"Kim"}, rows)
    shifts = [Shift("Kim Jong Un", f"target {i}", "opposes", "supports", article(i),
                    article(i + 1)) for i in range(60)]  # fmt: skip
    html = render_actor(actor, shifts, chat_id=-1001, username="desk")
    assert html.count("🔄") == MAX_SHIFTS
    assert f"… and {60 - MAX_SHIFTS} more shifts." in parse_html(html)[0]
    for chunk in split_html(html):
        assert len(parse_html(chunk)[1]) <= MAX_ENTITIES


@pytest.mark.parametrize(
    "html",
    [
        "<i><code>x</code></i>",
        "<b>a <code>x</code></b>",
        "<code><b>x</b></code>",
        "<pre><b>x</b></pre>",
        "<blockquote>a <blockquote>b</blockquote></blockquote>",
        '<a href="https://a.org">a <a href="https://b.org">b</a></a>',
        '<a href="https://a.org"><code>x</code></a>',
    ],
)
def test_the_fake_refuses_nestings_telegram_refuses(html: str) -> None:
    with pytest.raises(Exception, match="can't parse entities"):
        parse_html(html)


@pytest.mark.parametrize(
    "html",
    [
        '<pre><code class="language-python">x</code></pre>',
        '<b><i>x</i> <a href="https://a.org">y</a></b>',
        '<i><a href="https://a.org">source</a></i>',
        "<blockquote><b>x</b> <i>y</i></blockquote>",
        '<span class="tg-spoiler"><b>x</b></span>',
    ],
)
def test_the_fake_accepts_nestings_telegram_accepts(html: str) -> None:
    assert parse_html(html)[1]


async def test_the_fake_keeps_formatting_for_100_entities_like_telegram(
    tg: FakeTelegram,
) -> None:
    tg.add_chat(1, -1001)
    async with PTBBot(tg.token, base_url=tg.base_url) as bot:
        await bot.send_message(1, " ".join(f"<b>{i}</b>" for i in range(130)), parse_mode="HTML")
        with pytest.raises(BadRequest, match=r"[Tt]hread not found"):
            await bot.send_message(-1001, "hi", message_thread_id=77)
    [sent] = tg.bot_messages(1)
    assert len(sent["entities"]) == FAKE_MAX
    assert tg.entities_dropped == 30


@pytest.mark.parametrize(
    ("text", "entity", "url"),
    [
        ("🔥🔥 https://example.org/a", ("url", "https://example.org/a", {}),
         "https://example.org/a"),
        ("📰 Read this", ("text_link", "this", {"url": "https://example.org/b"}),
         "https://example.org/b"),
    ],
)  # fmt: skip
def test_links_after_emoji_are_found_at_their_utf16_offsets(
    tg: FakeTelegram, text: str, entity: tuple[str, str, dict[str, str]], url: str
) -> None:
    kind, part, extra = entity
    made = utf16_entity(kind, text, part, **extra)
    assert made["offset"] > text.index(part)  # an emoji outside the BMP counts twice
    pushed = tg.user_message(USER, USER, text, entities=[made])
    message = Message.de_json(pushed["message"], None)
    assert message is not None
    [(found, value)] = message.parse_entities().items()
    assert value == part and found.type == kind
    assert links_in(message) == [url]
