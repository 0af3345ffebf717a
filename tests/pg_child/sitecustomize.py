"""In a subprocess of a BRIEFBOT_TEST_ENGINE=postgresql test: its index on the test's database.

tests/postgres_engine.py puts this folder on the subprocess's PYTHONPATH, so the `briefbot`
the test starts reads and writes the same database as the test itself.
"""

import os

if os.environ.get("BRIEFBOT_TEST_ENGINE") == "postgresql" and (
    where := os.environ.get("BRIEFBOT_TEST_DATABASES")
):
    import bot.store.index
    from tests.postgres_engine import move_index_to

    admin_url, server_url, prefix = where.split(" ")
    bot.store.index.connect = move_index_to(admin_url, server_url, prefix)  # type: ignore[attr-defined,assignment]
