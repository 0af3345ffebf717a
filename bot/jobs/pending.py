"""Pending work: every accepted article is on disk before any slow work starts.

A job is written when the bot accepts an article and marked done only after its reply was
delivered, so a crash, a kill -9 or a restart never loses one: start-up resumes what is
still pending. A job is unique per (chat, message that asked, kind), so an update Telegram
delivers twice (it does after a crash before the offset was confirmed) is answered once.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Required, TypedDict, Unpack

from bot.models import Source
from bot.store.chat_moves import move_keeping_new
from bot.store.index import Index, iso

KEEP_DONE = timedelta(days=7)  # long enough to recognise a redelivered update


class JobKind(StrEnum):
    """What a job holds: article text, a link or document to fetch, or an overview to write."""

    TEXT = "text"
    LINK = "link"
    DOCUMENT = "document"
    OVERVIEW = "overview"  # the chat's last 24 h, asked for by /brief alone or /digest now


class JobFields(TypedDict, total=False):
    """What a new job is made of (the keywords of `PendingStore.add`)."""

    chat_id: Required[int]
    message_id: Required[int]  # the message the article came from
    reply_to: Required[int]  # the message the reply threads to
    now: Required[datetime]
    thread_id: int | None
    user_id: int | None
    text: str | None
    ref: str | None
    title: str | None
    source: Source | None
    truncated_from: int | None
    silent: bool
    published_at: datetime | None  # the article's publication date, decided on receipt
    published_from: str | None


@dataclass(frozen=True)
class Job:
    """One accepted article waiting for its reply."""

    id: int
    kind: JobKind
    chat_id: int
    message_id: int  # the message the article came from
    reply_to: int  # the message the reply threads to (a /brief command, or the article)
    thread_id: int | None
    user_id: int | None
    text: str | None  # the article text (TEXT jobs)
    ref: str | None  # a URL or a file id (LINK, DOCUMENT); the chat's @username (OVERVIEW)
    title: str | None
    source: Source | None
    created_at: datetime
    attempts: int
    truncated_from: int | None = None
    silent: bool = False  # a channel's own post: briefed and recorded, never answered
    # The article's publication date (TEXT: decided on receipt; LINK, DOCUMENT: a forward's
    # original date, else decided once fetched), kept through a restart.
    published_at: datetime | None = None
    published_from: str | None = None


class PendingStore:
    """Jobs in their own table of the index database; each call is one transaction."""

    def __init__(self, index: Index) -> None:
        self._index = index

    def add(self, kind: JobKind, **fields: Unpack[JobFields]) -> Job | None:
        """Persist a new job; None when this message already has one (pending or done)."""
        return _add(self._index, kind, **fields)

    async def add_off_loop(
        self,
        kind: JobKind,
        also: Callable[[Index], object] | None = None,
        attempted: bool = False,  # positional, so no job field can take its name
        /,
        **fields: Unpack[JobFields],
    ) -> Job | None:
        """Persist a new job (`add`'s keywords) on the database thread, off the event loop.

        `also` writes in the same commit, when the job is new; `attempted` counts its first
        attempt in it too (a job answered at once, in its update).
        """
        return await self._index.run(_add_also, kind, also, attempted, **fields)

    def pending(self) -> list[Job]:
        """Return the jobs not yet done, oldest first."""
        rows = self._index.connection.execute(
            "SELECT * FROM pending_jobs WHERE done_at IS NULL ORDER BY id"
        )
        return [job_of(row) for row in rows]

    def attempt(self, job_id: int) -> None:
        """Count one attempt at a job (a job that keeps failing is given up, see `done`)."""
        _attempt(self._index, job_id)

    async def attempt_off_loop(self, job_id: int) -> None:
        """Count one attempt, on the database thread (the loop never waits for the lock)."""
        await self._index.run(_attempt, job_id)

    def done(self, job_id: int, now: datetime, outcome: str = "replied") -> None:
        """Mark a job done: its reply was delivered (or can never be)."""
        _done(self._index, job_id, now, outcome)

    async def done_off_loop(
        self,
        job_id: int,
        now: datetime,
        outcome: str = "replied",
        *,
        also: Callable[[Index], object] | None = None,
    ) -> None:
        """Mark a job done, on the database thread; `also` writes in the same commit."""
        await self._index.run(_done, job_id, now, outcome, also)

    def is_done(self, job_id: int) -> bool:
        """Tell whether a job is done."""
        return _is_done(self._index, job_id)

    async def is_done_off_loop(self, job_id: int) -> bool:
        """Tell whether a job is done, asking on the database thread."""
        return await self._index.run(_is_done, job_id)

    def prune(self, now: datetime) -> int:
        """Forget done jobs older than KEEP_DONE; return how many."""
        return prune_jobs(self._index, now)

    def migrate(self, old_id: int, new_id: int) -> None:
        """Move a chat's pending jobs to its new id (a group became a supergroup)."""
        _migrate(self._index, old_id, new_id)

    async def migrate_off_loop(self, old_id: int, new_id: int) -> None:
        """Move a chat's pending jobs to its new id, on the database thread."""
        await self._index.run(_migrate, old_id, new_id)


def _add(index: Index, kind: JobKind, **fields: Unpack[JobFields]) -> Job | None:
    """Persist a new job; None when this message already has one (pending or done)."""
    source, published = fields.get("source"), fields.get("published_at")
    with index.transaction() as db:
        # Every NOT NULL column gets a value (JobFields requires them): only the update
        # delivered twice conflicts, and it is the one thing skipped.
        cursor = db.execute(
            "INSERT INTO pending_jobs (kind, chat_id, message_id, reply_to, "
            "thread_id, user_id, text, ref, title, source_label, source_url, created_at, "
            "truncated_from, silent, published_at, published_from) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
            (kind.value, fields["chat_id"], fields["message_id"], fields["reply_to"],
             fields.get("thread_id"), fields.get("user_id"), fields.get("text"),
             fields.get("ref"), fields.get("title"), source.label if source else None,
             source.url if source else None, iso(fields["now"]), fields.get("truncated_from"),
             int(fields.get("silent", False)), iso(published) if published else None,
             fields.get("published_from") if published else None),
        )  # fmt: skip
        if cursor.rowcount == 0:
            return None
        # Read back by its unique key: RETURNING would cost SQLite an ephemeral table per job.
        row = db.execute(
            "SELECT * FROM pending_jobs WHERE chat_id = ? AND reply_to = ? AND kind = ?",
            (fields["chat_id"], fields["reply_to"], kind.value),
        )
        return job_of(row.fetchone())


def _add_also(
    index: Index,
    /,
    kind: JobKind,
    also: Callable[[Index], object] | None,
    attempted: bool,
    **fields: Unpack[JobFields],
) -> Job | None:
    with index.transaction():  # one commit for the job, its first attempt and `also`
        job = _add(index, kind, **fields)
        if job is not None and attempted:
            _attempt(index, job.id)
            job = dataclasses.replace(job, attempts=job.attempts + 1)
        if job is not None and also is not None:
            also(index)
    return job


def _migrate(index: Index, old_id: int, new_id: int) -> None:
    with index.transaction() as db:
        # A message with a job under both ids keeps the new id's; the old one stays put.
        move_keeping_new(db, "pending_jobs", ("reply_to", "kind"), old_id, new_id)


def prune_jobs(index: Index, now: datetime) -> int:
    """Forget done jobs older than KEEP_DONE; return how many (for Index.run)."""
    with index.transaction() as db:
        cursor = db.execute(
            "DELETE FROM pending_jobs WHERE done_at IS NOT NULL AND done_at < ?",
            (iso(now - KEEP_DONE),),
        )
        return cursor.rowcount


def _is_done(index: Index, job_id: int) -> bool:
    row = index.connection.execute(
        "SELECT done_at FROM pending_jobs WHERE id = ?", (job_id,)
    ).fetchone()
    return row is not None and row["done_at"] is not None


def _attempt(index: Index, job_id: int) -> None:
    with index.transaction() as db:
        db.execute("UPDATE pending_jobs SET attempts = attempts + 1 WHERE id = ?", (job_id,))


def _done(
    index: Index,
    job_id: int,
    now: datetime,
    outcome: str,
    also: Callable[[Index], object] | None = None,
) -> None:
    with index.transaction() as db:
        db.execute(
            # Its claim goes with it: nobody needs to hold a job that is over.
            "UPDATE pending_jobs SET done_at = ?, outcome = ?, text = NULL, "
            "claimed_by = NULL, lease_until = NULL WHERE id = ?",
            (iso(now), outcome, job_id),
        )
        if also is not None:
            also(index)


def job_of(row: sqlite3.Row) -> Job:
    """Read a job from its row of pending_jobs."""
    label, published = row["source_label"], row["published_at"]
    return Job(
        id=row["id"],
        kind=JobKind(row["kind"]),
        chat_id=row["chat_id"],
        message_id=row["message_id"],
        reply_to=row["reply_to"],
        thread_id=row["thread_id"],
        user_id=row["user_id"],
        text=row["text"],
        ref=row["ref"],
        title=row["title"],
        source=Source(label=label, url=row["source_url"]) if label is not None else None,
        created_at=datetime.fromisoformat(row["created_at"]),
        attempts=row["attempts"],
        truncated_from=row["truncated_from"],
        silent=bool(row["silent"]),
        published_at=datetime.fromisoformat(published) if published else None,
        published_from=row["published_from"] if published else None,
    )
