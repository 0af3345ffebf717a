"""/who shows each quote as what the article makes of it, in the briefing's words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.actors.identity import Identity, identities
from bot.actors.page import ActorPage
from bot.actors.shifts import Shift
from bot.checks.provenance import Provenance
from bot.render.who_page import render_article_actors, render_page, render_shift
from bot.store.index import ChatArticle, StanceRow

T0 = datetime(2026, 11, 3, 9, tzinfo=UTC)
QUOTE = "We will never give up our nuclear deterrent"


def _row(provenance: Provenance | None, *, verified: bool = False, speaker: str | None = None,
         via: str | None = None) -> StanceRow:  # fmt: skip
    article = ChatArticle("h1", 4, T0, "Title", None, "Kim vows", "k")
    return StanceRow("Kim Jong Un", "person", ("Kim",), "nuclear weapons", "Keeps them", "supports",
                     QUOTE, verified, article, provenance=provenance, speaker=speaker, via=via)  # fmt: skip


def _page(row: StanceRow) -> ActorPage:
    [actor] = identities([row])
    return ActorPage(actor=actor, stances=1, articles=1, newest=[row], shifts=[], shift_count=0)


@pytest.mark.parametrize(
    ("row", "shown", "withheld"),
    [
        (_row(Provenance.DIRECT, verified=True), f"<blockquote>{QUOTE}</blockquote>", None),
        (_row(Provenance.VIA, verified=True, via="KCNA"),
         f"<blockquote>{QUOTE}</blockquote>\n<i>via KCNA</i>", None),
        (_row(Provenance.REPORTED), f"<i>“{QUOTE}”</i> (reported)", None),
        (_row(Provenance.NARRATION), f"📰 reporter's words, not Kim Jong Un's: “{QUOTE}”",
         "<i>📰 reporter's words, not Kim Jong Un's (quote withheld)</i>"),
        (_row(Provenance.MISATTRIBUTED, speaker="Choe Son Hui"),
         f"⚠️ said by Choe Son Hui, not Kim Jong Un: “{QUOTE}”",
         "<i>⚠️ said by Choe Son Hui, not Kim Jong Un (quote withheld)</i>"),
        (_row(Provenance.NOT_FOUND), f"⚠️ not found in the article: “{QUOTE}”",
         "<i>⚠️ not found in the article (quote withheld)</i>"),
        # Recorded before provenance: found in the article, but whose words was never asked,
        # so never a blockquote (the briefing's own wording for such a stance).
        (_row(None, verified=True), f"found in the article (speaker not checked): “{QUOTE}”",
         None),
        (_row(None), f"⚠️ not found in the article: “{QUOTE}”",
         "<i>⚠️ not found in the article (quote withheld)</i>"),
        # A relay's unquoted paraphrase: the actor's position, not the actor's words.
        (_row(Provenance.VIA, verified=False, via="KCNA"),
         f"<i>“{QUOTE}”</i> (reported via KCNA)", None),
    ],
)  # fmt: skip
def test_each_class_is_shown_as_what_it_is(
    row: StanceRow, shown: str, withheld: str | None
) -> None:
    html = render_page(_page(row), chat_id=1)
    assert shown in html
    hidden = render_page(_page(row), chat_id=1, show_unverified=False)
    if withheld is None:  # the actor's words, reported or not: never withheld
        assert shown in hidden
    else:
        assert withheld in hidden
        assert QUOTE not in hidden
    # Only the actor's own words look like a quote: direct, or quoted through a relay.
    own = row.provenance is Provenance.DIRECT or (row.provenance is Provenance.VIA and row.verified)
    assert ("<blockquote>" in html) == own
    # One article's actors (/who as a reply) show the same marks.
    assert shown in render_article_actors(identities([row]))


def test_a_shift_line_names_both_dates() -> None:
    before = ChatArticle("a", 1, T0 + timedelta(days=9), None, None, "x", "k",
                         published_at=T0)  # fmt: skip
    after = ChatArticle("b", 2, T0 + timedelta(days=10), None, None, "y", "k")
    line = render_shift(Shift("Kim Jong Un", "talks", "opposes", "supports", before, after))
    assert "❌ opposes (3 Nov 2026) → ✅ supports (13 Nov 2026)" in line


def test_the_page_dates_a_stance_by_its_publication() -> None:
    published = ChatArticle("h1", 4, T0 + timedelta(days=5), "T", None, "Kim vows", "k",
                            published_at=T0)  # fmt: skip
    stance = StanceRow("Kim", "person", (), "t", "p", "supports", "q", True, published)
    actor: Identity = identities([stance])[0]
    page = ActorPage(actor=actor, stances=1, articles=1, newest=[stance], shifts=[], shift_count=0)
    assert "3 Nov 2026 · " in render_page(page, chat_id=1)
