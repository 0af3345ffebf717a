"""Digest subscriptions: persistence, forward-only last_date, zone changes."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.digest.schedule import ScheduleError, decide
from bot.models import Usage
from bot.store.index import Index
from bot.store.subscriptions import SubscriptionStore

NOW = datetime(2025, 5, 5, 12, 0, tzinfo=UTC)
D1, D2, D3 = date(2025, 5, 4), date(2025, 5, 5), date(2025, 5, 6)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "index.sqlite3"


@pytest.fixture
def index(db_path: Path) -> Iterator[Index]:
    opened = Index(db_path)
    yield opened
    opened.close()


@pytest.fixture
def store(index: Index) -> SubscriptionStore:
    return SubscriptionStore(index)


def test_subscribe_get_enabled_unsubscribe(store: SubscriptionStore) -> None:
    assert store.get(1) is None
    sub = store.subscribe(1, time(7, 30), "europe/paris", NOW)
    assert (sub.chat_id, sub.at, sub.tz, sub.enabled) == (1, time(7, 30), "Europe/Paris", True)
    assert (sub.last_date, sub.last_sent_at) == (None, None)
    assert store.get(1) == sub
    assert str(sub.zone) == "Europe/Paris"
    store.subscribe(-1001234567890, time(19, 5), "UTC", NOW)
    assert [s.chat_id for s in store.enabled()] == [-1001234567890, 1]
    assert store.unsubscribe(1)
    assert not store.unsubscribe(1)  # already off
    assert not store.unsubscribe(999)  # never subscribed
    off = store.get(1)
    assert off is not None
    assert not off.enabled
    assert [s.chat_id for s in store.enabled()] == [-1001234567890]


def test_resubscribe_keeps_last_date_and_moves_subscribed_at(store: SubscriptionStore) -> None:
    store.subscribe(1, time(8, 0), "UTC", NOW)
    assert store.mark_sent(1, D2, NOW)
    store.unsubscribe(1)
    later = NOW + timedelta(hours=3)
    again = store.subscribe(1, time(9, 0), "UTC", later)
    assert (again.last_date, again.last_sent_at) == (D2, NOW)
    assert again.subscribed_at == later
    assert again.at == time(9, 0)
    assert again.enabled
    assert store.get(1) == again


def test_last_date_only_moves_forward(store: SubscriptionStore) -> None:
    store.subscribe(1, time(8, 0), "UTC", NOW)
    assert store.mark_sent(1, D2, NOW)
    assert not store.mark_sent(1, D2, NOW + timedelta(hours=1))  # same day: no second send
    assert not store.mark_sent(1, D1, NOW + timedelta(hours=2))
    assert not store.mark_skipped(1, D1)
    sub = store.get(1)
    assert sub is not None
    # A refused date still records the send itself: the next window starts after it.
    assert (sub.last_date, sub.last_sent_at) == (D2, NOW + timedelta(hours=2))
    assert store.mark_skipped(1, D3)
    sub = store.get(1)
    assert sub is not None
    assert (sub.last_date, sub.last_sent_at) == (D3, NOW + timedelta(hours=2))  # no send
    assert not store.mark_sent(2, D3, NOW)  # unknown chat


def test_state_survives_a_restart(db_path: Path) -> None:
    first = Index(db_path)
    store = SubscriptionStore(first)
    store.subscribe(5, time(6, 45), "Asia/Tokyo", NOW)
    store.mark_sent(5, D2, NOW)
    before = store.get(5)
    first.close()
    reopened = Index(db_path)
    try:
        after = SubscriptionStore(reopened).get(5)
        assert after == before
        assert after is not None
        assert after.subscribed_at == NOW
        assert after.last_sent_at is not None
        assert after.last_sent_at.tzinfo is not None
        reopened.record_usage("digest", "m", Usage(calls=1))  # the index's own tables still work
        assert reopened.total_usage().calls == 1
    finally:
        reopened.close()


def test_moving_east_rebases_so_no_second_digest_that_day(store: SubscriptionStore) -> None:
    # 08:00 in Los Angeles on 5 May is 15:00 UTC, already 00:00 on 6 May in Tokyo.
    sent_at = datetime(2025, 5, 5, 15, 0, tzinfo=UTC)
    store.subscribe(1, time(8, 0), "America/Los_Angeles", NOW)
    store.mark_sent(1, D2, sent_at)
    moved_at = sent_at + timedelta(minutes=5)
    sub = store.subscribe(1, time(8, 0), "Asia/Tokyo", moved_at)
    assert sub.last_date == D3
    assert store.get(1) == sub
    # At Tokyo's 08:00 on 6 May the digest already sent counts: nothing is due.
    tick = datetime(2025, 5, 5, 23, 1, tzinfo=UTC)
    decision = decide(tick, sub.at, sub.zone, last_date=sub.last_date,
                      subscribed_at=sub.subscribed_at, grace=timedelta(hours=3))  # fmt: skip
    assert decision.action == "wait"


def test_same_zone_keeps_a_skipped_date(store: SubscriptionStore) -> None:
    store.subscribe(1, time(8, 0), "Europe/Paris", NOW)
    store.mark_sent(1, D1, NOW - timedelta(days=1))
    store.mark_skipped(1, D3)
    sub = store.subscribe(1, time(10, 0), "Europe/Paris", NOW)
    assert sub.last_date == D3  # no rebase without a zone change


def test_bad_input_is_rejected(store: SubscriptionStore) -> None:
    with pytest.raises(ScheduleError, match="Unknown time zone"):
        store.subscribe(1, time(8, 0), "Mars/Olympus", NOW)
    with pytest.raises(ValueError, match="naive"):
        store.subscribe(1, time(8, 0), "UTC", datetime(2025, 5, 5, 12, 0))  # noqa: DTZ001
    assert store.get(1) is None  # the failed transaction left nothing behind


def test_a_send_that_lands_after_a_zone_change_counts_in_the_new_calendar(
    store: SubscriptionStore,
) -> None:
    from datetime import UTC, date, datetime

    from bot.digest.schedule import decide

    la_morning = datetime(2025, 5, 5, 15, 0, tzinfo=UTC)  # Mon 08:00 in Los Angeles
    store.subscribe(9, time(8, 0), "America/Los_Angeles", la_morning - timedelta(days=3))
    # The Monday digest is being built when the chat moves to Tokyo ...
    store.subscribe(9, time(8, 0), "Asia/Tokyo", la_morning + timedelta(minutes=1))
    # ... and lands at 00:02 on Tuesday, Tokyo time.
    store.mark_sent(
        9, date(2025, 5, 5), la_morning + timedelta(minutes=2), tz="America/Los_Angeles"
    )
    sub = store.get(9)
    assert sub is not None
    assert sub.last_date == date(2025, 5, 6)  # Tuesday in Tokyo is done
    tokyo_tuesday_8am = datetime(2025, 5, 5, 23, 1, tzinfo=UTC)
    decision = decide(tokyo_tuesday_8am, sub.at, sub.zone, last_date=sub.last_date,
                      subscribed_at=sub.subscribed_at, grace=timedelta(hours=3))  # fmt: skip
    assert decision.action == "wait"
