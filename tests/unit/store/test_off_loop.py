"""Writes moved off the event loop keep their behaviour; start-up settling of the heap."""

from __future__ import annotations

import gc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.jobs.pending import JobFields, JobKind, PendingStore
from bot.models import Usage
from bot.ops.stats import LLM, Events
from bot.runtime.gc_freeze import settled_after
from bot.store.chat_language import ChatLanguages
from bot.store.index import Index

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
FIELDS: JobFields = {"chat_id": 5, "message_id": 7, "reply_to": 7, "now": NOW, "text": "an article"}


async def test_a_job_written_on_the_database_thread_is_what_the_loop_reads(
    tmp_path: Path,
) -> None:
    index = Index(tmp_path / "index.sqlite3")
    store = PendingStore(index)
    job = await store.add_off_loop(JobKind.TEXT, **FIELDS)
    assert job is not None
    assert job.text == "an article"
    assert await store.add_off_loop(JobKind.TEXT, **FIELDS) is None  # delivered twice: one job
    await store.attempt_off_loop(job.id)
    assert [j.attempts for j in store.pending()] == [1]
    await store.done_off_loop(job.id, NOW)
    assert store.is_done(job.id)
    assert store.pending() == []
    index.close()


async def test_a_new_job_and_its_chat_record_are_one_commit(tmp_path: Path) -> None:
    index = Index(tmp_path / "index.sqlite3")
    store = PendingStore(index)
    recorded: list[int] = []

    def record(db: Index) -> None:
        assert db.connection.in_transaction  # inside the job's own transaction
        recorded.append(1)

    assert await store.add_off_loop(JobKind.TEXT, record, **FIELDS) is not None
    assert await store.add_off_loop(JobKind.TEXT, record, **FIELDS) is None
    assert recorded == [1]  # a redelivered update records nothing twice

    def broken(_db: Index) -> None:
        raise RuntimeError

    other: JobFields = {**FIELDS, "message_id": 8, "reply_to": 8}
    with pytest.raises(RuntimeError):
        await store.add_off_loop(JobKind.TEXT, broken, **other)
    assert [j.message_id for j in store.pending()] == [7]  # rolled back together
    index.close()


async def test_events_recorded_on_the_database_thread_are_counted(tmp_path: Path) -> None:
    index = Index(tmp_path / "index.sqlite3")
    events = Events(index)
    await events.record_off_loop("briefed", chat_id=5, user_id=9)
    await events.record_llm_off_loop("briefing", "m", Usage(prompt_tokens=3), 9, 5, 12)
    rows = index.connection.execute("SELECT kind, chat_id, user_id FROM events ORDER BY kind")
    assert [tuple(r) for r in rows] == [("briefed", 5, 9), (LLM, 5, 9)]
    index.close()


def test_a_chats_language_is_read_once_and_every_change_is_seen(tmp_path: Path) -> None:
    index = Index(tmp_path / "index.sqlite3")
    briefing_side, operator_side = ChatLanguages(index, None), ChatLanguages(index, "English")
    assert briefing_side.chosen(5) is None
    operator_side.set(5, "german")  # /lang in the chat, through another instance
    assert briefing_side.effective(5) == "de"
    operator_side.migrate_chat(5, -1005)  # the group became a supergroup
    assert briefing_side.chosen(5) is None
    assert briefing_side.effective(-1005) == "de"
    assert ChatLanguages(Index(tmp_path / "other.sqlite3"), None).chosen(-1005) is None
    index.close()


async def test_start_up_runs_the_hook_then_the_warm_up_then_freezes_the_heap() -> None:
    order: list[str] = []

    async def start(_app: object) -> None:
        order.append("post_init")

    async def warm() -> None:
        order.append(f"warm, frozen {gc.get_freeze_count()}")

    gc.unfreeze()
    try:
        await settled_after(start, warm)(object())
        assert order == ["post_init", "warm, frozen 0"]
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # the test process starts many bots: keep them collectable


async def test_a_job_answered_in_its_update_has_its_attempt_counted_as_it_is_added(
    tmp_path: Path,
) -> None:
    index = Index(tmp_path / "index.sqlite3")
    store = PendingStore(index)
    job = await store.add_off_loop(JobKind.TEXT, None, True, **FIELDS)
    assert job is not None
    assert job.attempts == 1
    assert [j.attempts for j in store.pending()] == [1]  # as add, then attempt
    index.close()
