"""SQL-side filtering gives exactly what filtering the chat's whole history in Python gave."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from benchmarks.seed import seed_chat, synthetic_briefing
from bot.actors.identity import Identity, article_actors, identities, lookup
from bot.actors.lookup import (
    actor_by_key_prefix,
    actors_of_article,
    find_in_chat,
    recent_actors,
    stances_for_shifts,
)
from bot.actors.page import Counted
from bot.actors.shifts import find_shifts
from bot.models import ActorKind, CheckedActor, StoredBriefing
from bot.store.index import Index

CHAT, OTHER = 7, -1009
START = datetime(2025, 3, 1, tzinfo=UTC)
SPAN = timedelta(days=60)


def _named(n: int, *actors: tuple[str, list[str]]) -> StoredBriefing:
    """A synthetic briefing whose actors carry these names and aliases."""
    import random

    base = synthetic_briefing(n, random.Random(n), [("X", ActorKind.PERSON, [])], 2)
    stances = base.briefing.actors[0].stances
    named = [
        CheckedActor(name=name, kind=ActorKind.PERSON, aliases=aliases, stances=stances)
        for name, aliases in actors
    ]
    return base.model_copy(update={"briefing": base.briefing.model_copy(update={"actors": named})})


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    db = Index(Path(tmp_path_factory.mktemp("idx")) / "index.sqlite3")
    seed_chat(db, CHAT, briefings=300, start=START, span=SPAN, actors=120)
    # The other chat shares some articles and actors, but has its own history.
    seed_chat(db, OTHER, briefings=150, start=START, span=SPAN, actors=120, seed=2, first=250)
    # "Kim" named alone in one article and as Kim Jong Un's alias in another: one actor.
    specials: list[tuple[int, list[tuple[str, list[str]]]]] = [
        (9001, [("Kim", [])]),
        (9002, [("Kim Jong Un", ["Kim", "the North Korean leader"])]),
        (9003, [("Kim Yo Jong", ["Kim"])]),  # a second claim on "Kim" ...
        (9004, [("Only In Other Chat", ["Elsewhere"])]),
    ]
    for n, actors in specials:
        stored = _named(n, *actors)
        db.index_briefing(stored)
        chat = OTHER if n == 9004 else CHAT
        db.record_chat_article(chat, stored.article.content_hash, message_id=n,
                               received_at=START + timedelta(days=n - 8990, hours=1), title=None,
                               source=None)  # fmt: skip
    yield db
    db.close()


def _summary(found: object) -> object:
    def ident(i: Identity) -> tuple[str, int, frozenset[tuple[str, str, str]]]:
        if isinstance(i, Counted):  # read as plain rows (bot/actors/page.py)
            return i.name, i.articles, frozenset((r[0], r[2], r[5]) for r in i.rows)
        rows = frozenset((r.article.article_hash, r.actor, r.target) for r in i.stances)
        return i.name, i.articles, rows

    match = getattr(found, "match", None)
    return (
        ident(match) if match else None,
        [ident(c) for c in getattr(found, "candidates", [])],
        list(getattr(found, "suggestions", [])),
    )


@pytest.mark.parametrize(
    "query",
    [
        "Kim Jong Un", "kim jong-un", "the north korean leader", "Kim", "Kim Yo Jong",
        "pyongyang", "DPRK", "north korea", "Minister 10", "minister 20", "Actor 5",
        "actr 7 lastname7", "Lastname3", "Only In Other Chat", "Elsewhere", "nobody at all",
    ],
)  # fmt: skip
def test_who_name_finds_what_the_whole_history_scan_found(index: Index, query: str) -> None:
    everything = identities(index.queries.chat_stances(CHAT))
    assert _summary(find_in_chat(index, CHAT, query)) == _summary(lookup(query, everything))


def test_an_actor_of_another_chat_is_never_found(index: Index) -> None:
    found = find_in_chat(index, CHAT, "Only In Other Chat")
    assert found.match is None
    assert find_in_chat(index, OTHER, "Only In Other Chat").match is not None


def test_an_alias_that_is_another_articles_name_merges_them(index: Index) -> None:
    found = find_in_chat(index, CHAT, "Kim Jong Un")
    assert found.match is not None
    assert {"Kim Jong Un"} <= found.match.names


def test_filtered_stances_stay_in_their_chat(index: Index) -> None:
    mine = {a.article_hash for a in index.queries.chat_articles(CHAT, limit=10_000)}
    names = {r.actor for r in index.queries.chat_stances(OTHER)}
    rows = index.queries.chat_stances(CHAT, actors=names)
    assert rows
    assert {r.article.article_hash for r in rows} <= mine


@pytest.mark.parametrize(("since_days", "until_days"), [(0, 60), (10, 20), (59, 61), (30, 30)])
def test_a_time_window_in_sql_matches_filtering_in_python(
    index: Index, since_days: int, until_days: int
) -> None:
    since, until = START + timedelta(days=since_days), START + timedelta(days=until_days)
    expected = [
        r for r in index.queries.chat_stances(CHAT) if since <= r.article.received_at < until
    ]
    names = {r.actor for r in index.queries.chat_stances(CHAT)}
    got = index.queries.chat_stances(CHAT, since=since, until=until, actors=names)
    key = [(r.article.article_hash, r.actor, r.target, r.quote) for r in expected]
    assert [(r.article.article_hash, r.actor, r.target, r.quote) for r in got] == key
    window = index.queries.chat_articles(CHAT, since=since, until=until, limit=10_000)
    assert all(since <= a.received_at < until for a in window)


def test_digest_shifts_from_the_window_actors_match_the_full_scan(index: Index) -> None:
    since, until = START + timedelta(days=40), START + timedelta(days=50)
    everything = [r for r in index.queries.chat_stances(CHAT) if r.article.received_at < until]
    expected = find_shifts(everything, since=since, verified_only=True)
    rows = stances_for_shifts(index, CHAT, since=since, until=until)
    assert len(rows) < len(everything)  # only the window's actors were read
    assert find_shifts(rows, since=since, verified_only=True) == expected


def test_one_articles_actors_and_the_recent_actor_list_match_the_full_scan(index: Index) -> None:
    everything = index.queries.chat_stances(CHAT)
    article = everything[len(everything) // 2].article.article_hash
    assert _names(actors_of_article(index, CHAT, article)) == _names(
        article_actors(everything, article)
    )
    since = START + timedelta(days=45)
    recent = identities([r for r in everything if r.article.received_at >= since])
    assert _names(recent_actors(index, CHAT, since)) == _names(recent)


def _names(actors: list[Identity]) -> list[tuple[str, int]]:
    return [(a.name, a.articles) for a in actors]


def test_an_inline_button_key_finds_its_actor(index: Index) -> None:
    found = find_in_chat(index, CHAT, "North Korea")
    assert found.match is not None
    actor = actor_by_key_prefix(index, CHAT, found.match.key[:10])
    assert actor is not None
    assert actor.name == found.match.name
    assert actor_by_key_prefix(index, CHAT, "no such actor") is None


def test_nested_transactions_commit_once_and_roll_back_together(tmp_path: Path) -> None:
    db = Index(tmp_path / "index.sqlite3")

    def record_then_fail() -> None:
        with db.transaction():  # record_chat_article's own transaction nests in this one
            db.record_chat_article(1, "a" * 64, message_id=1, received_at=START, title=None,
                                   source=None)  # fmt: skip
            raise RuntimeError

    with pytest.raises(RuntimeError):
        record_then_fail()
    assert db.queries.chat_articles(1) == []
    with db.transaction():
        db.record_chat_article(1, "b" * 64, message_id=2, received_at=START, title=None,
                               source=None)  # fmt: skip
        assert db.connection.in_transaction  # the inner block did not commit on its own
    assert [a.article_hash for a in db.queries.chat_articles(1)] == ["b" * 64]
    db.close()


async def test_the_database_thread_sees_what_the_loop_wrote_and_back(tmp_path: Path) -> None:
    db = Index(tmp_path / "index.sqlite3")
    db.record_chat_article(1, "c" * 64, message_id=1, received_at=START, title=None, source=None)

    def where(index: Index) -> tuple[str, int]:
        return threading.current_thread().name, len(index.queries.chat_articles(1))

    thread, seen = await db.run(where)
    assert thread.startswith("index")
    assert seen == 1
    await db.run(Index.record_chat_article, 1, "d" * 64, message_id=2,
                 received_at=START + timedelta(hours=1), title=None, source=None)  # fmt: skip
    assert len(db.queries.chat_articles(1)) == 2
    db.close()
