"""Cheaper hot paths give exactly what the slow paths gave."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.actors.identity import identities
from bot.actors.shifts import actor_shifts
from bot.llm.client import json_schema, schema_text
from bot.models import BriefingDraft
from bot.render.split import split_atoms, split_html
from bot.render.who_page import render_actor
from bot.store.index import ChatArticle, StanceRow

FITTING = [
    "<b>Headline</b>\nplain text",
    "  leading and trailing spaces  ",
    "<b> bold with inner spaces </b>\n\n",
    "\n<i>\n</i>\n",  # nothing visible
    "",
    "a &amp; b &lt;tag&gt; &#128512; &#x1F600; &nbsp;",
    "&#32;entity space first and last&#32;",
    "<blockquote expandable>quote “curly” — 🇰🇷</blockquote>",
    '<a href="https://t.me/x/1">link</a> <code>x &lt; y</code>',
    "unclosed <b>bold",
    "stray < sign and & sign",
    '<pre><code class="language-python">x = 1\n</code></pre>',
    "😀" * 2048,  # exactly 4096 UTF-16 units
]


@pytest.mark.parametrize("html", FITTING)
def test_the_one_message_fast_path_matches_the_full_split(html: str) -> None:
    assert split_html(html) == split_atoms(html)


@pytest.mark.parametrize(
    "html",
    ["😀" * 2049, "x" * 4097, "<b>" + "y " * 3000 + "</b>", "<b>x</b> " * 150],  # 150 entities
)
def test_text_over_the_limit_still_takes_the_full_split(html: str) -> None:
    chunks = split_html(html)
    assert len(chunks) == 2
    assert chunks == split_atoms(html)


def test_the_json_schema_is_built_once_per_model_class() -> None:
    assert json_schema(BriefingDraft) is json_schema(BriefingDraft)
    assert json_schema(BriefingDraft) == BriefingDraft.model_json_schema()
    assert '"headline"' in schema_text(BriefingDraft)


def test_an_actor_with_many_shifts_shows_only_the_newest() -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    articles = [
        ChatArticle(f"h{n}", n, start + timedelta(days=n), f"Story {n}", None, f"Story {n}", None)
        for n in range(60)
    ]
    rows = [
        StanceRow("Kim", "person", (), "sanctions", "p", "supports" if n % 2 else "opposes",
                  "q", True, a)
        for n, a in enumerate(articles)
    ]  # fmt: skip
    [actor] = identities(rows)
    shifts = actor_shifts(actor)
    assert len(shifts) == 59
    html = render_actor(actor, shifts, chat_id=-100)
    assert "… and 49 more shifts." in html
    assert html.count("🔄") == 10
