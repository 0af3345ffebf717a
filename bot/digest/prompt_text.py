"""Write a digest prompt's parts: the language asked for, the period, one entry per briefing."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from bot.briefing.languages import language_of
from bot.checks.provenance import Provenance
from bot.llm.delimiters import delimit
from bot.models import CheckedStance, StoredBriefing

_SPACE = re.compile(r"\s+")


def language_instruction(language: str | None) -> str:
    """Say which language to write the digest in."""
    if language:
        return f"Write the digest in {language_of(language).name}."  # by its tag, not typed text
    return "Write the digest in the language most of the briefings are written in."


def describe_period(since: datetime, until: datetime) -> str:
    """Describe a window in UTC, e.g. "2025-05-06 08:00 to 2025-05-07 08:00 UTC (24 h)"."""
    hours = round((until - since).total_seconds() / 3600)
    a, b = since.astimezone(UTC), until.astimezone(UTC)
    return f"{a:%Y-%m-%d %H:%M} to {b:%Y-%m-%d %H:%M} UTC ({hours} h)"


def one_line(text: str) -> str:
    """Put text on one line with our delimiters neutralised."""
    # One line per field, our markers neutralised: a briefing cannot fake an entry or end
    # the untrusted block (its text comes from articles, so it is untrusted too).
    return delimit(_SPACE.sub(" ", text).strip())


def briefing_entry(
    cid: str, stored: StoredBriefing, sources: Iterable[str] = (), published: str | None = None
) -> str:
    """Render one briefing as a compact numbered prompt entry."""
    b = stored.briefing
    lines = [f"[{cid}] {one_line(b.headline)}"]
    if published:
        lines.append(f"Published: {published}")
    if names := [one_line(s) for s in sources]:
        lines.append(f"Sources: {'; '.join(names)}")
    lines.append(f"Summary: {one_line(b.tldr)}")
    lines += [f"- {one_line(p.text)}" for p in b.key_points[:4]]
    stances = [
        f"{one_line(a.name)}{' → ' + one_line(s.target) if s.target.strip() else ''}: "
        f"{s.polarity.value}{_evidence(s)}"
        for a in b.actors
        for s in a.stances
    ]
    if stances:
        lines.append("Stances: " + "; ".join(stances[:8]))
    return "\n".join(lines)


_EVIDENCE = {
    Provenance.DIRECT: "",
    Provenance.VIA: "",
    Provenance.REPORTED: " (reported, not quoted)",
    Provenance.NARRATION: " (not their words: the reporter's)",
    Provenance.MISATTRIBUTED: " (not their words: someone else's)",
    Provenance.NOT_FOUND: " (quote not in the article)",
}


def _evidence(stance: CheckedStance) -> str:
    """Say in a few words what backs a stance, for the digest model to weigh."""
    if stance.provenance is None:
        return "" if stance.verified else " (quote not in the article)"
    return _EVIDENCE[stance.provenance]
