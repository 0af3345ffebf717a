"""Actors named without a stance: stored with their briefing, found by /who, kept per chat."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.actors.lookup import find_page, page_by_key_prefix, recent_actors
from bot.actors.page import Counted
from bot.render.who_page import render_actor_list, render_page
from bot.store.index import Index
from bot.store.mentions import mention_rows
from tests.briefings import actor, briefing, newsroom, stance
from tests.e2e.test_who import ask, send_articles
from tests.fake_telegram import parse_html
from tests.harness import OTHER_USER, USER, Bot
from tests.who_kit import T0, brief_and_send, person, said, stored

CHAT, OTHER = 7, 8


@pytest.fixture
def index(tmp_path: Path) -> Iterator[Index]:
    opened = Index(tmp_path / "index.sqlite3")
    yield opened
    opened.close()


def _mentioned(index: Index, chat_id: int, *names: str) -> list[tuple[str, str]]:
    return [(r[0], r[2]) for r in mention_rows(index.connection, chat_id, actors=set(names))]


def test_a_briefing_records_its_actors_without_stances(index: Index) -> None:
    made = stored("a1", person("Kim Jong Un", said("We will win")), person("Vladimir Putin"))
    brief_and_send(index, CHAT, made, day=0)
    assert _mentioned(index, CHAT, "Vladimir Putin") == [("a1", "Vladimir Putin")]
    assert _mentioned(index, CHAT, "Kim Jong Un") == []  # it took a stance: not a mention
    assert {f.actor for f in index.queries.chat_actor_forms(CHAT)} == {
        "Kim Jong Un",
        "Vladimir Putin",
    }


def test_a_remade_briefing_replaces_its_mentions(index: Index) -> None:
    brief_and_send(index, CHAT, stored("a1", person("Vladimir Putin")), day=0)
    index.index_briefing(stored("a1", person("Sergei Shoigu"), key="remade"))
    assert _mentioned(index, CHAT, "Vladimir Putin", "Sergei Shoigu") == [("a1", "Sergei Shoigu")]
    # The directory only grows; an old name finds nothing any more.
    assert find_page(index, CHAT, "Putin")[1] is None


def test_a_chat_that_sends_an_article_briefed_earlier_learns_its_mentions(index: Index) -> None:
    index.index_briefing(stored("a1", person("Vladimir Putin")))
    assert _mentioned(index, CHAT, "Vladimir Putin") == []  # not sent by the chat yet
    brief_and_send(index, CHAT, stored("a1", person("Vladimir Putin")), day=1)
    assert _mentioned(index, CHAT, "Vladimir Putin") == [("a1", "Vladimir Putin")]
    assert "Vladimir Putin" in {f.actor for f in index.queries.chat_actor_forms(CHAT)}


def test_who_answers_a_mentioned_only_actor_with_its_articles(index: Index) -> None:
    for day in range(3):
        made = stored(f"a{day}", person("Kim Jong Un", said(f"Quote {day}")),
                      person("Vladimir Putin", aliases=("Putin",)))  # fmt: skip
        brief_and_send(index, CHAT, made, day=day)
    found, page = find_page(index, CHAT, "putin")
    assert found.match is not None and page is not None
    assert (page.stances, page.mentioned) == (0, 3)
    assert [a.article_hash for a in page.mentions] == ["a2", "a1", "a0"]  # newest first
    text = render_page(page, chat_id=CHAT)
    assert text.startswith("<b>Vladimir Putin</b>")
    assert "Mentioned in 3 articles, with no stance taken there." in text
    assert '3 Mar 2025 · <a href="https://t.me/wire/3">Headline of a2</a> — @wire' in text
    assert "blockquote" not in text


def test_an_actor_with_stances_counts_its_other_mentions(index: Index) -> None:
    brief_and_send(index, CHAT, stored("a0", person("Vladimir Putin", said("No"))), day=0)
    brief_and_send(index, CHAT, stored("a1", person("Vladimir Putin")), day=1)
    brief_and_send(index, CHAT, stored("a2", person("Vladimir Putin")), day=2)
    # Named twice in one article, with and without a stance: that one is no mention.
    both = stored("a3", person("Vladimir Putin", said("Yes")), person("Putin"))
    brief_and_send(index, CHAT, both, day=3)
    _found, page = find_page(index, CHAT, "Vladimir Putin")
    assert page is not None and (page.stances, page.articles, page.mentioned) == (2, 2, 2)
    text = render_page(page, chat_id=CHAT)
    assert "2 stances in 2 articles\nAlso mentioned without a stance in 2 articles" in text


def test_the_actor_list_puts_mentioned_actors_after_those_with_stances(index: Index) -> None:
    brief_and_send(index, CHAT, stored("a0", person("Kim Jong Un", said("x")),
                                       person("Vladimir Putin")), day=0)  # fmt: skip
    brief_and_send(index, CHAT, stored("a1", person("Vladimir Putin"), person("Xi Jinping")), day=1)
    actors = recent_actors(index, CHAT, T0 - timedelta(days=1))
    assert [a.name for a in actors] == ["Kim Jong Un", "Vladimir Putin", "Xi Jinping"]
    assert isinstance(actors[1], Counted) and actors[1].mentioned == 2
    text = render_actor_list(actors, days=30)
    assert "Kim Jong Un <i>(person)</i> — 1 article" in text
    assert "Vladimir Putin <i>(person)</i> — mentioned in 2 articles, no stance" in text


def test_an_inline_button_finds_a_mentioned_only_actor(index: Index) -> None:
    brief_and_send(index, CHAT, stored("a0", person("Vladimir Putin")), day=0)
    page = page_by_key_prefix(index, CHAT, "vladimir")
    assert page is not None and page.actor.name == "Vladimir Putin" and page.mentioned == 1


def test_mentions_stay_in_the_chat_that_sent_the_article(index: Index) -> None:
    brief_and_send(index, CHAT, stored("a0", person("Vladimir Putin")), day=0)
    brief_and_send(index, OTHER, stored("b0", person("Xi Jinping")), day=0)
    assert _mentioned(index, OTHER, "Vladimir Putin") == []
    assert find_page(index, OTHER, "Vladimir Putin")[1] is None
    assert [a.name for a in recent_actors(index, OTHER, T0 - timedelta(days=1))] == ["Xi Jinping"]
    index.migrate_chat(CHAT, 99)  # a group become a supergroup takes its mentions along
    assert find_page(index, CHAT, "Vladimir Putin")[1] is None
    page = find_page(index, 99, "Vladimir Putin")[1]
    assert page is not None and page.mentioned == 1


# End to end: the model names Putin, who says nothing in the story.
SHOIGU = (
    "Kim Jong Un met Russian Security Council Secretary Sergei Shoigu in Pyongyang on "
    "Wednesday, state media said. Shoigu conveyed greetings from President Vladimir Putin. "
    "Kim said North Korea would always stand with Russia. The two men discussed the "
    "partnership between their countries, the report said, without giving details. " * 2
)
SHOIGU_BRIEFING = briefing(
    actor("Kim Jong Un", "person", ["Kim"],
          stance("Russia", "Stands with Russia", "supports", "always stand with Russia")),
    actor("Vladimir Putin", "person", ["Putin"]),
    headline="Kim meets Shoigu in Pyongyang",
)  # fmt: skip


async def test_who_putin_answers_with_the_article_and_no_stance(bot: Bot) -> None:
    bot.llm.responder = newsroom({"Shoigu conveyed": SHOIGU_BRIEFING})
    [original] = await send_articles(bot, USER, SHOIGU)
    html = await ask(bot, USER, "putin")
    text = parse_html(html)[0]
    assert text.startswith("Vladimir Putin")
    assert "no stance" in text
    assert "Kim meets Shoigu in Pyongyang" in text
    assert '<a href="https://t.me/kw/' in html
    assert "Vladimir Putin (person) — mentioned in 1 article" in parse_html(await ask(bot, USER))[0]
    # /who in reply to the article: its actors, then those it names without a stance.
    text = parse_html(await ask(bot, USER, reply_to_message_id=original))[0]
    assert text.startswith("Kim Jong Un")
    assert text.endswith("Also mentioned: Vladimir Putin")
    # Another chat never sent the article: Putin is unknown there.
    assert "haven't seen" in await ask(bot, OTHER_USER, "putin")
