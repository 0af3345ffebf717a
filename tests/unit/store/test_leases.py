"""Leases on both engines: one holder at a time, renewed by it, lapsed when it dies."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from bot.store.index import Index
from bot.store.leases import Leases, is_dead_here, this_process
from tests.blobs_kit import a_clock
from tests.harness import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return a_clock()


def test_one_process_holds_a_lease_and_the_other_is_told_no(
    engine_index: Index, clock: FakeClock
) -> None:
    a, b = Leases(engine_index, "a", clock=clock), Leases(engine_index, "b", clock=clock)
    assert a.take("digest:1", 60)
    assert not b.take("digest:1", 60)
    assert b.take("digest:2", 60)  # another name is another lease
    assert (a.holder("digest:1"), a.holder("digest:2")) == ("a", "b")


def test_taking_a_lease_one_holds_renews_it(engine_index: Index, clock: FakeClock) -> None:
    a, b = Leases(engine_index, "a", clock=clock), Leases(engine_index, "b", clock=clock)
    assert a.take("feed:7", 60)
    clock.advance(seconds=50)
    assert a.take("feed:7", 60)  # until 110 s now
    clock.advance(seconds=50)
    assert not b.take("feed:7", 60)


def test_a_lease_its_holder_stopped_renewing_passes_to_the_next_asker(
    engine_index: Index, clock: FakeClock
) -> None:
    a, b = Leases(engine_index, "a", clock=clock), Leases(engine_index, "b", clock=clock)
    assert a.take("brief:h", 30)
    clock.advance(seconds=29)
    assert not b.take("brief:h", 30)
    clock.advance(seconds=1)  # exactly at its end: lapsed
    assert a.holder("brief:h") is None
    assert b.take("brief:h", 30)
    assert a.renew(["brief:h"], 30) == set()  # the old holder learns it lost it
    assert b.holder("brief:h") == "b"


def test_renewing_extends_only_what_one_still_holds(engine_index: Index, clock: FakeClock) -> None:
    a, b = Leases(engine_index, "a", clock=clock), Leases(engine_index, "b", clock=clock)
    assert a.take("x", 10) and a.take("y", 10) and b.take("z", 10)
    clock.advance(seconds=9)
    assert a.renew(["x", "z", "never"], 10) == {"x"}
    clock.advance(seconds=5)
    assert (a.holder("x"), a.holder("y"), a.holder("z")) == ("a", None, None)
    assert a.renew([], 10) == set()


def test_releasing_lets_go_of_ones_own_lease_only(engine_index: Index, clock: FakeClock) -> None:
    a, b = Leases(engine_index, "a", clock=clock), Leases(engine_index, "b", clock=clock)
    assert a.take("digest:1", 60)
    b.release("digest:1")
    assert a.holder("digest:1") == "a"
    a.release("digest:1")
    assert b.take("digest:1", 60)


def test_pruning_forgets_lapsed_leases_only(engine_index: Index, clock: FakeClock) -> None:
    a = Leases(engine_index, "a", clock=clock)
    assert a.take("old", 10) and a.take("new", 100)
    clock.advance(seconds=10)
    assert a.prune() == 1
    assert a.holder("new") == "a"


def test_a_process_name_says_host_and_pid_and_differs_from_a_reused_pid() -> None:
    name = this_process()
    assert name == this_process()  # one name for the process's life
    host, pid, nonce = name.rsplit(":", 2)
    assert host and pid == str(os.getpid()) and len(nonce) == 6
    # Containers sharing a host name have their own pids: the namespace is part of the host.
    assert host == f"{socket.gethostname()}~{Path('/proc/self/ns/pid').stat().st_ino}"


def test_only_a_gone_process_of_this_host_is_told_dead() -> None:
    me = this_process()
    host, pid, _ = me.rsplit(":", 2)
    gone = subprocess.Popen(["true"])  # noqa: S607 - a pid that runs no more once reaped
    gone.wait()
    assert is_dead_here(f"{host}:{gone.pid}:abc123", me)
    assert is_dead_here(f"{host}:{pid}:abc123", me)  # our pid, an earlier nonce
    assert not is_dead_here(f"{host}:{os.getppid()}:abc123", me)  # alive
    assert not is_dead_here(f"elsewhere~1:{gone.pid}:abc123", me)  # another host: unknowable
    assert not is_dead_here("not a process name", me)
