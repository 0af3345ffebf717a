"""A chat's zone for its dates: its /tz, else its digest's zone, else UTC; moved with the chat."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.store.chat_zones import ChatZones
from bot.store.index import Index
from bot.store.subscriptions import SubscriptionStore

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


@pytest.fixture
def parts(tmp_path: Path) -> Iterator[tuple[ChatZones, SubscriptionStore]]:
    index = Index(tmp_path / "index.sqlite3")
    subscriptions = SubscriptionStore(index)
    yield ChatZones(index, subscriptions), subscriptions
    index.close()


async def test_tz_beats_the_digest_zone_which_beats_utc(parts) -> None:
    zones, subscriptions = parts
    assert zones.zone(1).key == "UTC"
    subscriptions.subscribe(1, time(7, 30), "Europe/Paris", NOW)
    zones.forget(1)
    assert zones.zone(1).key == "Europe/Paris"
    assert (await zones.style_off_loop(1, NOW)).zone.key == "Europe/Paris"
    zones.set(1, ZoneInfo("Asia/Tokyo"))
    assert (await zones.style_off_loop(1, NOW)).zone.key == "Asia/Tokyo"
    assert zones.style(1, NOW).year == 2026
    assert zones.zone(2).key == "UTC"  # another chat


async def test_the_zone_moves_with_an_upgraded_group(parts) -> None:
    zones, _ = parts
    zones.set(-1, ZoneInfo("America/New_York"))
    assert (await zones.style_off_loop(-1, NOW)).zone.key == "America/New_York"
    zones.migrate(-1, -100)
    assert zones.zone(-100).key == "America/New_York"
    assert (await zones.style_off_loop(-1, NOW)).zone.key == "UTC"
