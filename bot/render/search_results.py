"""/search results as Telegram HTML and as terminal text (pure functions)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.render.briefing_html import esc, link, message_link
from bot.render.dates import UTC_DATES, DateStyle
from bot.search.archive import MANY, Hit
from bot.search.snippets import MARK_END, MARK_START

PAGE = 5  # hits per message
USAGE = (
    "Send <code>/search WORDS</code> to search this chat's articles, e.g. "
    "<code>/search sanctions actor:kim since:30d</code>. Filters: <code>actor:</code>, "
    "<code>source:@channel</code> or a site, <code>since:</code> and <code>until:</code> "
    '(2026-11-01, 30d, 2w), <code>lang:ru</code>; "quotes" for an exact phrase.'
)
NOTHING = (
    "Nothing found for “{query}”. Try fewer words, another form of a name, or drop a filter. "
    "Only articles sent to this chat are searched."
)


def marks_html(snippet: str) -> str:
    r"""Escape a snippet and turn its \x02…\x03 marks into <b>…</b>."""
    return esc(snippet).replace(MARK_START, "<b>").replace(MARK_END, "</b>")


def results_html(
    hits: Sequence[Hit],
    total: int,
    *,
    query: str,
    page: int,
    chat_id: int,
    username: str | None = None,
    dates: DateStyle = UTC_DATES,
) -> str:
    """Render one page of hits: number, title, date · source · links, the marked snippet."""
    pages = max(1, -(-total // PAGE))
    head = f"🔎 <b>{_count(total)}</b> {'article' if total == 1 else 'articles'} for “{esc(query)}”"
    lines = [head + (f" · page {page + 1} of {pages}" if pages > 1 else "")]
    for n, hit in enumerate(hits, page * PAGE + 1):
        meta = [dates.date(hit.published)] if hit.published else []
        if hit.source_label:
            meta.append(esc(hit.source_label))
        if hit.source_url:
            meta.append(link(hit.source_url, "original"))
        if (url := message_link(chat_id, hit.message_id, username)) is not None:
            meta.append(link(url, "in this chat"))
        elif hit.message_id is not None:
            meta.append(f"↩ {n}")  # the button with this number replies to the message
        title = esc(hit.title or "Untitled article")
        lines.append(f"\n<b>{n}.</b> {title}\n{' · '.join(meta)}\n{marks_html(hit.snippet)}")
    return "\n".join(lines)


def results_text(hits: Sequence[Hit], total: int, *, query: str) -> str:
    """Render hits for the terminal: the matched words in [brackets]."""
    lines = [f"{_count(total)} {'article' if total == 1 else 'articles'} for “{query}”"]
    for n, hit in enumerate(hits, 1):
        meta = " · ".join(
            x for x in (hit.published and UTC_DATES.date(hit.published), hit.source_label) if x
        )
        snippet = hit.snippet.replace(MARK_START, "[").replace(MARK_END, "]")
        lines += [f"\n{n}. {hit.title or 'Untitled article'}", f"   {meta}"]
        if hit.source_url:
            lines.append(f"   {hit.source_url}")
        lines.append(f"   {snippet}")
    return "\n".join(lines)


def _count(total: int) -> str:
    """Say how many matched: past MANY only the newest MANY are ranked, so "2,000+"."""
    return f"{MANY:,}+" if total >= MANY else str(total)
