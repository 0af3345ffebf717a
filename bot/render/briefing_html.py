"""Turn briefings and errors into Telegram HTML (parse_mode=HTML).

Splitting long messages within Telegram's limits: bot/render/split.py.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.extractive.reasons import without_model_label
from bot.models import Polarity
from bot.render.dates import UTC_DATES, DateStyle
from bot.render.trust_marks import (
    ANALYSIS_TITLE,
    SOURCE_MISSING,
    QuoteMark,
    Style,
    field_flags,
    flag_note,
    quote_mark,
    trust_footer,
)

if TYPE_CHECKING:
    from bot.models import ArticleRef, Briefing, CheckedActor, CheckedStance, StoredBriefing

_MAX_ALIASES = 3
_ALIAS_CHARS = 40
_EXPANDABLE_FROM = 300  # quotes longer than this start collapsed, so one stance can't fill a screen
_ERROR_CHARS = 500
MARKS = {
    Polarity.SUPPORTS: "✅",
    Polarity.OPPOSES: "❌",
    Polarity.NEUTRAL: "⚪",
    Polarity.MIXED: "🔀",
}

_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")


def esc(text: str) -> str:
    """Escape text for a Telegram HTML body (use `link` for anything that goes in an attribute)."""
    return escape(text, quote=False)


def link(url: str, text: str) -> str:
    """Render `<a href>` for http(s) URLs only; anything else becomes plain escaped text."""
    label = text if text.strip() else url
    target = url.strip()
    if not _is_web_url(target):
        return esc(label)
    return f'<a href="{escape(target, quote=True)}">{esc(label)}</a>'


def _is_web_url(url: str) -> bool:
    # Control and space characters are how schemes like "java\tscript:" get smuggled past
    # naive checks, so refuse them outright instead of trying to normalise them.
    if not url or any(c.isspace() or not c.isprintable() for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


def message_link(chat_id: int, message_id: int | None, username: str | None = None) -> str | None:
    """Link a message in a supergroup or channel; None where Telegram has no such link."""
    digits = str(chat_id)
    # Only supergroups and channels (ids -100XXXXXXXXXX) have message links; private chats
    # and basic groups do not, whatever username they have.
    if message_id is None or not digits.startswith("-100"):
        return None
    if username and _USERNAME.fullmatch(username.removeprefix("@")):
        return f"https://t.me/{username.removeprefix('@')}/{message_id}"
    return f"https://t.me/c/{digits[4:]}/{message_id}"


def article_url(
    source_url: str | None, chat_id: int, message_id: int | None, username: str | None = None
) -> str | None:
    """Prefer an article's own web URL, else the forwarded message in the chat."""
    if source_url and _is_web_url(source_url.strip()):
        return source_url.strip()
    return message_link(chat_id, message_id, username)


def _shorten(text: str, limit: int) -> str:
    # Shorten before escaping, so the cut can never fall inside an entity.
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_error(message: str, error_id: str | None = None) -> str:
    """Render a short, escaped, user-facing error message."""
    text = f"⚠️ {esc(_shorten(message.strip() or 'Something went wrong.', _ERROR_CHARS))}"
    if error_id:
        # No <i> around <code>: Telegram refuses code nested inside other entities.
        text += f"\nError ID: <code>{esc(_shorten(error_id, 64))}</code>"
    return text


def extractive_label(reason: str) -> str:
    """Say, in one line, that a briefing was made without the LLM, why, and what would help."""
    return without_model_label(reason)


def render_briefing(
    stored: StoredBriefing,
    *,
    show_unverified: bool = True,
    cached: bool = False,
    dates: DateStyle = UTC_DATES,
) -> str:
    """Render a stored briefing as one Telegram HTML string (pass it through split_html)."""
    b = stored.briefing
    head = [f"<b>{esc(b.headline.strip())}</b>"] if b.headline.strip() else []
    head += _flagged(b, "headline") if head else []
    head += [line for line in [_source_line(stored.article)] if line]
    if stored.article.published_at is not None:
        head.append(f"<i>{esc(published_line(stored.article, dates))}</i>")
    if stored.extractive_reason:
        head.append(f"<i>{esc(extractive_label(stored.extractive_reason))}</i>")
    blocks = ["\n".join(head)]
    if b.tldr.strip():
        blocks.append("\n".join([f"<b>TL;DR</b>\n{esc(b.tldr.strip())}", *_flagged(b, "tldr")]))
    points = [_point(b, i) for i, p in enumerate(b.key_points) if p.text.strip()]
    if points:
        blocks.append("<b>Key points</b>\n" + "\n".join(points))
    if b.why_it_matters.strip():
        why = f"<b>{esc(ANALYSIS_TITLE)}</b>\n{esc(b.why_it_matters.strip())}"
        blocks.append("\n".join([why, *_flagged(b, "why_it_matters")]))
    speaking = [a for a in b.actors if a.stances]
    if speaking:
        # A blank line between actors gives split_html a paragraph boundary to cut at.
        actors = "\n\n".join(_render_actor(a, show_unverified=show_unverified) for a in speaking)
        blocks.append(f"<b>Actors &amp; stances</b>\n{actors}")
    if mentioned := [a.name.strip() for a in b.actors if not a.stances and a.name.strip()]:
        blocks.append(f"<i>Also mentioned:</i> {esc(', '.join(mentioned))}")
    notes = [esc(footer)] if (footer := trust_footer(b)) else []
    notes += ["⚡ from cache"] if cached else []
    if notes:
        lines = "\n".join(notes)  # what was checked, then where it came from
        blocks.append(f"<i>{lines}</i>")
    return "\n\n".join(block for block in blocks if block)


def published_line(article: ArticleRef, dates: DateStyle = UTC_DATES) -> str:
    """Say when the article was published and how that is known: "Published 4 Dec (page)"."""
    if article.published_at is None:
        return ""
    return f"Published {dates.published(article.published_at, article.published_from)}"


def _flagged(b: Briefing, field: str, index: int | None = None) -> list[str]:
    note = flag_note(field_flags(b, field, index))
    return [f"<i>{esc(note)}</i>"] if note else []


def _point(b: Briefing, index: int) -> str:
    point = b.key_points[index]
    marks = _flagged(b, "key_points", index)
    if point.source_found is False:
        marks.append(f"<i>{esc(SOURCE_MISSING)}</i>")
    return "\n".join([f"• {esc(point.text.strip())}", *(f"  {m}" for m in marks)])


def _source_line(article: ArticleRef) -> str:
    parts = []
    source = article.source
    if source is not None and (source.label.strip() or source.url):
        parts.append(link(source.url, source.label) if source.url else esc(source.label))
    if article.truncated_from:
        parts.append(
            f"(truncated: first {article.chars:,} of {article.truncated_from:,} characters)"
        )
    return f"<i>{' '.join(parts)}</i>" if parts else ""


def _render_actor(actor: CheckedActor, *, show_unverified: bool) -> str:
    name = actor.name.strip()
    seen = {name.casefold()}
    aliases = []
    for alias in (a.strip() for a in actor.aliases):
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            aliases.append(_shorten(alias, _ALIAS_CHARS))
    head = f"<b>{esc(name)}</b>"
    if aliases:
        more = ", …" if len(aliases) > _MAX_ALIASES else ""
        head += f" ({esc(', '.join(aliases[:_MAX_ALIASES]))}{more})"
    head += f" · <i>{esc(actor.kind.value)}</i>"
    stances = [_render_stance(s, name, show_unverified=show_unverified) for s in actor.stances]
    return "\n".join([head, *stances])


def _render_stance(stance: CheckedStance, actor: str, *, show_unverified: bool) -> str:
    polarity = stance.polarity
    line = f"{MARKS[polarity]} {polarity.value}"
    if stance.target.strip():  # the extractive briefing leaves out a target it cannot cut whole
        line += f" <i>{esc(stance.target.strip())}</i>"
    if stance.position.strip():
        line += f": {esc(stance.position.strip())}"
    quote = stance.quote.strip()
    if not quote:
        return line
    mark = quote_mark(stance, actor, show_unverified=show_unverified)
    return f"{line}\n{quote_html(mark, quote)}"


def quote_html(mark: QuoteMark, quote: str) -> str:
    """Render a quote as its mark says: a blockquote only for the actor's own words."""
    if mark.style is Style.OWN:
        # Only the actor's own words, found in the article, earn a blockquote.
        tag = "blockquote expandable" if len(quote) > _EXPANDABLE_FROM else "blockquote"
        via = f"\n<i>{esc(mark.label)}</i>" if mark.label else ""
        return f"<{tag}>{esc(quote)}</blockquote>{via}"
    if mark.style is Style.REPORTED:
        return f"<i>“{esc(quote)}”</i> {esc(mark.label)}"
    if mark.style is Style.NOTE:
        return f"{esc(mark.label)}: “{esc(quote)}”"
    return f"<i>{esc(mark.label)}</i>"
