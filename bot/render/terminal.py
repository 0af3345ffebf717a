"""Plain-text rendering for the terminal (the CLI's view of a briefing)."""

from __future__ import annotations

import html
import re
import textwrap

from bot.articles.dates import published_label
from bot.models import Briefing, CheckedActor, CheckedStance, Polarity, StoredBriefing
from bot.render.trust_marks import (
    ANALYSIS_TITLE,
    SOURCE_MISSING,
    Style,
    field_flags,
    flag_note,
    quote_mark,
    trust_footer,
)

POLARITY_MARK = {
    Polarity.SUPPORTS: "[+]",
    Polarity.OPPOSES: "[-]",
    Polarity.NEUTRAL: "[=]",
    Polarity.MIXED: "[~]",
}


_BLOCKQUOTE = re.compile(r"<blockquote[^>]*>(.*?)</blockquote>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(markup: str) -> str:
    """Turn our Telegram HTML into plain text (quotes indented, links as their text)."""
    markup = _BLOCKQUOTE.sub(lambda m: "    “" + m.group(1).strip() + "”", markup)
    return html.unescape(_TAG.sub("", markup))


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(
        text, width=88, initial_indent=indent, subsequent_indent=" " * len(indent) + "  "
    )


def briefing_text(stored: StoredBriefing, *, show_unverified: bool = True) -> str:
    """Render a stored briefing as readable plain text."""
    b = stored.briefing
    lines = [b.headline.strip(), "=" * min(len(b.headline.strip()), 88), *_flags(b, "headline")]
    lines.append("")
    if stored.extractive_reason:
        lines += [f"(Made without the language model: {stored.extractive_reason}.)", ""]
    if stored.article.source:
        lines.append(f"Source: {stored.article.source.label}")
    if stored.article.published_at is not None:
        shown = published_label(stored.article.published_at, stored.article.published_from)
        lines.append(f"Published {shown}")
    if stored.article.truncated_from:
        lines.append(
            f"(Article truncated: briefed the first {stored.article.chars:,} of "
            f"{stored.article.truncated_from:,} characters.)"
        )
    lines += ["", _wrap(b.tldr), *_flags(b, "tldr"), "", "Key points:"]
    for i, point in enumerate(b.key_points):
        lines += [_wrap(point.text, "  * "), *_flags(b, "key_points", i, indent="      ")]
        lines += [f"      {SOURCE_MISSING}"] if point.source_found is False else []
    if b.why_it_matters.strip():
        lines += ["", f"{ANALYSIS_TITLE}:", _wrap(b.why_it_matters, "  ")]
        lines += _flags(b, "why_it_matters", indent="  ")
    lines += _actor_lines(stored, show_unverified=show_unverified)
    if mentioned := [f"{a.name} [{a.kind.value}]" for a in b.actors if not a.stances]:
        lines += ["", _wrap("Also mentioned: " + ", ".join(mentioned))]
    if footer := trust_footer(b):
        lines += ["", _wrap(footer)]
    return "\n".join(lines)


def _flags(b: Briefing, field: str, index: int | None = None, *, indent: str = "") -> list[str]:
    note = flag_note(field_flags(b, field, index))
    return [_wrap(note, indent)] if note else []


def _actor_lines(stored: StoredBriefing, *, show_unverified: bool) -> list[str]:
    speaking = [a for a in stored.briefing.actors if a.stances]
    lines = ["", "Actors and stances:"] if speaking else []
    for actor in speaking:
        aka = f" (aka {', '.join(actor.aliases[:3])})" if actor.aliases else ""
        lines.append(f"  {actor.name}{aka} [{actor.kind.value}]")
        for s in actor.stances:
            target = f" {s.target}:" if s.target.strip() else ""
            lines.append(_wrap(f"{POLARITY_MARK[s.polarity]}{target} {s.position}", "    "))
            lines += _quote_lines(s, actor, show_unverified=show_unverified)
    return lines


def _quote_lines(s: CheckedStance, actor: CheckedActor, *, show_unverified: bool) -> list[str]:
    if not s.quote.strip():
        return []
    mark = quote_mark(s, actor.name, show_unverified=show_unverified)
    if mark.style is Style.OWN:
        via = [f"        ({mark.label})"] if mark.label else []
        return [_wrap(f'"{s.quote}"', "        "), *via]
    if mark.style is Style.REPORTED:
        return [_wrap(f'{mark.label} "{s.quote}"', "      ")]
    if mark.style is Style.NOTE:
        return [_wrap(f'{mark.label}: "{s.quote}"', "      ")]
    return [f"      {mark.label}"]
