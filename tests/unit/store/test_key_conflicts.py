"""What each write does when its row's key is taken: the row after a second write, and a move.

SQLite's OR REPLACE and OR IGNORE said it in one word; the portable statements spell it out
(ON CONFLICT ... DO UPDATE listing every column, NOT EXISTS, DELETE then UPDATE). These
tests hold the rows to what the one-word forms did, column by column, including the columns
a statement does not name and the rows another chat id already has.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from benchmarks.seed import synthetic_briefing
from bot.feeds.follows_store import FeedStore
from bot.feeds.seen import SeenItems
from bot.jobs import degraded
from bot.jobs.pending import JobKind, PendingStore
from bot.models import ActorKind, Source
from bot.store import search_docs, search_pages, story_rows
from bot.store.chat_language import ChatLanguages
from bot.store.chat_queries import iso
from bot.store.chat_settings import ChatSettings
from bot.store.chat_zones import ChatZones
from bot.store.index import Index
from bot.store.story_rows import StoryArticle
from bot.store.subscriptions import SubscriptionStore

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)
OLD, NEW = -4001, -1004001  # a group, and the supergroup it became


@pytest.fixture
def index(tmp_path: Path) -> Iterator[Index]:
    made = Index(tmp_path / "data" / "index.sqlite3")
    yield made
    made.close()


def rows(index: Index, table: str, chat_id: int | None = None) -> list[tuple[object, ...]]:
    """Every row of the table (of one chat), every column, in a fixed order."""
    where = "" if chat_id is None else f" WHERE chat_id = {int(chat_id)}"
    found = index.connection.execute(f"SELECT * FROM {table}{where}").fetchall()  # noqa: S608
    return sorted((tuple(r) for r in found), key=repr)


# -- A second write of the same key: the row is the second write's, whole ---------------------


def test_resubscribing_a_paused_digest_resumes_it(index: Index) -> None:
    """subscribe names every column but `paused`: writing it again sets `paused` back to 0."""
    store = SubscriptionStore(index)
    store.subscribe(1, time(7, 30), "Europe/Paris", NOW, thread_id=5, subscriber_id=42)
    assert store.mark_sent(1, NOW.date(), NOW)
    assert store.set_paused(1, paused=True)
    again = store.subscribe(1, time(8, 0), "Asia/Tokyo", NOW + timedelta(hours=1))
    assert again.paused is False
    assert store.get(1) == again
    assert rows(index, "digest_subscriptions") == [
        (1, "08:00:00", "Asia/Tokyo", iso(NOW + timedelta(hours=1)), "2026-12-07",
         iso(NOW), 1, None, None, 0),
    ]  # fmt: skip


def test_resubscribing_a_disabled_digest_enables_it_and_keeps_its_last_date(index: Index) -> None:
    store = SubscriptionStore(index)
    store.subscribe(1, time(7, 30), "UTC", NOW)
    assert store.mark_sent(1, NOW.date(), NOW)
    assert store.unsubscribe(1)
    store.subscribe(1, time(7, 30), "UTC", NOW + timedelta(days=1), thread_id=9)
    assert rows(index, "digest_subscriptions") == [
        (1, "07:30:00", "UTC", iso(NOW + timedelta(days=1)), "2026-12-07",
         iso(NOW), 1, 9, None, 0),
    ]  # fmt: skip


def _briefing_twice(index: Index) -> tuple[object, ...]:
    first = synthetic_briefing(1, random.Random(1), [("Kim", ActorKind.PERSON, ["K"])], 2)
    index.index_briefing(first)
    remade = first.model_copy(update={
        "key": "remade", "created_at": NOW,
        "briefing": first.briefing.model_copy(update={"headline": "Remade"}),
    })  # fmt: skip
    index.index_briefing(remade)
    return (first.article.content_hash, "remade", "Remade", NOW.isoformat())  # the file's own


def _degraded_twice(index: Index) -> tuple[object, ...]:
    degraded.record_reply(index, 1, "h1", [10, 11])
    degraded.record_reply(index, 1, "h1", [12])
    return (1, "h1", "12")


def _bot_messages_twice(index: Index) -> tuple[object, ...]:
    index.record_bot_messages(1, [10], "h1")
    index.record_bot_messages(1, [10], "h2")
    assert index.article_for_message(1, 10) == "h2"
    return (1, 10, "h2")


def _zone_twice(index: Index) -> tuple[object, ...]:
    zones = ChatZones(index, SubscriptionStore(index))
    zones.set(1, ZoneInfo("Europe/Paris"))
    zones.set(1, ZoneInfo("Asia/Tokyo"))
    return (1, "Asia/Tokyo")


def _language_twice(index: Index) -> tuple[object, ...]:
    languages = ChatLanguages(index, None)
    languages.set(1, "fr")
    languages.set(1, "de")
    return (1, "de")


def _features_twice(index: Index) -> tuple[object, ...]:
    with index.transaction() as db:
        story_rows.save_features(db, "h1", "v1")
        story_rows.save_features(db, "h1", "v2")
    return ("h1", "v2")


def _placed_twice(index: Index) -> tuple[object, ...]:
    with index.transaction() as db:
        story_rows.place(db, 1, StoryArticle("h1", "s1", "h0", NOW, "Agency"))
        story_rows.place(db, 1, StoryArticle("h1", "s2", None, NOW + timedelta(hours=1), None))
    return (1, "h1", "s2", None, iso(NOW + timedelta(hours=1)), None)


def _view_twice(index: Index) -> tuple[object, ...]:
    with index.transaction() as db:
        story_rows.keep_view(db, 1, "s1", "k1", "{}")
        story_rows.keep_view(db, 1, "s1", "k2", '{"a": 1}')
    return (1, "s1", "k2", '{"a": 1}')


def _label_twice(index: Index) -> tuple[object, ...]:
    with index.transaction() as db:
        story_rows.set_label(db, 1, "@wire", "Wire")
        story_rows.set_label(db, 1, "@wire", "The Wire")
    return (1, "@wire", "The Wire")


def _marks_twice(index: Index) -> tuple[object, ...]:
    with index.transaction() as db:
        story_rows.mark_digested(db, 1, {"s1": ["A"]})
        story_rows.mark_digested(db, 1, {"s1": ["A", "B"]})
    return (1, "s1", '["A", "B"]')


SECOND_WRITES: dict[str, tuple[str, Callable[[Index], tuple[object, ...]]]] = {
    "briefings": ("briefings", _briefing_twice),
    "degraded replies": ("degraded_replies", _degraded_twice),
    "bot messages": ("bot_messages", _bot_messages_twice),
    "zones": ("chat_zones", _zone_twice),
    "languages": ("chat_languages", _language_twice),
    "story features": ("story_features", _features_twice),
    "stories": ("chat_story_articles", _placed_twice),
    "story views": ("story_views", _view_twice),
    "source labels": ("source_labels", _label_twice),
    "digest marks": ("story_digest_marks", _marks_twice),
}


@pytest.mark.parametrize("name", SECOND_WRITES)
def test_a_second_write_of_a_key_leaves_exactly_the_second_row(index: Index, name: str) -> None:
    table, write_twice = SECOND_WRITES[name]
    expected = write_twice(index)
    assert rows(index, table) == [expected]


def test_a_second_delivery_of_an_item_to_a_chat_is_refused_and_the_first_stays(
    index: Index,
) -> None:
    # A claim, not an overwrite: two processes that both found the item new send it once.
    seen = SeenItems(index)
    assert seen.deliver(1, 7, "briefed", NOW)
    assert not seen.deliver(1, 7, "skipped", NOW + timedelta(minutes=1))
    assert seen.deliver(2, 7, "cached", NOW)  # another chat's claim is its own
    assert rows(index, "feed_deliveries") == [
        (1, 7, "briefed", iso(NOW)),
        (2, 7, "cached", iso(NOW)),
    ]


def test_a_second_sending_redoes_the_chats_search_row(index: Index) -> None:
    """search_chat_docs: the chat's earliest date and every sending's source, after each one."""
    stored = synthetic_briefing(1, random.Random(1), [("Kim", ActorKind.PERSON, [])], 1)
    index.index_briefing(stored)
    h = stored.article.content_hash
    doc = index.connection.execute("SELECT id FROM search_docs").fetchone()[0]
    index.record_chat_article(1, h, message_id=5, received_at=NOW, title=None,
                              source=Source(label="Wire", url="https://wire.example/a"))  # fmt: skip
    first = "\x1fwire\x1ehttps://wire.example/a\x1f"
    assert rows(index, "search_chat_docs") == [(1, doc, iso(NOW), first)]
    earlier = NOW - timedelta(days=3)
    index.record_chat_article(1, h, message_id=6, received_at=NOW + timedelta(hours=1),
                              title=None, source=Source(label="Post", url=None),
                              published_at=earlier, published_from="forward")  # fmt: skip
    [(chat, doc_id, dated, sources)] = rows(index, "search_chat_docs")
    assert (chat, doc_id, dated) == (1, doc, iso(earlier))
    second = "\x1fpost\x1e\x1f"
    assert sources in {first + second, second + first}  # GROUP_CONCAT's order: the scan's


# -- A job, a search page and a search row: the new row's id -----------------------------------


def test_a_new_job_is_returned_whole_and_a_second_one_for_the_message_is_refused(
    index: Index,
) -> None:
    pending = PendingStore(index)
    job = pending.add(JobKind.TEXT, chat_id=1, message_id=5, reply_to=5, now=NOW, text="t")
    assert job is not None
    assert (job.id, job.chat_id, job.reply_to, job.attempts, job.text) == (1, 1, 5, 0, "t")
    assert pending.add(JobKind.TEXT, chat_id=1, message_id=5, reply_to=5, now=NOW) is None
    other = pending.add(JobKind.LINK, chat_id=1, message_id=5, reply_to=5, now=NOW, ref="u")
    assert other is not None
    assert other.id == 3  # the refused job used up id 2 (as a PostgreSQL sequence does too)
    assert pending.pending() == [job, other]


def test_search_pages_are_numbered_in_order_and_the_oldest_forgotten(index: Index) -> None:
    with index.transaction() as db:
        numbers = [search_pages.remember(db, 1, f"q{n}", NOW) for n in range(3)]
        assert numbers == [1, 2, 3]
        assert search_pages.recall(db, 1, 2) == "q1"


def test_an_indexed_article_gets_the_next_id_in_both_tables(index: Index) -> None:
    made = [
        synthetic_briefing(n, random.Random(n), [("Kim", ActorKind.PERSON, [])], 1) for n in (1, 2)
    ]
    for stored in made:
        index.index_briefing(stored)
    index.index_briefing(made[0].model_copy(update={"key": "remade"}))  # keeps its id
    with index.transaction() as db:
        search_docs.replace(db, search_docs.Document("h3", "T", "B", [], "en"), None)
    db = index.connection
    docs = db.execute("SELECT id, article_hash FROM search_docs ORDER BY id").fetchall()
    assert [tuple(r) for r in docs] == [
        (1, made[0].article.content_hash), (2, made[1].article.content_hash), (3, "h3"),
    ]  # fmt: skip
    assert [r[0] for r in db.execute("SELECT rowid FROM search_fts ORDER BY rowid")] == [1, 2, 3]


# -- A chat moving to its new id while the new id already has rows -----------------------------


def _settings(index: Index) -> None:
    settings = ChatSettings(index)
    settings.set_auto_forwards(OLD, enabled=True, set_by=7)
    settings.set_digest_pictures(NEW, enabled=True)
    settings.migrate(OLD, NEW)


def _zones(index: Index) -> None:
    zones = ChatZones(index, SubscriptionStore(index))
    zones.set(OLD, ZoneInfo("Europe/Paris"))
    zones.set(NEW, ZoneInfo("Asia/Tokyo"))
    zones.migrate(OLD, NEW)


def _languages(index: Index) -> None:
    languages = ChatLanguages(index, None)
    languages.set(OLD, "fr")
    languages.set(NEW, "de")
    languages.migrate_chat(OLD, NEW)


def _subscriptions(index: Index) -> None:
    store = SubscriptionStore(index)
    store.subscribe(OLD, time(7, 0), "UTC", NOW)
    store.subscribe(NEW, time(9, 0), "Asia/Tokyo", NOW + timedelta(hours=1))
    assert store.set_paused(NEW, paused=True)
    store.migrate(OLD, NEW)


def _follows(index: Index) -> None:
    feeds = FeedStore(index)
    feeds.follow(OLD, "https://a.example/feed", "rss", "A", live=True, now=NOW)
    feeds.follow(OLD, "https://b.example/feed", "rss", "B", live=False, now=NOW, thread_id=3)
    feeds.follow(NEW, "https://b.example/feed", "rss", "B", live=True, now=NOW + timedelta(1))
    feeds.follow(NEW, "https://c.example/feed", "rss", "C", live=True, now=NOW + timedelta(1))
    feeds.migrate_chat(OLD, NEW)


def _deliveries(index: Index) -> None:
    seen = SeenItems(index)
    seen.deliver(OLD, 1, "sent", NOW)
    seen.deliver(OLD, 2, "failed", NOW)
    seen.deliver(NEW, 2, "sent", NOW + timedelta(hours=1))
    seen.deliver(NEW, 3, "sent", NOW + timedelta(hours=1))
    seen.migrate_chat(OLD, NEW)


# Sources by URL, not id: PostgreSQL's sequence spends an id on an insert that finds the
# source there already, SQLite does not, and which ids the sources got is not the point.
FOLLOWS_BY_URL = """(SELECT f.chat_id, s.url, f.live, f.followed_at, f.thread_id, f.follower_id
    FROM feed_follows f JOIN feed_sources s ON s.id = f.source_id) AS follows"""


# The old id's rows as they were, each moved to the new id: where both ids had a row of the
# same key, the old id's replaces the new id's (UPDATE OR REPLACE); the new id's other rows stay.
REPLACING_MOVES: dict[str, tuple[str, Callable[[Index], None], list[tuple[object, ...]]]] = {
    "settings": ("chat_settings", _settings, [(NEW, 1, 7, 0)]),
    "zones": ("chat_zones", _zones, [(NEW, "Europe/Paris")]),
    "languages": ("chat_languages", _languages, [(NEW, "fr")]),
    "subscriptions": (
        "digest_subscriptions", _subscriptions,
        [(NEW, "07:00:00", "UTC", iso(NOW), None, None, 1, None, None, 0)],
    ),
    "follows": (
        FOLLOWS_BY_URL, _follows,
        [(NEW, "https://a.example/feed", 1, iso(NOW), None, None),
         (NEW, "https://b.example/feed", 0, iso(NOW), 3, None),
         (NEW, "https://c.example/feed", 1, iso(NOW + timedelta(1)), None, None)],
    ),
    "deliveries": (
        "feed_deliveries", _deliveries,
        [(NEW, 1, "sent", iso(NOW)), (NEW, 2, "failed", iso(NOW)),
         (NEW, 3, "sent", iso(NOW + timedelta(hours=1)))],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", REPLACING_MOVES)
def test_a_moved_chats_rows_replace_those_the_new_id_had(index: Index, name: str) -> None:
    table, move, expected = REPLACING_MOVES[name]
    move(index)
    assert rows(index, table, OLD) == []
    assert rows(index, table, NEW) == sorted(expected, key=repr)


def test_moving_a_chat_to_its_own_id_changes_nothing(index: Index) -> None:
    _follows(index)
    _deliveries(index)
    _subscriptions(index)
    before = {
        t: rows(index, t) for t in ("feed_follows", "feed_deliveries", "digest_subscriptions")
    }
    FeedStore(index).migrate_chat(NEW, NEW)
    SeenItems(index).migrate_chat(NEW, NEW)
    SubscriptionStore(index).migrate(NEW, NEW)
    ChatSettings(index).migrate(NEW, NEW)
    assert {t: rows(index, t) for t in before} == before


def test_a_moved_chats_clashing_jobs_stay_under_the_old_id(index: Index) -> None:
    """pending_jobs: the new id keeps its job for a message; the old id's stays where it was."""
    pending = PendingStore(index)
    clash_old = pending.add(JobKind.TEXT, chat_id=OLD, message_id=5, reply_to=5, now=NOW)
    moving = pending.add(JobKind.TEXT, chat_id=OLD, message_id=6, reply_to=6, now=NOW)
    clash_new = pending.add(JobKind.TEXT, chat_id=NEW, message_id=5, reply_to=5, now=NOW)
    assert clash_old is not None
    assert moving is not None
    assert clash_new is not None
    pending.migrate(OLD, NEW)
    where = {j.id: j.chat_id for j in pending.pending()}
    assert where == {clash_old.id: OLD, moving.id: NEW, clash_new.id: NEW}


def test_a_moved_chats_clashing_search_rows_give_way_to_the_new_ids(index: Index) -> None:
    with index.transaction() as db:
        db.executemany(
            "INSERT INTO search_chat_docs VALUES (?, ?, ?, ?)",
            [(OLD, 1, "2026-01-01", "old"), (OLD, 2, "2026-01-02", "old"),
             (NEW, 2, "2026-02-02", "new"), (NEW, 3, "2026-02-03", "new")],
        )  # fmt: skip
        search_pages.remember(db, OLD, "kim", NOW)
        search_docs.chat_moved(db, OLD, NEW)
    assert rows(index, "search_chat_docs") == [
        (NEW, 1, "2026-01-01", "old"), (NEW, 2, "2026-02-02", "new"), (NEW, 3, "2026-02-03", "new"),
    ]  # fmt: skip
    assert rows(index, "search_pages") == [(1, NEW, "kim", iso(NOW))]


def test_a_moved_chats_names_join_the_new_ids_directory(index: Index) -> None:
    with index.transaction() as db:
        db.executemany(
            "INSERT INTO chat_actor_forms VALUES (?, ?, ?, ?)",
            [(OLD, "Kim", "person", ""), (OLD, "Moon", "person", "M"),
             (NEW, "Kim", "person", ""), (NEW, "Lee", "person", "")],
        )  # fmt: skip
    index.migrate_chat(OLD, NEW)
    assert rows(index, "chat_actor_forms") == sorted(
        [(NEW, "Kim", "person", ""), (NEW, "Lee", "person", ""), (NEW, "Moon", "person", "M")],
        key=repr,
    )


def test_a_moved_chats_clashing_story_rows_give_way_to_the_new_ids(index: Index) -> None:
    with index.transaction() as db:
        story_rows.place(db, OLD, StoryArticle("h1", "s-old", None, NOW, None))
        story_rows.place(db, OLD, StoryArticle("h2", "s-old", None, NOW, None))
        story_rows.place(db, NEW, StoryArticle("h2", "s-new", None, NOW, "Wire"))
        story_rows.keep_view(db, OLD, "s1", "k-old", "{}")
        story_rows.keep_view(db, NEW, "s1", "k-new", "{}")
        story_rows.set_label(db, OLD, "@a", "A old")
        story_rows.set_label(db, OLD, "@b", "B old")
        story_rows.set_label(db, NEW, "@a", "A new")
        story_rows.mark_digested(db, OLD, {"s1": ["old"], "s2": ["old"]})
        story_rows.mark_digested(db, NEW, {"s1": ["new"]})
        story_rows.chat_moved(db, OLD, NEW)
    at = iso(NOW)
    assert rows(index, "chat_story_articles") == [
        (NEW, "h1", "s-old", None, at, None), (NEW, "h2", "s-new", None, at, "Wire"),
    ]  # fmt: skip
    assert rows(index, "story_views") == [(NEW, "s1", "k-new", "{}")]
    assert rows(index, "source_labels") == [(NEW, "@a", "A new"), (NEW, "@b", "B old")]
    assert rows(index, "story_digest_marks") == [(NEW, "s1", '["new"]'), (NEW, "s2", '["old"]')]
