"""PostgreSQL for tests: `postgres_server` once per pytest process, `postgres_url` per test.

Registered by tests/conftest.py. Each xdist worker starts its own server (tests/postgres_server.py)
in its own directory and port; each test that asks for `postgres_url` gets an empty database of
its own. Where PostgreSQL cannot be had, those tests are skipped with one line, or fail under
BRIEFBOT_REQUIRE_POSTGRES=1 (CI, where the PostgreSQL half must run).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Mapping
from typing import NoReturn

import pytest

from tests.postgres_server import NoPostgresError, PostgresServer, binaries, start

REQUIRE = "BRIEFBOT_REQUIRE_POSTGRES"


def one_line(problem: str) -> str:
    """Make a problem one short line, so pytest's -rs summary shows it once for every test."""
    lines = [line.strip() for line in problem.splitlines() if line.strip()]
    first = lines[0] if lines else "no reason given"
    return first if len(first) <= 160 else f"{first[:159]}…"


def skip_reason(problem: str) -> str:
    return f"PostgreSQL half skipped: {one_line(problem)}"


def give_up(problem: str, environ: Mapping[str, str] = os.environ) -> NoReturn:
    """Skip the test; fail it instead where PostgreSQL is required."""
    if environ.get(REQUIRE) == "1":
        pytest.fail(f"PostgreSQL half required ({REQUIRE}=1): {one_line(problem)}", pytrace=False)
    pytest.skip(skip_reason(problem))


@functools.cache
def attempt() -> PostgresServer | NoPostgresError:
    """This process's one try at a server; a failure is kept, not retried for every test."""
    try:
        return start(binaries())
    except NoPostgresError as err:
        return err


def running_server() -> PostgresServer:
    outcome = attempt()
    if isinstance(outcome, NoPostgresError):
        give_up(str(outcome))
    return outcome


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Before the fixtures: pytest reports a skip raised in a fixture at each test's own line, so
    # -rs would list every test; raised from here, it is one line with a count.
    if item.get_closest_marker("postgres"):
        running_server()


@pytest.hookimpl(trylast=True)  # after the fixtures' teardown, which may still use the server
def pytest_sessionfinish() -> None:
    # Also on Ctrl-C; atexit and the kernel's parent-death signal back it up (postgres_server.py).
    if attempt.cache_info().currsize and isinstance(server := attempt(), PostgresServer):
        server.stop()


@pytest.fixture(scope="session")
def postgres_server() -> PostgresServer:
    """This pytest process's server (each xdist worker has its own), stopped at the session's end."""
    return running_server()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database for one test: postgresql+psycopg://postgres@127.0.0.1:PORT/NAME."""
    with postgres_server.database() as url:
        yield url


def libpq_url(url: str) -> str:
    """The URL psycopg.connect takes: SQLAlchemy's driver name removed."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects, so `-m 'not postgres'` sees the mark
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "postgres_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)
