"""After `briefbot migrate` into PostgreSQL, the bot's services answer as they did on SQLite.

The deployment is the migrate kit's (a row in every table, made through the bot's own
stores); the services are built twice, as `briefbot run` builds them: on its data directory,
and on DATABASE_URL after the copy. /who, /search and the digest must read the same.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.actors.lookup import find_page
from bot.config import load_settings
from bot.render.digest_html import render_digest_text
from bot.search.archive import search_now
from bot.search.query import parse_query
from bot.services import Services, build_services
from bot.store.briefing_cache import BriefingCache
from bot.store.copy import migrate
from tests import archive_kit, migrate_kit
from tests.migrate_kit import GROUP, NOW
from tests.postgres import libpq_url


@pytest.fixture(autouse=True)
def keyless(monkeypatch: pytest.MonkeyPatch) -> None:
    migrate_kit.keep_sqlite(monkeypatch)  # the source is an SQLite file, whatever the engine
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "DATABASE_URL", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def _answers(services: Services) -> tuple[list[Any], list[tuple[list[str], int]], list[str | None]]:
    index = services.index
    who = [find_page(index, GROUP, name) for name in ("Kim Yo Jong", "moon", "witness")]
    queries = [(q["chat"], q["search"]) for q in archive_kit.questions() if q["answerable"]][:12]
    # The articles found and how many: scores are each engine's own (bm25, ts_rank).
    hits: list[tuple[list[str], int]] = []
    for chat, words in queries:
        found, total = search_now(index, chat, parse_query(words, today=archive_kit.TODAY))
        hits.append(([hit.article_hash for hit in found], total))
    # The chat's digest over everything it was sent (no model: made from the briefings).
    since, until = datetime(2000, 1, 1, tzinfo=UTC), NOW + timedelta(days=400)
    digests: list[str | None] = []
    for chat in (GROUP,):
        made = asyncio.run(services.digests.build(chat, since=since, until=until))
        digests.append(None if made is None else render_digest_text(made))
    return who, hits, digests


def test_who_search_and_the_digest_read_the_same_from_postgresql(
    source: Path, postgres_url: str
) -> None:
    cache = BriefingCache(source)  # the group's briefings as files, as the bot keeps them
    for made in migrate_kit.who_briefings():
        cache.put(made.key, made)
    before = build_services(load_settings(bot_data_dir=source))
    try:
        expected = _answers(before)
    finally:
        before.index.close()
    report = migrate(f"sqlite:///{source}", postgres_url)
    assert report.mismatched == []
    # The data directory is gone for the bot: DATABASE_URL holds the texts and briefings too.
    after = build_services(
        load_settings(bot_data_dir=source / "nowhere", database_url=libpq_url(postgres_url))
    )
    try:
        assert after.index.engine == "postgresql"
        answered = _answers(after)
    finally:
        after.index.close()
    who, hits, digests = expected
    assert all(page is not None and page.stances for _, page in who[:2])
    assert sum(total for _, total in hits) > 0
    assert all(digest for digest in digests)
    assert answered == expected
    assert not (source / "nowhere").exists()
