"""Render digests: Telegram HTML for the chat, plain text for the terminal."""

from __future__ import annotations

import textwrap

from bot.actors.shifts import Shift
from bot.articles.dates import day_label, published_label
from bot.digest.models import DigestResult
from bot.digest.prompt_text import one_line
from bot.models import Source
from bot.render.briefing_html import MARKS, article_url, esc, link
from bot.store.index import ChatArticle

_LABEL_CHARS = 80
_MAX_SHIFTS = 10


def _url(article: ChatArticle, chat_id: int, username: str | None) -> str | None:
    source_url = article.source.url if article.source else None
    return article_url(source_url, chat_id, article.message_id, username)


def article_label(article: ChatArticle) -> str:
    """Name an article by its headline (or title), with its source when known."""
    name = one_line(article.headline or article.title or "untitled article")
    if len(name) > _LABEL_CHARS:
        name = name[: _LABEL_CHARS - 1].rstrip() + "…"
    return f"{name} ({one_line(article.source.label)})" if article.source else name


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _footer(result: DigestResult) -> str:
    parts = [
        _plural(result.article_count, "article"),
        f"{_plural(result.stance_count, 'stance')} ({result.verified_count} in own words)",
        _plural(len(result.shifts), "shift"),
    ]
    parts += [f"{result.omitted} older not included"] if result.omitted else []
    parts += ["⚡ from cache"] if result.cached else []
    parts += result.notes
    return " · ".join(parts)


def _shiftone_line(s: Shift) -> str:
    # Shared by both renderers (HTML escapes it whole: polarity values come from the index).
    day = f"{day_label(s.before_article.dated)} → {day_label(s.after_article.dated)}"
    return f"{s.actor} on {s.target}: {s.before} → {s.after} ({day})"


def render_digest(result: DigestResult, *, chat_id: int, chat_username: str | None = None) -> str:
    """Render a digest as Telegram HTML (pass it through split_html)."""

    def sources(citations: list[str]) -> list[str]:
        lines = []
        for cid in (c for c in citations if c in result.cited):
            article = result.cited[cid]
            url = _url(article, chat_id, chat_username)
            label = article_label(article)
            also = _also(result, cid, article)
            more = " · also " + ", ".join(link(s.url or "", s.label) for s in also) if also else ""
            day = published_label(article.dated, article.published_from)
            count = len(result.sources.get(cid, []))
            more += f" · {count} sources" if count > 1 else ""
            lines.append(f"↳ {link(url, label) if url else esc(label)} · {esc(day)}{more}")
        return lines

    d = result.draft
    blocks = [f"<b>🗞 {esc(d.headline.strip() or 'Digest')}</b>\n<i>{esc(result.period)}</i>"]
    blocks += [
        "\n".join([f"<b>{esc(t.title)}</b>", esc(t.summary), *sources(t.citations)])
        for t in d.themes
    ]
    if result.shifts:
        lines = [f"🔄 {esc(_shiftone_line(s))}" for s in result.shifts[:_MAX_SHIFTS]]
        if len(result.shifts) > _MAX_SHIFTS:
            lines.append(f"<i>… and {len(result.shifts) - _MAX_SHIFTS} more</i>")
        blocks.append("<b>Stance shifts</b>\n" + "\n".join(lines))
    if d.notable_stances:
        stances = [
            f"{MARKS[s.polarity]} <b>{esc(s.actor)}</b> {s.polarity.value} <i>{esc(s.target)}</i>"
            + "\n".join([f": {esc(s.note)}", *sources(s.citations)])
            for s in d.notable_stances
        ]
        blocks.append("<b>Notable stances</b>\n" + "\n\n".join(stances))
    if d.closing.strip():
        blocks.append(esc(d.closing.strip()))
    blocks.append(f"<i>{esc(_footer(result))}</i>")
    return "\n\n".join(blocks)


def _also(result: DigestResult, cid: str, article: ChatArticle) -> list[Source]:
    # The same article from other sources too (two feeds carrying one story): name them all.
    return [s for s in result.sources.get(cid, []) if s != article.source]


def render_digest_text(result: DigestResult) -> str:
    """Render a digest as plain text for the terminal."""

    def sources(citations: list[str]) -> list[str]:
        cited = [result.cited[c] for c in citations if c in result.cited]
        urls = [_url(a, result.chat_id, None) for a in cited]
        also = [_also(result, c, result.cited[c]) for c in citations if c in result.cited]
        return [
            f"    - {article_label(a)} · {published_label(a.dated, a.published_from)}"
            + (f" <{u}>" if u else "")
            + (" (also: " + ", ".join(s.label for s in more) + ")" if more else "")
            for a, u, more in zip(cited, urls, also, strict=True)
        ]

    d = result.draft
    lines = [(d.headline.strip() or "Digest").upper(), result.period]
    for t in d.themes:
        lines += ["", t.title, _wrap(t.summary, "  "), *sources(t.citations)]
    if result.shifts:
        lines += ["", "Stance shifts:", *(_wrap(_shiftone_line(s), "  * ") for s in result.shifts)]
    if d.notable_stances:
        lines += ["", "Notable stances:"]
        for s in d.notable_stances:
            lines.append(_wrap(f"{s.actor} {s.polarity.value} {s.target}: {s.note}", "  * "))
            lines += sources(s.citations)
    if d.closing.strip():
        lines += ["", _wrap(d.closing.strip())]
    return "\n".join([*lines, "", _footer(result)])


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(text, width=88, initial_indent=indent, subsequent_indent=indent + "  ")
