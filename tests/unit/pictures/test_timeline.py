"""The timeline's layout: lanes by issue, one mark per article and issue, shifts as arrows."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.pictures.captions import timeline_caption
from bot.pictures.timeline import MAX_LANES, MAX_MARKS, build_timeline
from bot.render.dates import DateStyle
from tests.unit.pictures.rows import newest_first, row


def sources(hashes: Collection[str]) -> dict[str, str]:
    return {h: f"source {h}" for h in hashes}


def test_marks_are_numbered_oldest_first_in_one_lane_per_issue() -> None:
    rows = newest_first([
        row("a", "sanctions on Russia", "supports", day=0),
        row("b", "talks with Iran", "opposes", day=3),
        row("c", "Russian sanctions", "opposes", day=5),  # the same issue, paraphrased
    ])  # fmt: skip
    timeline = build_timeline("Kaja Kallas", rows, sources)
    assert timeline is not None
    assert len(timeline.lanes) == 2
    assert [(m.number, m.source) for m in timeline.marks] == [
        (1, "source a"), (2, "source b"), (3, "source c"),
    ]  # fmt: skip
    assert timeline.marks[0].lane == timeline.marks[2].lane != timeline.marks[1].lane
    assert timeline.arrows == ((1, 3),)  # supports -> opposes on sanctions


def test_one_articles_disagreeing_stances_on_an_issue_are_one_mixed_mark() -> None:
    rows = newest_first([
        row("a", "sanctions on Russia", "supports", day=0),
        row("a", "sanctions against Russia", "opposes", day=0),
        row("b", "talks with Iran", "neutral", day=1),
    ])  # fmt: skip
    timeline = build_timeline("X", rows, sources)
    assert timeline is not None
    assert [m.polarity for m in timeline.marks] == ["mixed", "neutral"]


def test_narration_never_makes_an_arrow() -> None:
    rows = newest_first([
        row("a", "sanctions on Russia", "supports", day=0),
        row("b", "sanctions on Russia", "opposes", day=2, provenance="narration"),
    ])  # fmt: skip
    timeline = build_timeline("X", rows, sources)
    assert timeline is not None
    assert timeline.arrows == ()


def test_fewer_than_two_dated_stances_make_no_timeline() -> None:
    assert build_timeline("X", [row("a", "t", "supports", day=0)], sources) is None
    undated = [row("a", "t", "supports", day=0), row("b", "t", "opposes", day=1, dated_from=None)]
    assert build_timeline("X", newest_first(undated), sources) is None


def test_the_newest_marks_and_busiest_issues_are_kept_and_the_rest_counted() -> None:
    rows = [row(f"a{i}", "sanctions on Russia", "supports", day=i) for i in range(MAX_MARKS + 5)]
    rows += [row(f"b{i}", f"issue number {i}", "opposes", day=i) for i in range(MAX_LANES + 2)]
    timeline = build_timeline("X", newest_first(rows), sources)
    assert timeline is not None
    assert len(timeline.marks) == MAX_MARKS
    assert len(timeline.lanes) == MAX_LANES
    assert timeline.lanes[0] == "sanctions on Russia"
    assert timeline.left_out == len(rows) - MAX_MARKS
    assert [m.number for m in timeline.marks] == list(range(1, MAX_MARKS + 1))


def test_marks_fall_on_the_chat_s_day_and_the_caption_writes_it_in_the_one_date_style() -> None:
    # 23:30 UTC on 1 Sep is 2 Sep in Tokyo; a dateline's day is the text's own in every zone.
    late = timedelta(hours=14, minutes=30)
    rows = newest_first([
        row("a", "sanctions on Russia", "supports", day=0, dated_from="page", late=late),
        row("b", "sanctions on Russia", "opposes", day=3, dated_from="dateline", late=late),
    ])  # fmt: skip
    tokyo = DateStyle.at(ZoneInfo("Asia/Tokyo"), datetime(2026, 12, 7, tzinfo=UTC))
    timeline = build_timeline("X", rows, sources, tokyo)
    assert timeline is not None
    assert [m.day for m in timeline.marks] == [date(2026, 9, 2), date(2026, 9, 4)]
    caption = timeline_caption(timeline, tokyo)
    assert "1. source a, 2 Sep ▲" in caption  # the current year left out, as /who writes it
    assert "2. source b, 4 Sep ▼" in caption
    in_utc = build_timeline("X", rows, sources)
    assert in_utc is not None
    assert "1. source a, 1 Sep 2026 ▲" in timeline_caption(in_utc)  # the terminal: UTC, a year
