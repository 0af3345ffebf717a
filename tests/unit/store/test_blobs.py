"""The blobs table keeps bytes by kind and key, exactly, and prunes by age, on both engines."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.store.blobs import BlobError, Blobs
from tests.blobs_kit import a_clock, open_blobs
from tests.harness import FakeClock

# Every byte value, NUL and invalid UTF-8 included: a PNG's or a gzip's bytes come back as sent.
EVERY_BYTE = bytes(range(256)) * 3


def test_bytes_come_back_exactly_and_kinds_keep_apart(blobs: Blobs) -> None:
    blobs.put("pictures", "k", EVERY_BYTE)
    blobs.put("articles", "k", "Сеул — 서울 — Séoul 🇰🇷\n".encode())
    assert blobs.get("pictures", "k") == EVERY_BYTE
    assert blobs.get("articles", "k") == "Сеул — 서울 — Séoul 🇰🇷\n".encode()
    assert blobs.get("articles", "absent") is None
    assert blobs.get("briefings", "k") is None


def test_put_replaces_and_add_keeps_what_is_there(blobs: Blobs) -> None:
    blobs.put("briefings", "k", b"first")
    blobs.put("briefings", "k", b"second")
    assert blobs.get("briefings", "k") == b"second"
    assert blobs.add("articles", "h", b"the text") is True
    assert blobs.add("articles", "h", b"another text") is False  # content-addressed: kept
    assert blobs.get("articles", "h") == b"the text"
    assert blobs.delete("articles", "h") is True
    assert blobs.delete("articles", "h") is False
    assert blobs.get("articles", "h") is None


def test_an_empty_body_is_a_blob_not_a_miss(blobs: Blobs) -> None:
    blobs.put("fetched", "empty", b"")
    assert blobs.get("fetched", "empty") == b""


def test_pruning_deletes_one_kinds_blobs_written_before_a_time(
    blobs: Blobs, clock: FakeClock
) -> None:
    blobs.put("fetched", "old", b"1")
    blobs.put("briefings", "old", b"2")  # as old, but another kind: kept
    clock.advance(hours=25)
    blobs.put("fetched", "new", b"3")
    blobs.put("fetched", "old-rewritten", b"4")
    assert blobs.prune("fetched", clock.now - timedelta(hours=24)) == 1
    assert blobs.get("fetched", "old") is None
    assert blobs.get("fetched", "new") == b"3"
    assert blobs.get("briefings", "old") == b"2"
    assert blobs.prune("fetched", clock.now - timedelta(hours=24)) == 0


def test_a_rewrite_makes_a_blob_new_again(blobs: Blobs, clock: FakeClock) -> None:
    blobs.put("fetched", "page", b"yesterday's")
    clock.advance(hours=25)
    blobs.put("fetched", "page", b"today's")  # as a file written anew gets a new mtime
    assert blobs.prune("fetched", clock.now - timedelta(hours=24)) == 0


def test_keeping_the_newest_deletes_the_rest_of_that_kind_only(
    blobs: Blobs, clock: FakeClock
) -> None:
    for i in range(5):
        blobs.put("pictures", f"p{i}", b"png")
        clock.advance(seconds=1)
    blobs.put("articles", "a", b"text")
    assert blobs.keep_newest("pictures", 3) == 2
    assert [blobs.get("pictures", f"p{i}") for i in range(5)] == [None, None, b"png", b"png", b"png"]  # fmt: skip
    assert blobs.keep_newest("pictures", 3) == 0  # fewer than the limit: nothing to do
    assert blobs.get("articles", "a") == b"text"


def test_sizes_are_the_bytes_each_kind_holds(blobs: Blobs) -> None:
    assert blobs.sizes() == {}
    blobs.put("articles", "a", "é".encode() * 10)  # 20 bytes: bytes, not characters
    blobs.put("articles", "b", b"12345")
    blobs.put("pictures", "p", EVERY_BYTE)
    assert blobs.sizes() == {"articles": 25, "pictures": len(EVERY_BYTE)}
    assert blobs.size("articles", ["a", "absent"]) == 20
    assert blobs.size("articles", []) == 0
    many = [f"k{i}" for i in range(1200)]  # more keys than one IN list takes
    for key in many[:3]:
        blobs.put("briefings", key, b"xy")
    assert blobs.size("briefings", many) == 6


def test_a_shelf_is_one_kind(blobs: Blobs, clock: FakeClock) -> None:
    shelf = blobs.shelf("digests")
    shelf.put("k", b"v")
    assert shelf.get("k") == blobs.get("digests", "k") == b"v"
    assert shelf.add("k", b"w") is False
    clock.advance(hours=1)
    assert shelf.prune(clock.now) == 1
    assert shelf.keep_newest(0) == 0


def test_a_failing_table_is_an_os_error_as_a_failing_disk_is(blobs: Blobs) -> None:
    blobs.put("articles", "a", b"text")
    blobs._run("DROP TABLE blobs", ())  # what a missing grant or a broken database looks like
    with pytest.raises(BlobError) as caught:
        blobs.get("articles", "a")
    assert isinstance(caught.value, OSError)
    with pytest.raises(OSError):
        blobs.put("articles", "b", b"text")


@pytest.mark.postgres
def test_a_lost_connection_is_replaced_within_the_call(
    tmp_path: Path, request: pytest.FixtureRequest, postgres_url: str
) -> None:
    import psycopg

    from tests.postgres import libpq_url

    blobs = open_blobs("postgresql", tmp_path, request, a_clock())
    blobs.put("articles", "a", b"text")
    with psycopg.connect(libpq_url(postgres_url), autocommit=True) as admin:
        admin.execute(  # a server restart, or an idle connection cut by a proxy
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    try:  # PgConnection reconnects and runs the statement again: the caller sees nothing
        assert blobs.get("articles", "a") == b"text"
        blobs.put("articles", "b", b"more")
        assert blobs.get("articles", "b") == b"more"
    finally:
        blobs.close()
