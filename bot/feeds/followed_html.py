"""Followed sources as Telegram HTML (the terminal strips the tags)."""

from __future__ import annotations

from datetime import datetime

from bot.feeds.follows_store import Follow
from bot.render.briefing_html import esc, link
from bot.render.dates import UTC_DATES, DateStyle


def _ago(moment: datetime, now: datetime) -> str:
    minutes = int((now - moment).total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 120:  # noqa: PLR2004
        return f"{minutes} min ago"
    hours = minutes // 60
    return f"{hours} h ago" if hours < 48 else f"{hours // 24} days ago"  # noqa: PLR2004


def every(seconds: float) -> str:
    """Say a polling interval the way a person would ("15 min", "45 s", "2 h")."""
    if seconds < 120:  # noqa: PLR2004
        return f"{seconds:g} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes / 60:g} h"  # noqa: PLR2004


def describe_follow(follow: Follow, now: datetime, dates: DateStyle = UTC_DATES) -> str:
    """Describe one followed source for /following (HTML), its times in the chat's zone."""
    s = follow.source
    kind = "channel" if s.kind == "channel" else "feed"
    head = f"<b>{esc(s.title)}</b> · {kind}{' · live' if follow.live else ''}"
    lines = [head, link(s.url, s.url)]
    if s.ok_at is not None:
        lines.append(f"✓ last checked {dates.clock(s.ok_at)} ({_ago(s.ok_at, now)})")
    else:
        lines.append("… not checked yet")
    if s.error:
        retry = "paused" if s.paused else "retrying later"
        lines.append(f"⚠️ last error: {esc(s.error)} ({s.failures} in a row; {retry})")
    if s.paused:
        lines.append(f"⏸ paused after failing for days; /follow {esc(s.url)} to resume")
    return "\n".join(lines)
