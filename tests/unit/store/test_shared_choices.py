"""What one process keeps of a chat's choices, another process's change reaches (PostgreSQL).

On SQLite one process owns the file, so a chat's /lang, /tz and extractive replies are kept
in memory once read. On PostgreSQL a receiver and workers share the database: a choice one
process stores must count at another's next briefing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.jobs.degraded import DegradedReplies
from bot.store.chat_language import ChatLanguages
from bot.store.chat_settings import AutoForwards, ChatSettings
from bot.store.chat_zones import ChatZones
from bot.store.index import Index
from bot.store.subscriptions import SubscriptionStore
from tests.loop_watch import watch

pytestmark = pytest.mark.postgres


@pytest.fixture
def two_processes(postgres_url: str, tmp_path: Path) -> Iterator[tuple[Index, Index]]:
    a = Index(tmp_path / "a.sqlite3", database_url=postgres_url)
    b = Index(tmp_path / "b.sqlite3", database_url=postgres_url)
    yield a, b
    a.close()
    b.close()


async def test_a_lang_set_by_one_process_counts_at_anothers_next_briefing(
    two_processes: tuple[Index, Index],
) -> None:
    receiver, worker = two_processes
    briefing = ChatLanguages(worker, None)
    with watch() as on_loop:
        assert await briefing.effective_off_loop(7) is None  # read, and kept in memory
        assert await ChatLanguages(receiver, None).set_off_loop(7, "French") == "fr"
        assert await briefing.effective_off_loop(7) == "fr"
        await ChatLanguages(receiver, None).set_off_loop(7, "auto")
        assert await briefing.effective_off_loop(7) is None  # the article's own language
    assert on_loop.statements == []  # every read and write on the database thread


async def test_a_pinned_language_is_never_read_over(two_processes: tuple[Index, Index]) -> None:
    receiver, worker = two_processes
    await ChatLanguages(receiver, None).set_off_loop(7, "de")
    briefing = ChatLanguages(worker, None)
    briefing.pin(7, "fr")  # `briefbot brief --lang fr --chat 7`: this process only
    assert await briefing.effective_off_loop(7) == "fr"


async def test_an_extractive_reply_one_process_sent_is_found_by_another(
    two_processes: tuple[Index, Index],
) -> None:
    first, second = two_processes
    later = DegradedReplies(second)  # made before the reply existed, as a worker is
    with watch() as on_loop:
        await DegradedReplies(first).add(5, "h", [10, 11])
        assert await later.take(5, "h") == [[10, 11]]
        assert await later.take(5, "h") == []
    assert on_loop.statements == []


async def test_a_tz_set_by_one_process_dates_anothers_next_reply(
    two_processes: tuple[Index, Index],
) -> None:
    receiver, worker = two_processes
    now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    dates = ChatZones(worker, SubscriptionStore(worker))
    with watch() as on_loop:
        assert (await dates.style_off_loop(7, now)).zone.key == "UTC"  # read, and kept
        await ChatZones(receiver, SubscriptionStore(receiver)).set_off_loop(
            7, ZoneInfo("Asia/Tokyo")
        )
        assert (await dates.style_off_loop(7, now)).zone.key == "Asia/Tokyo"
        zone, chosen = await dates.zones_off_loop(7)
    assert (zone.key, chosen) == ("Asia/Tokyo", ZoneInfo("Asia/Tokyo"))
    assert on_loop.statements == []


async def test_chat_settings_are_read_and_written_off_the_loop(
    two_processes: tuple[Index, Index],
) -> None:
    first, second = two_processes
    with watch() as on_loop:
        assert not (await ChatSettings(second).auto_forwards_off_loop(-100)).enabled
        await ChatSettings(first).set_auto_forwards_off_loop(-100, enabled=True, set_by=42)
        await ChatSettings(first).set_digest_pictures_off_loop(-100, enabled=True)
        assert await ChatSettings(second).auto_forwards_off_loop(-100) == AutoForwards(True, 42)
        assert await ChatSettings(second).digest_pictures_off_loop(-100)
    assert on_loop.statements == []
