"""StoryService over a real index: stories per chat, kept across restarts, sources counted."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.evaluation.story_corpus import load_story_corpus
from bot.models import Article, Source
from bot.store import story_rows
from bot.store.index import Index
from bot.stories.features import FEATURES_VERSION, ArticleFeatures
from bot.stories.grouping import ChatStories
from bot.stories.service import StoryService

ITEMS = {i.id: i for i in load_story_corpus()}
NOW = ITEMS["e04-reuters"].published + timedelta(hours=2)
CHAT, OTHER = 11, 22


def article(item_id: str, label: str | None = None) -> Article:
    item = ITEMS[item_id]
    source = Source(label=label or item.source)
    return Article(text=item.text, content_hash=item.id, title=item.title,
                   published_at=item.published, source=source)  # fmt: skip


def service(path: Path) -> tuple[StoryService, Index]:
    index = Index(path / "index.sqlite3")
    return StoryService(index, window_hours=72, clock=lambda: NOW), index


def test_sources_are_counted_and_copies_recorded(tmp_path: Path) -> None:
    stories, index = service(tmp_path)
    first = stories.place_now(index, CHAT, article("e04-reuters"))
    assert first.other_sources == 0
    stories.place_now(index, CHAT, article("e04-ap"))
    copy = stories.place_now(index, CHAT, article("e04-ap-copy"))
    assert copy.copy_of == "e04-ap"
    last = stories.place_now(index, CHAT, article("e04-bloomberg"))
    assert last.story_id == first.story_id
    assert last.other_sources == 3  # Reuters, AP, ABC News (the copy) besides Bloomberg
    index.close()


def test_stories_survive_a_restart_and_the_window_is_rebuilt(tmp_path: Path) -> None:
    stories, index = service(tmp_path)
    first = stories.place_now(index, CHAT, article("e04-reuters"))
    stories.place_now(index, CHAT, article("e09-reuters"))
    index.close()
    again, index = service(tmp_path)  # a new process: nothing in memory
    later = again.place_now(index, CHAT, article("e04-ap"))
    assert later.story_id == first.story_id
    assert later.other_sources == 1
    assert len(again.book(index, CHAT).members) == 3
    index.close()


def test_chats_never_share_stories(tmp_path: Path) -> None:
    stories, index = service(tmp_path)
    stories.place_now(index, CHAT, article("e04-reuters"))
    alone = stories.place_now(index, OTHER, article("e04-ap"))
    assert alone.other_sources == 0
    assert [
        m.article_hash for m in story_rows.members(index.connection, OTHER, alone.story_id)
    ] == ["e04-ap"]
    index.close()


@pytest.mark.sqlite_only("a file from before Alembic, which only SQLite deployments have")
def test_an_existing_database_gets_the_story_tables(tmp_path: Path) -> None:
    index = Index(tmp_path / "index.sqlite3")
    index.connection.executescript(
        "DROP TABLE story_features; DROP TABLE chat_story_articles; DROP TABLE story_views;"
        "DROP TABLE alembic_version;"  # as a file from before Alembic
    )
    index.close()
    stories, index = service(tmp_path)  # opened again: the tables are made in place
    assert stories.place_now(index, CHAT, article("e04-reuters")).other_sources == 0
    index.close()


def test_a_chat_moving_to_a_new_id_keeps_its_stories(tmp_path: Path) -> None:
    stories, index = service(tmp_path)
    placed = stories.place_now(index, CHAT, article("e04-reuters"))
    index.migrate_chat(CHAT, OTHER)
    moved = story_rows.members(index.connection, OTHER, placed.story_id)
    assert [m.article_hash for m in moved] == ["e04-reuters"]
    assert story_rows.members(index.connection, CHAT, placed.story_id) == []
    index.close()


def test_a_copy_arriving_after_a_restart_is_found_as_a_copy(tmp_path: Path) -> None:
    stories, index = service(tmp_path)
    original = stories.place_now(index, CHAT, article("e04-ap"))
    index.close()
    again, index = service(tmp_path)  # the window is rebuilt with its near-duplicate index
    copy = again.place_now(index, CHAT, article("e04-ap-copy"))
    assert copy.copy_of == "e04-ap"
    assert copy.story_id == original.story_id
    index.close()


def test_features_stored_as_json_by_an_earlier_version_are_read(tmp_path: Path) -> None:
    stories, index = service(tmp_path)
    first = stories.place_now(index, CHAT, article("e04-reuters"))
    published = ITEMS["e04-reuters"].published
    found = ArticleFeatures.decode("e04-reuters", published, _stored(index, "e04-reuters"))
    assert found is not None
    legacy = json.dumps(
        {"v": FEATURES_VERSION, "f": sorted(found.features), "s": list(found.signature)}
    )
    with index.transaction() as db:
        story_rows.save_features(db, "e04-reuters", legacy)
    index.close()
    again, index = service(tmp_path)
    assert again.book(index, CHAT).members["e04-reuters"].features == found
    assert again.place_now(index, CHAT, article("e04-ap")).story_id == first.story_id
    index.close()


def test_features_of_another_version_leave_the_article_out_of_the_window(tmp_path: Path) -> None:
    stories, index = service(tmp_path)
    stories.place_now(index, CHAT, article("e04-reuters"))
    stale = _stored(index, "e04-reuters").replace(str(FEATURES_VERSION), "1", 1)
    with index.transaction() as db:
        story_rows.save_features(db, "e04-reuters", stale)
    index.close()
    again, index = service(tmp_path)
    assert again.book(index, CHAT).members == {}
    index.close()


@pytest.mark.sqlite_only("SQLite's query plan")
def test_a_story_is_read_through_its_index_not_the_chat_s_timeline(tmp_path: Path) -> None:
    index = Index(tmp_path / "index.sqlite3")
    plan = index.connection.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM chat_story_articles INDEXED BY chat_story_articles_story"
        " WHERE chat_id = 1 AND story_id = 's' ORDER BY published_at, article_hash"
    ).fetchall()
    assert any("chat_story_articles_story" in row[3] for row in plan)
    index.close()


def _stored(index: Index, article_hash: str) -> str:
    row = index.connection.execute(
        "SELECT features FROM story_features WHERE article_hash = ?", (article_hash,)
    ).fetchone()
    return str(row[0])


async def test_the_window_is_rebuilt_on_the_database_thread_not_the_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stories, index = service(tmp_path)
    first = stories.place_now(index, CHAT, article("e04-reuters"))
    stories.forget_books()  # as after a restart
    threads: list[threading.Thread] = []
    restore = ChatStories.restore

    def watched(book: ChatStories, *args: Any) -> None:
        threads.append(threading.current_thread())
        restore(book, *args)

    monkeypatch.setattr(ChatStories, "restore", watched)
    placed = await stories.place(CHAT, article("e04-ap"))
    assert placed.story_id == first.story_id
    assert threads
    assert threading.main_thread() not in threads  # the loop's thread never rebuilds
    index.close()
