"""The stores `briefbot migrate` copies between, named by URL or path, and connecting to them.

An SQLite file or a data directory holding one, or a PostgreSQL database. URLs may carry
a password; nothing here shows one: `Store.shown` hides it and
`Store.redact` takes it out of a driver's message before anyone reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from bot.errors import MigrateError, MigrateUsageError

INDEX_FILE = "index.sqlite3"  # a data directory's database, as bot/services.py names it
DRIVER = "postgresql+psycopg"  # psycopg 3: the one PostgreSQL driver the store is tested on
DEFAULT_PORT = 5432
HIDDEN = "***"
_CONNECT_TIMEOUT_S = 10  # an unreachable host fails in seconds, not after TCP's minutes
_POSTGRES = {"postgresql", "postgres", DRIVER}


@dataclass(frozen=True)
class Store:
    """A database to copy from or to: an SQLite file, or a PostgreSQL database."""

    url: URL
    path: Path | None  # the SQLite file; None for PostgreSQL

    @property
    def postgres(self) -> bool:
        """Tell whether this is a PostgreSQL database."""
        return self.path is None

    @property
    def data_dir(self) -> Path | None:
        """Return the directory an SQLite file's briefings and texts live in, if any."""
        return None if self.path is None else self.path.parent

    @property
    def where(self) -> str:
        """Return the server's host and port (PostgreSQL)."""
        return f"{self.url.host or 'localhost'}:{self.url.port or DEFAULT_PORT}"

    @property
    def shown(self) -> str:
        """Name the store for the operator: the file, or the URL without any password."""
        if self.path is not None:
            return str(self.path)
        public = self.url.difference_update_query(["password"])
        return public.render_as_string(hide_password=True)

    def said(self, exc: DBAPIError) -> str:
        """Return the first line of what the driver said, without the password."""
        return self.redact(str(exc.orig).strip().splitlines()[0])

    def redact(self, message: str) -> str:
        """Return a driver's `message` with this store's password taken out, in any spelling."""
        for secret in (self.url.password, self.url.query.get("password")):
            if isinstance(secret, str) and secret:
                for spelling in sorted({secret, quote(secret), quote_plus(secret)}, key=len)[::-1]:
                    message = message.replace(spelling, HIDDEN)
        return message


def parse(text: str, *, source: bool) -> Store:
    """Read `--from` (`source`) or `--to`: sqlite:///PATH, postgresql://…, or a bare path."""
    if "://" not in text:
        return _sqlite(Path(text), source=source)
    try:
        url = make_url(text)
    except ArgumentError as exc:
        raise MigrateUsageError(f"Not a database URL: {_scheme(text)}…") from exc
    if url.drivername == "sqlite":
        if not url.database:
            raise MigrateUsageError("An in-memory SQLite database cannot be copied from or to.")
        return _sqlite(Path(url.database), source=source)
    if url.drivername in _POSTGRES:
        if source:
            raise MigrateUsageError("Copying from PostgreSQL is not supported: --from is SQLite.")
        if not url.database:
            raise MigrateUsageError("Name the PostgreSQL database: postgresql://user@host/DB.")
        return Store(url.set(drivername=DRIVER), None)
    raise MigrateUsageError(
        f"Unsupported database {url.drivername!r}: use sqlite:///PATH or postgresql://…"
        " (the psycopg 3 driver)."
    )


def engine_for(store: Store) -> Engine:
    """Return an engine for the store; SQLite's transactions each read one snapshot."""
    if store.postgres:
        try:
            import psycopg  # noqa: F401 - asked for here to say what to install
        except ImportError:
            raise MigrateUsageError(
                "PostgreSQL needs psycopg 3: pip install 'briefbot[postgres]'."
            ) from None
        given = "connect_timeout" in store.url.query
        timeout = {} if given else {"connect_timeout": _CONNECT_TIMEOUT_S}
        return create_engine(store.url, connect_args=timeout)
    engine = create_engine(store.url)

    # Python's sqlite3 opens no transaction for SELECTs, so each would read its own moment:
    # SQLAlchemy's recipe, BEGIN issued by hand, gives the whole read one snapshot.
    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi: Any, _record: object) -> None:  # noqa: ANN401
        dbapi.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def reach(engine: Engine, store: Store) -> None:
    """Connect once, so that a wrong host or password is said plainly, before any work."""
    if store.path is not None:
        store.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with engine.connect() as connection:
            if not store.postgres:
                connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
            else:
                encoding = connection.exec_driver_sql("SHOW server_encoding").scalar()
                if encoding != "UTF8":
                    raise MigrateUsageError(
                        f"{store.shown} stores text as {encoding}; the store needs UTF8 "
                        "(createdb --encoding=UTF8)."
                    )
    except DBAPIError as exc:
        if not store.postgres:
            raise MigrateUsageError(f"Cannot use {store.shown}: {exc.orig}.") from None
        # libpq says "connection to server at …, port … failed: WHY": WHY is the news.
        reason = store.said(exc).rsplit("failed: ", 1)[-1].removeprefix("FATAL:").strip()
        raise MigrateError(
            f"Cannot reach PostgreSQL at {store.where} (database {store.url.database}): {reason}"
        ) from None


def _scheme(text: str) -> str:
    return text.split("://", 1)[0] + "://"  # never the rest: it may hold a password


def _sqlite(path: Path, *, source: bool) -> Store:
    """Resolve a data directory to its database; a source must exist."""
    path = path.expanduser().absolute()  # said in full: sqlite:///data is relative, ////data not
    if path.is_dir():
        path /= INDEX_FILE
    elif not source and not path.exists() and not path.suffix:
        path /= INDEX_FILE  # a directory to be made, as BOT_DATA_DIR is
    if source and not path.is_file():
        where = path.parent if path.name == INDEX_FILE else path
        raise MigrateUsageError(
            f"No briefbot database at {where}: {INDEX_FILE} is not there."
            if path.name == INDEX_FILE and where.is_dir()
            else f"{where} does not exist."
        )
    return Store(URL.create("sqlite", database=str(path.resolve())), path.resolve())
