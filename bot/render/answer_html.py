"""Render /ask replies: the checked answer with [1] markers and its sources, as Telegram HTML.

The terminal (`briefbot ask`) gets the same reply as plain text with the links written out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.ask.models import AskResult, Mode
from bot.render.briefing_html import _shorten, esc, link, message_link
from bot.render.dates import UTC_DATES, DateStyle
from bot.render.terminal import html_to_text
from bot.search.archive import Passage

UNANSWERED = "Your articles don't say."
NO_MODEL = "Matching passages (no model configured)"
NOTHING = (
    "Nothing in this chat's articles matches the question. I answer only from the articles "
    "sent here: forward me news posts, then ask about them."
)
_PASSAGE_CHARS = 500  # a passage shown without a model: enough to read, short enough to scan
_TITLE_CHARS = 120


def render_answer(
    result: AskResult,
    chat_id: int,
    *,
    username: str | None = None,
    dates: DateStyle = UTC_DATES,
) -> str:
    """Render an /ask result as Telegram HTML (split it with render/split.py)."""
    return "\n".join(_lines(result, _Where(chat_id, username, dates), html=True))


def answer_text(result: AskResult, chat_id: int) -> str:
    """Render an /ask result as plain text for the terminal, links written out."""
    return html_to_text("\n".join(_lines(result, _Where(chat_id, None, UTC_DATES), html=False)))


@dataclass(frozen=True)
class _Where:
    """Where the answer is shown: the chat (for message links) and how it reads dates."""

    chat_id: int
    username: str | None
    dates: DateStyle


def _lines(result: AskResult, where: _Where, *, html: bool) -> list[str]:
    if result.mode is Mode.ANSWER:
        body = " ".join(
            f"{esc(s.text)} {''.join(f'[{n}]' for n in s.sources)}" for s in result.sentences
        )
        lines = [body, "", "<b>Sources</b>"]
        lines += [f"[{n}] {_source(p, where, html=html)}" for n, p in enumerate(result.sources, 1)]
        return lines
    if result.mode is Mode.PASSAGES:
        lines = [f"<b>{esc(NO_MODEL)}</b>"]
        for n, passage in enumerate(result.sources, 1):
            lines += [
                "",
                f"[{n}] <i>{esc(_shorten(' '.join(passage.text.split()), _PASSAGE_CHARS))}</i>",
                f"    {_source(passage, where, html=html)}",
            ]
        return lines
    lines = [f"<b>{esc(UNANSWERED)}</b>"]
    if (period := result.period) is not None:
        looked = _window(period.since, period.until, where.dates)
        lines.append(f"(I looked at articles {esc(looked)}.)")
    if result.sources:
        lines += ["", "Closest matches:"]
        lines += [f"• {_source(p, where, html=html)}" for p in result.sources]
    else:
        lines += ["", NOTHING]
    return lines


def _window(since: date | None, until: date | None, dates: DateStyle) -> str:
    if since and until:
        return f"dated {dates.days(since, until)}"
    return f"since {_day(since, dates)}" if since else f"until {_day(until, dates)}"


def _day(when: date | None, dates: DateStyle) -> str:
    return dates.date(when) if when else "undated"


def _source(passage: Passage, where: _Where, *, html: bool) -> str:
    """Write one source: date, source, title, and links to the original and the chat message."""
    title = _shorten(" ".join((passage.title or "untitled").split()), _TITLE_CHARS)
    parts = [esc(_day(passage.published, where.dates))]
    if passage.source_label:
        parts.append(esc(_shorten(passage.source_label, _TITLE_CHARS)))
    url = (passage.source_url or "").strip() or None
    message = message_link(where.chat_id, passage.message_id, where.username)
    if html:
        parts.append(link(url, title) if url else esc(title))
        if message:
            parts.append(link(message, "message"))
        return " · ".join(parts)
    parts.append(esc(title))
    parts += [esc(u) for u in (url, message) if u]
    return " · ".join(parts)
