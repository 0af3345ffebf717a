"""Claims: one process at a time answers a job, for as long as it keeps renewing its lease.

Several processes on one database (docs/jobs.md, "Claims") each answer only the jobs they
claimed. A claim is a lease on the job's row (`claimed_by`, `lease_until`): its holder
renews it while it works, clears it when the job is done or when it stops, and a process
killed with `kill -9` renews nothing, so its jobs pass to whoever claims next once their
leases lapse. PostgreSQL hands the oldest unclaimed jobs to one claimant at a time
(`FOR UPDATE SKIP LOCKED`: two claimants take different rows, neither waits); SQLite's
write lock (BEGIN IMMEDIATE) serialises claimants on one file to the same effect.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from bot.jobs.pending import Job, job_of
from bot.store import dialect
from bot.store.index import Index, iso
from bot.store.leases import Clock, is_dead_here, this_process, utc_now

log = logging.getLogger(__name__)

# Not done, and held by nobody: never claimed, let go of, or its holder's lease lapsed.
_FREE = "done_at IS NULL AND (lease_until IS NULL OR lease_until <= ?)"
_CLAIM = (
    "UPDATE pending_jobs SET claimed_by = ?, lease_until = ? WHERE id = ? AND done_at IS NULL "
    "AND (lease_until IS NULL OR lease_until <= ? OR claimed_by = ?)"
)
_OLDEST = f"SELECT * FROM pending_jobs WHERE {_FREE} ORDER BY id LIMIT ?"  # noqa: S608 - fixed
_CLAIM_ONE = "UPDATE pending_jobs SET claimed_by = ?, lease_until = ? WHERE id = ?"
_LET_GO = "UPDATE pending_jobs SET claimed_by = NULL, lease_until = NULL WHERE done_at IS NULL AND"
_RELEASE = f"{_LET_GO} claimed_by = ? AND id = ?"
# A JSON list of owners, as text: one statement however many.
_RELEASE_OWNERS = f"{_LET_GO} claimed_by {dialect.IN_JSON_LIST}"


def claim(index: Index, job_id: int, owner: str, seconds: float, now: datetime) -> bool:
    """Hold a job for `seconds` unless another live process holds it; tell whether we do."""
    with index.transaction() as db:
        until = iso(now + timedelta(seconds=seconds))
        return db.execute(_CLAIM, (owner, until, job_id, iso(now), owner)).rowcount == 1


def claim_next(
    index: Index, owner: str, limit: int, seconds: float, now: datetime
) -> list[tuple[Job, bool]]:
    """Claim up to `limit` of the oldest jobs nobody holds; each with whether it lapsed.

    A job that lapsed was held by a process that stopped renewing it (killed, or paused
    past its lease): its reply says sorry for the delay.
    """
    if limit <= 0:
        return []
    with index.transaction() as db:
        # Rows another claimant is taking are skipped, not waited for (PostgreSQL only:
        # on SQLite the transaction holds the file's write lock already).
        lock = " FOR UPDATE SKIP LOCKED" if dialect.on_postgresql(db) else ""
        rows = db.execute(_OLDEST + lock, (iso(now), limit)).fetchall()
        if not rows:
            return []
        until = iso(now + timedelta(seconds=seconds))
        db.executemany(_CLAIM_ONE, [(owner, until, row["id"]) for row in rows])
        return [(job_of(row), row["claimed_by"] is not None) for row in rows]


def renew(
    index: Index, owner: str, job_ids: Iterable[int], seconds: float, now: datetime
) -> set[int]:
    """Extend the leases of `job_ids` this process still holds; return those it does."""
    held = set()
    with index.transaction() as db:
        for job_id in job_ids:
            cursor = db.execute(
                "UPDATE pending_jobs SET lease_until = ? "
                "WHERE id = ? AND claimed_by = ? AND done_at IS NULL",
                (iso(now + timedelta(seconds=seconds)), job_id, owner),
            )
            if cursor.rowcount == 1:
                held.add(job_id)
    return held


def release(index: Index, owner: str, job_ids: Iterable[int]) -> None:
    """Let go of `job_ids`, those this process holds (never another's): anyone may claim them."""
    with index.transaction() as db:
        db.executemany(_RELEASE, [(owner, job_id) for job_id in job_ids])


def release_the_dead_here(index: Index, owner: str) -> int:
    """Let go of the claims of this host's processes that are gone; return how many jobs.

    A process restarted after `kill -9` would otherwise wait out its predecessor's leases.
    Only this host's processes can be told dead (their pid runs no more, or runs us); another
    host's leases lapse.
    """
    rows = index.connection.execute(
        "SELECT DISTINCT claimed_by FROM pending_jobs "
        "WHERE done_at IS NULL AND claimed_by IS NOT NULL AND claimed_by <> ?",
        (owner,),
    ).fetchall()
    dead = [row["claimed_by"] for row in rows if is_dead_here(row["claimed_by"], owner)]
    if not dead:
        return 0
    with index.transaction() as db:
        return db.execute(_RELEASE_OWNERS, (json.dumps(dead),)).rowcount


class JobClaims:
    """This process's claims on jobs: taken, renewed and let go of off the event loop.

    `held` is what this process holds and renews; a job done (its claim cleared) drops out
    at the next renewal.
    """

    def __init__(
        self,
        index: Index,
        lease_s: float,
        *,
        owner: str | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self._index = index
        self.lease_s = lease_s
        self.owner = owner or this_process()
        self.clock = clock
        self.held: set[int] = set()

    async def claim(self, job_id: int) -> bool:
        """Hold a job before answering it; False: another live process holds it, or it is done."""
        ok = await self._index.run(claim, job_id, self.owner, self.lease_s, self.clock())
        if ok:
            self.held.add(job_id)
        return ok

    async def claim_next(self, limit: int) -> list[tuple[Job, bool]]:
        """Claim up to `limit` of the oldest jobs nobody holds (with whether each lapsed)."""
        claimed = await self._index.run(claim_next, self.owner, limit, self.lease_s, self.clock())
        self.held.update(job.id for job, _ in claimed)
        return claimed

    async def renew(self) -> set[int]:
        """Renew every lease this process holds; forget the jobs it no longer does."""
        asked = set(self.held)
        if not asked:
            return set()
        kept = await self._index.run(renew, self.owner, asked, self.lease_s, self.clock())
        self.held -= asked - kept  # a job claimed meanwhile stays
        return kept

    async def let_go(self, job_id: int) -> None:
        """Stop holding one job, for the next claimant; if the write fails, its lease lapses."""
        self.held.discard(job_id)  # never renewed again, whatever the release does
        try:
            await self._index.run(release, self.owner, [job_id])
        except Exception:  # the database away past DATABASE_RETRY_S: the lease lapses instead
            log.exception("job %s: could not let go of it; its lease will lapse", job_id)

    async def release_all(self) -> None:
        """Let go of every job this process holds (it is stopping)."""
        if self.held:
            await self._index.run(release, self.owner, sorted(self.held))
            self.held.clear()

    async def release_the_dead_here(self) -> int:
        """Let go of the claims of this host's processes that are gone (at start-up)."""
        return await self._index.run(release_the_dead_here, self.owner)
