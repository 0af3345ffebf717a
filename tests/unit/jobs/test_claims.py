"""Job claims on both engines: one process answers a job, a lapsed claim passes on."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bot.jobs import claims
from bot.jobs.pending import Job, JobKind, PendingStore
from bot.store.index import Index
from tests.blobs_kit import a_clock
from tests.harness import FakeClock

LEASE = 60.0


@pytest.fixture
def clock() -> FakeClock:
    return a_clock()


def _jobs(index: Index, clock: FakeClock, count: int) -> list[Job]:
    store = PendingStore(index)
    made = [
        store.add(JobKind.TEXT, chat_id=1, message_id=n, reply_to=n, now=clock(), text="t")
        for n in range(1, count + 1)
    ]
    return [job for job in made if job is not None]


def test_a_job_claimed_by_one_live_process_is_refused_to_another(
    engine_index: Index, clock: FakeClock
) -> None:
    [job] = _jobs(engine_index, clock, 1)
    assert claims.claim(engine_index, job.id, "a", LEASE, clock())
    assert not claims.claim(engine_index, job.id, "b", LEASE, clock())
    assert claims.claim(engine_index, job.id, "a", LEASE, clock())  # its holder: renewed
    assert claims.claim_next(engine_index, "b", 10, LEASE, clock()) == []


def test_a_lapsed_claim_passes_to_the_next_claimant_marked_lapsed(
    engine_index: Index, clock: FakeClock
) -> None:
    [job] = _jobs(engine_index, clock, 1)
    assert claims.claim(engine_index, job.id, "dead", 30, clock())
    clock.advance(seconds=29)
    assert claims.claim_next(engine_index, "b", 10, LEASE, clock()) == []
    clock.advance(seconds=1)  # exactly at its end: lapsed
    [(taken, lapsed)] = claims.claim_next(engine_index, "b", 10, LEASE, clock())
    assert (taken.id, lapsed) == (job.id, True)
    assert not claims.claim(engine_index, job.id, "dead", 30, clock())  # it learns it lost it
    assert claims.renew(engine_index, "dead", [job.id], 30, clock()) == set()


def test_claim_next_takes_the_oldest_free_jobs_up_to_the_limit(
    engine_index: Index, clock: FakeClock
) -> None:
    jobs = _jobs(engine_index, clock, 5)
    assert claims.claim(engine_index, jobs[0].id, "a", LEASE, clock())
    taken = claims.claim_next(engine_index, "b", 3, LEASE, clock())
    assert [(job.id, lapsed) for job, lapsed in taken] == [(j.id, False) for j in jobs[1:4]]
    assert [job.id for job, _ in claims.claim_next(engine_index, "c", 3, LEASE, clock())] == [
        jobs[4].id
    ]
    assert claims.claim_next(engine_index, "c", 0, LEASE, clock()) == []


def test_done_clears_the_claim_and_a_done_job_is_never_claimed(
    engine_index: Index, clock: FakeClock
) -> None:
    [job] = _jobs(engine_index, clock, 1)
    assert claims.claim(engine_index, job.id, "a", LEASE, clock())
    PendingStore(engine_index).done(job.id, clock())
    row = engine_index.connection.execute(
        "SELECT claimed_by, lease_until FROM pending_jobs WHERE id = ?", (job.id,)
    ).fetchone()
    assert (row["claimed_by"], row["lease_until"]) == (None, None)
    assert not claims.claim(engine_index, job.id, "a", LEASE, clock())
    assert claims.claim_next(engine_index, "b", 10, LEASE, clock()) == []
    assert claims.renew(engine_index, "a", [job.id], LEASE, clock()) == set()


def test_renewing_keeps_a_claim_past_its_first_lease(engine_index: Index, clock: FakeClock) -> None:
    first, second = _jobs(engine_index, clock, 2)
    assert claims.claim(engine_index, first.id, "a", 30, clock())
    assert claims.claim(engine_index, second.id, "b", 30, clock())
    clock.advance(seconds=20)
    assert claims.renew(engine_index, "a", [first.id, second.id], 30, clock()) == {first.id}
    clock.advance(seconds=20)  # 40 s: the first renewed until 50 s, the second lapsed at 30 s
    assert [job.id for job, _ in claims.claim_next(engine_index, "c", 10, 30, clock())] == [
        second.id
    ]


def test_releasing_lets_go_of_ones_own_claims_only(engine_index: Index, clock: FakeClock) -> None:
    first, second = _jobs(engine_index, clock, 2)
    assert claims.claim(engine_index, first.id, "a", LEASE, clock())
    assert claims.claim(engine_index, second.id, "b", LEASE, clock())
    claims.release(engine_index, "a", [first.id, second.id])
    [(taken, lapsed)] = claims.claim_next(engine_index, "c", 10, LEASE, clock())
    assert (taken.id, lapsed) == (first.id, False)  # let go of, not lapsed: no apology owed


def test_two_processes_racing_for_the_same_jobs_never_take_one_twice(
    engine_url: str | None, tmp_path: Path, clock: FakeClock
) -> None:
    first = Index(tmp_path / "index.sqlite3", database_url=engine_url)
    _jobs(first, clock, 60)
    taken: dict[str, list[int]] = {"a": [], "b": []}
    start = threading.Barrier(2)

    def claimant(owner: str) -> None:
        index = Index(
            tmp_path / "index.sqlite3", database_url=engine_url
        )  # a connection of its own
        try:
            for _ in range(12):  # 10 rounds of 2 x 3 take all 60; each round starts together
                start.wait()
                got = claims.claim_next(index, owner, 3, LEASE, clock())
                taken[owner].extend(job.id for job, _ in got)
        finally:
            index.close()

    threads = [threading.Thread(target=claimant, args=(owner,)) for owner in taken]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        everything = taken["a"] + taken["b"]
        assert sorted(everything) == sorted(set(everything))  # none twice
        assert len(everything) == 60  # and none left
        owners = first.connection.execute(
            "SELECT claimed_by, count(*) AS n FROM pending_jobs GROUP BY claimed_by"
        ).fetchall()
        assert {row["claimed_by"]: row["n"] for row in owners} == {
            owner: len(ids) for owner, ids in taken.items() if ids
        }
    finally:
        first.close()


def test_a_dead_process_of_this_host_is_let_go_of_and_a_live_or_distant_one_is_not(
    engine_index: Index, clock: FakeClock
) -> None:
    host = socket.gethostname()
    me = f"{host}:{os.getpid()}:new"
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    child = int(ended.stdout)  # reaped: its pid runs no more
    holders = [
        f"{host}:{child}:abc",  # gone
        f"{host}:{os.getpid()}:old",  # our pid, an earlier nonce: a previous incarnation
        f"{host}:1:abc",  # alive (init), or not ours to signal: alive
        f"elsewhere:{child}:abc",  # another host: only its lease can tell
        me,
    ]
    jobs = _jobs(engine_index, clock, len(holders))
    for job, holder in zip(jobs, holders, strict=True):
        assert claims.claim(engine_index, job.id, holder, LEASE, clock())
    assert claims.release_the_dead_here(engine_index, me) == 2
    clock.advance(seconds=1)
    free = [job.id for job, _ in claims.claim_next(engine_index, "x", 10, LEASE, clock())]
    assert free == [jobs[0].id, jobs[1].id]  # init's, elsewhere's and ours still held
