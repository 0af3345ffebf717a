"""PostgreSQL going away in tests: a server of one's own to stop and start, connections cut.

The shared per-worker server (tests/postgres.py) is never stopped: other tests use it. A
test that restarts its server asks for `own_server`, a server started for its module.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from typing import Any

import pytest

from tests.postgres import give_up
from tests.postgres_server import (
    STOP_DEADLINE_S,
    NoPostgresError,
    PostgresServer,
    binaries,
    start,
)


def halt(server: PostgresServer) -> None:
    """Stop the server as a restart does (fast shutdown: every connection dropped), files kept."""
    if server.admin is not None:
        with contextlib.suppress(Exception):
            server.admin.close()
        server.admin = None
    server.process.send_signal(signal.SIGINT)
    server.process.wait(STOP_DEADLINE_S)


def resume(server: PostgresServer) -> None:
    """Start a halted server again, on its port, with its databases.

    Call it from the main thread: the server is stopped when the thread that started it
    ends (die_with_parent), and asyncio.to_thread's threads end with the event loop.
    """
    assert server.spawn is not None and server.process.poll() is not None, "not halted"
    server.process = server.spawn(server.port)
    if not server.ready():  # another process took the port meanwhile: rare, and loud
        raise NoPostgresError(f"the server did not restart on port {server.port}")
    server.connect()


def cut(server: PostgresServer, backend_pid: int) -> None:
    """Terminate one connection from the server's side (an idle timeout, a proxy, a failover)."""
    assert server.admin is not None
    server.admin.execute("SELECT pg_terminate_backend(%s)", (backend_pid,))


def backend_pid(connection: Any) -> int:
    """Return the server process of a store connection (a PgConnection)."""
    row = connection.execute("SELECT pg_backend_pid()").fetchone()
    return int(row[0])


@pytest.fixture(scope="module")
def own_server() -> Iterator[PostgresServer]:
    """A server for one test module alone, which its tests may stop and start."""
    try:
        server = start(binaries())
    except NoPostgresError as err:
        give_up(str(err))
    yield server
    server.stop()


@pytest.fixture
def own_url(own_server: PostgresServer) -> Iterator[str]:
    """A fresh database on the module's own server (started again if a test left it halted)."""
    if own_server.process.poll() is not None:
        resume(own_server)
    with own_server.database() as url:
        yield url
