"""The HTML that goes with a picture: the timeline's sources, the map's key and its text twin."""

from __future__ import annotations

from html import escape

from bot.pictures.limits import MAX_CAPTION, shown_length
from bot.pictures.palette import style
from bot.pictures.stance_map import StanceMap
from bot.pictures.timeline import Timeline
from bot.render.dates import UTC_DATES, DateStyle
from bot.render.plural import counted


def period(days: int) -> str:
    """Return "last day" or "last N days"."""
    return "last day" if days == 1 else f"last {days} days"


def _fit(head: str, lines: list[str]) -> str:
    """Join a head and lines, cutting lines so the shown text stays within the caption limit."""
    for keep in range(len(lines), -1, -1):
        more = len(lines) - keep
        tail = [f"…and {more} more"] if more else []
        html = "\n".join([head, *lines[:keep], *tail])
        if shown_length(html) <= MAX_CAPTION:
            return html
    return head  # pragma: no cover - a head alone always fits


def timeline_caption(timeline: Timeline, dates: DateStyle = UTC_DATES) -> str:
    """List the timeline's numbered marks as "source, date" (HTML, within 1,024 characters)."""
    marks = counted(len(timeline.marks), "mark")
    head = f"<b>{escape(timeline.actor[:200])}</b>: {marks}, oldest first"
    lines = [
        f"{m.number}. {escape(m.source[:80])}, {dates.date(m.day)} {style(m.polarity).symbol}"
        for m in timeline.marks
    ]
    return _fit(head, lines)


def map_caption(data: StanceMap) -> str:
    """Say what the map shows, briefly (HTML)."""
    about = f" on “{escape(data.topic)}”" if data.topic else ""
    return (
        f"<b>Who stands where</b>{about}, {period(data.days)}: "
        f"{counted(len(data.actors), 'actor')}, {counted(len(data.issues), 'issue')}. "
        "▲ supports ▼ opposes ◆ mixed ● neutral; the number counts verified stances; "
        "a framed cell shifted in the period."
    )


def map_text(data: StanceMap) -> str:
    """Say in text what the map shows (when the picture cannot be sent)."""
    about = f" on “{escape(data.topic)}”" if data.topic else ""
    lines = [f"<b>Who stands where</b>{about}, {period(data.days)}"]
    for actor, cells in zip(data.actors, data.cells, strict=True):
        parts = [
            f"{escape(issue)}: {style(c.polarity).symbol} {c.polarity} ({c.verified} verified"
            f"{', shifted' if c.shifted else ''})"
            for issue, c in zip(data.issues, cells, strict=True)
            if c is not None
        ]
        lines.append(f"• <b>{escape(actor)}</b> — " + "; ".join(parts))
    return "\n".join(lines)
