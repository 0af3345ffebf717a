"""/who reading stances as plain rows (the shown ones in full): the same pages as before."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from benchmarks.seed import seed_chat
from bot.actors.identity import PAGE_STANCES, Identity, Lookup, fold, identities, lookup
from bot.actors.lookup import (
    _WIDE,
    _directories,
    chat_directory,
    find_page,
    page_by_key_prefix,
    recent_actors,
)
from bot.actors.page import ActorPage
from bot.actors.shifts import actor_shifts
from bot.models import CheckedActor, Polarity, StoredBriefing
from bot.render.who_page import render_actor, render_actor_list, render_page
from bot.store.index import Index
from bot.telegram.context import Ctx
from bot.telegram.who import warm_directories

T0 = datetime(2025, 1, 1, tzinfo=UTC)
CHAT, OTHER = 5, 6
QUERIES = [
    "Kim Jong Un", "kim", "the north korean leader", "pyongyang", "DPRK", "North Korea",
    "Actor 7 Lastname7", "Minister 40", "actor 150", "Lastname33", "Actr 25 Lastname25",
    "nobody we know", "Actor 199 Lastname5", "Minister 190", "actor 3", "Lastname1", "Kim Jong",
    "Nort Korae", "Acter 17", "Lastnam", "Pyongang",
]  # fmt: skip


# The reads as they were before stances were read light: every stance of the wanted actors
# in full (kept verbatim as the reference).
def _names(actors: Iterable[Identity]) -> set[str]:
    return {name for actor in actors for name in actor.names}


def reference_find(index: Index, chat_id: int, query: str) -> Lookup:
    light, choices = chat_directory(index, chat_id)
    found = lookup(query, light, candidates=_WIDE, suggestions=_WIDE, choices=choices)
    wanted = [found.match] if found.match else found.candidates
    if not wanted:
        hinted = set(found.suggestions)
        wanted = [i for i in light if i.name in hinted]
    if not wanted:
        return found
    return lookup(query, identities(index.queries.chat_stances(chat_id, actors=_names(wanted))))


def reference_by_key_prefix(index: Index, chat_id: int, prefix: str) -> Identity | None:
    light, _choices = chat_directory(index, chat_id)
    wanted = [i for i in light if any(fold(n).startswith(prefix) for n in i.names)]
    if not wanted:
        return None
    rows = index.queries.chat_stances(chat_id, actors=_names(wanted))
    return next((a for a in identities(rows) if a.key.startswith(prefix)), None)


def reference_recent(index: Index, chat_id: int, since: datetime) -> list[Identity]:
    return identities(index.queries.chat_stances(chat_id, since=since))


def _remade(stored: StoredBriefing) -> StoredBriefing:
    """Return the briefing made again: other polarities, and its first actor named "Kim"."""
    actors = [
        CheckedActor(
            name="Kim" if i == 0 else a.name, kind=a.kind, aliases=a.aliases,
            stances=[s.model_copy(update={"polarity": Polarity.OPPOSES}) for s in a.stances],
        )
        for i, a in enumerate(stored.briefing.actors)
    ]  # fmt: skip
    briefing = stored.briefing.model_copy(update={"actors": actors})
    return stored.model_copy(update={"key": stored.key + "-again", "briefing": briefing})


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    """Seed a chat with a re-sent article, a re-made briefing and a second chat sharing some."""
    index = Index(tmp_path_factory.mktemp("who") / "index.sqlite3")
    made = seed_chat(index, CHAT, briefings=1500, start=T0, span=timedelta(days=300), actors=200)
    seed_chat(index, OTHER, briefings=60, start=T0, span=timedelta(days=3), seed=2, first=5000)
    late = T0 + timedelta(days=310)
    for n, stored in enumerate(made[::40]):
        # An older article sent again (its latest sending dates it) ...
        index.record_chat_article(CHAT, stored.article.content_hash, message_id=90_000 + n,
                                  received_at=late + timedelta(minutes=n), title=f"again {n}",
                                  source=None)  # fmt: skip
        # ... and the other chat sending it too, later still: that sending is not this chat's.
        index.record_chat_article(OTHER, stored.article.content_hash, message_id=80_000 + n,
                                  received_at=late + timedelta(days=5, minutes=n), title="there",
                                  source=None)  # fmt: skip
    for stored in made[5::97]:
        index.index_briefing(_remade(stored))
    yield index
    index.close()


def _page(actor: Identity, *, show: bool) -> str:
    return render_actor(actor, actor_shifts(actor), chat_id=CHAT, username="chan",
                        show_unverified=show)  # fmt: skip


def _new_page(page: ActorPage, *, show: bool) -> str:
    return render_page(page, chat_id=CHAT, username="chan", show_unverified=show)


def _summary(actors: Iterable[Identity]) -> list[tuple[object, ...]]:
    return [(a.key, a.name, a.kind, a.names, a.aliases, a.stance_count, a.articles) for a in actors]


@pytest.mark.parametrize("query", QUERIES)
def test_a_page_read_as_rows_is_the_page_read_in_full(index: Index, query: str) -> None:
    for chat in (CHAT, OTHER):
        (found, page), before = find_page(index, chat, query), reference_find(index, chat, query)
        assert _summary(found.candidates) == _summary(before.candidates)
        assert found.suggestions == before.suggestions
        assert (page is None) == (found.match is None) == (before.match is None)
        if page is None or before.match is None:
            continue
        assert _summary([page.actor]) == _summary([before.match])
        assert (page.stances, page.articles) == (len(before.match.stances), before.match.articles)
        # The shown stances are the full rows, articles and all.
        # Newest published first; the same date: by article hash, then as briefed (SQL's order).
        newest = sorted(before.match.stances, key=lambda r: r.article.article_hash)
        newest.sort(key=lambda r: r.article.dated, reverse=True)
        assert page.newest == newest[: len(page.newest)]
        assert len(page.newest) == min(PAGE_STANCES, len(newest))
        for show in (True, False):
            assert _new_page(page, show=show) == _page(before.match, show=show)


def test_the_queries_cover_matches_candidates_shifts_and_re_sent_articles(index: Index) -> None:
    found = [find_page(index, CHAT, q) for q in QUERIES]
    pages = [p for _f, p in found if p is not None]
    assert len(pages) >= 10
    assert any(f.candidates for f, _p in found) and any(f.suggestions for f, _p in found)
    assert any(p.stances > len(p.newest) for p in pages)
    assert any(p.shift_count > len(p.shifts) > 0 for p in pages)
    shown = [r for p in pages for r in p.newest]
    assert any(r.article.title and r.article.title.startswith("again") for r in shown)
    # Sent again, undated, an article keeps the date its first sending gave it.
    again = [r.article for r in shown if r.article.title and r.article.title.startswith("again")]
    assert any(a.dated < a.received_at - timedelta(days=5) for a in again)
    # Shown by publication date, which is not the order of arrival.
    days = [r.article.dated for r in pages[0].newest]
    assert days == sorted(days, reverse=True)
    arrivals = [r.article.received_at for p in pages for r in p.newest]
    assert any(a < b for a, b in pairwise(arrivals))


@pytest.mark.parametrize("prefix", ["kim jong un", "north korea", "actor 7 ", "actor 1", "zz"])
def test_a_button_finds_the_same_actor(index: Index, prefix: str) -> None:
    page = page_by_key_prefix(index, CHAT, prefix)
    before = reference_by_key_prefix(index, CHAT, prefix)
    assert (page is None) == (before is None) == (prefix == "zz")
    if page is not None and before is not None:
        assert _summary([page.actor]) == _summary([before])
        assert _new_page(page, show=True) == _page(before, show=True)


@pytest.mark.parametrize("days", [1, 30, 200, 400])
def test_the_actor_list_read_light_is_the_same(index: Index, days: int) -> None:
    for chat in (CHAT, OTHER):
        since = T0 + timedelta(days=316) - timedelta(days=days)
        actors, before = recent_actors(index, chat, since), reference_recent(index, chat, since)
        assert _summary(actors) == _summary(before)
        assert render_actor_list(actors, days=days) == render_actor_list(before, days=days)


async def test_start_up_builds_the_directories_of_the_chats_active_lately(tmp_path: Path) -> None:
    index = Index(tmp_path / "index.sqlite3")
    try:
        seed_chat(index, CHAT, briefings=30, start=T0, span=timedelta(days=3), actors=20)
        seed_chat(index, OTHER, briefings=5, start=T0, span=timedelta(days=1), seed=2, first=900)
        context = SimpleNamespace(bot_data=SimpleNamespace(services=SimpleNamespace(index=index)))
        await warm_directories(cast("Ctx", context))
        for chat in (CHAT, OTHER):
            built = _directories[index.path, chat]
            assert built[1]  # the chat's actors
            assert chat_directory(index, chat)[0] is built[1]  # kept, not built again
    finally:
        index.close()
