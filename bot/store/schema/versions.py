"""The schema's Alembic history, driven from code: the head, a database's revision, upgrade.

PostgreSQL databases are made and upgraded by Alembic alone. SQLite files are made from
the MetaData and stamped (sqlite_file.py: faster, and a file from before Alembic is
upgraded in place); Alembic upgrades them from a stamped revision to a newer one.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

LOCATION = "bot.store:migrations"


def config(connection: Connection | None = None) -> Config:
    """Return an Alembic config for the package's migrations (on `connection`, if given)."""
    made = Config()
    made.set_main_option("script_location", LOCATION)
    if connection is not None:
        made.attributes["connection"] = connection
    return made


def head() -> str:
    """Return the newest revision."""
    found = ScriptDirectory.from_config(config()).get_current_head()
    if found is None:
        raise RuntimeError("the migrations have no head")
    return found


def revisions() -> list[str]:
    """Return every revision, oldest first."""
    walked = ScriptDirectory.from_config(config()).walk_revisions()
    return [r.revision for r in reversed(list(walked))]


def current(connection: Connection) -> str | None:
    """Return the database's revision (None: never stamped)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to `revision`, in one transaction."""
    with engine.begin() as connection:
        command.upgrade(config(connection), revision)
