"""The trust marks' wording, shared by every renderer: whose words a quote is, what was checked.

What each mark means is documented for users in docs/trust.md; keep the two in step.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from bot.checks.provenance import Provenance
from bot.models import Briefing, CheckedStance, SummaryFlag
from bot.render.plural import counted, form


class Style(Enum):
    """How a stance's quote may be shown."""

    OWN = "own"  # the actor's own words: a blockquote
    REPORTED = "reported"  # attributed indirect speech: italics, marked, never a blockquote
    NOTE = "note"  # shown as plain text behind a warning that says whose words they are
    WITHHELD = "withheld"  # not shown: only the warning


class Evidence(Protocol):
    """What the marks read of a stance: a briefing's `CheckedStance` or an indexed row."""

    @property
    def provenance(self) -> Provenance | None:
        """Return whose words the quote is (None: recorded before provenance)."""
        ...

    @property
    def verified(self) -> bool:
        """Return whether the quote is the actor's own words, found in the article."""
        ...

    @property
    def speaker(self) -> str | None:
        """Return who the article gives the words to, when not this actor."""
        ...

    @property
    def via(self) -> str | None:
        """Return the relay the words came through."""
        ...


@dataclass(frozen=True)
class QuoteMark:
    """What to show for one stance's quote: a style and the words that label it."""

    style: Style
    label: str  # "via KCNA", "(reported)", "⚠️ said by Lee, not Kim", "" for plain own words


# One return per mark: the function reads as the table in docs/trust.md.
def quote_mark(stance: Evidence, actor: str, *, show_unverified: bool) -> QuoteMark:  # noqa: PLR0911
    """Decide how a stance's quote is shown, from its provenance."""
    provenance = stance.provenance
    if provenance is Provenance.DIRECT:
        return QuoteMark(Style.OWN, "")
    if provenance is Provenance.VIA:
        relay = stance.via or "a third party"
        if not stance.verified:  # unquoted: the relay's paraphrase, the position not the words
            return QuoteMark(Style.REPORTED, f"(reported via {relay})")
        return QuoteMark(Style.OWN, f"via {relay}")
    if provenance is Provenance.REPORTED:
        return QuoteMark(Style.REPORTED, "(reported)")
    if provenance is None and stance.verified:
        # Checked before provenance was recorded: found, but whose words was never asked.
        return QuoteMark(Style.NOTE, "found in the article (speaker not checked)")
    if provenance is Provenance.NARRATION:
        warning = f"📰 reporter's words, not {actor}'s"
    elif provenance is Provenance.MISATTRIBUTED:
        warning = f"⚠️ said by {stance.speaker or 'someone else'}, not {actor}"
    else:  # NOT_FOUND, or an old unverified stance
        warning = "⚠️ not found in the article"
    if show_unverified:
        return QuoteMark(Style.NOTE, warning)
    return QuoteMark(Style.WITHHELD, f"{warning} (quote withheld)")


def _count(n: int, one: str, many: str) -> str:
    return counted(n, one, many)


def _is(n: int) -> str:
    return form(n, "is")


_OTHER_CLASSES = [
    (Provenance.REPORTED, "reported speech"),
    (Provenance.NARRATION, "the reporter's"),
    (Provenance.MISATTRIBUTED, "another speaker's"),
    (Provenance.NOT_FOUND, "not in the article"),
]


def quotes_footer(stances: list[CheckedStance]) -> str:
    """Say what the quote check found, e.g. "4 of 5 quotes are the actor's own words, …"."""
    if not stances:
        return ""
    # A relay's unquoted paraphrase is reported speech: the actor's position, not words.
    classes = Counter(
        Provenance.REPORTED if s.provenance is Provenance.VIA and not s.verified else s.provenance
        for s in stances
    )
    unchecked = [s for s in stances if s.provenance is None]
    own = classes[Provenance.DIRECT] + classes[Provenance.VIA]
    total = len(stances)
    if len(unchecked) == total:  # stored before provenance: only "found" was checked
        found = sum(s.verified for s in stances)
        quotes = _count(total, "quote", "quotes")
        return f"{found} of {quotes} found in the article (speakers not checked)."
    verb = _is(own or total)
    head = f"{own} of {_count(total, 'quote', 'quotes')} {verb} the actor's own words"
    head += ", found in the article"
    rest = [f"{n} {_is(n)} {words}" for cls, words in _OTHER_CLASSES if (n := classes[cls])]
    if old_found := sum(s.verified for s in unchecked):
        rest.append(f"{old_found} {_is(old_found)} found, speaker not checked")
    if old_missing := len(unchecked) - old_found:
        rest.append(f"{old_missing} {_is(old_missing)} not in the article")
    return head + ("; " + ", ".join(rest) if rest else "") + "."


_KINDS = {"number": ("figure", "figures"), "date": ("date", "dates"), "name": ("name", "names")}


def summary_footer(briefing: Briefing) -> str:
    """Say what the summary check found, e.g. "1 figure in the summary is not in the article."."""
    if not briefing.summary_checked:
        return ""
    kinds = Counter(flag.kind for flag in briefing.summary_flags)
    parts = [_count(n, *_KINDS.get(kind, ("item", "items"))) for kind, n in kinds.items()]
    lost = sum(p.source_found is False for p in briefing.key_points)
    lines = []
    if parts:
        said = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        lines.append(f"{said} in the summary {_is(sum(kinds.values()))} not in the article.")
    else:
        lines.append("Every figure, date and name in the summary is in the article.")
    if lost:
        whose = (
            "key point's source sentence is" if lost == 1 else "key points' source sentences are"
        )
        lines.append(f"{lost} {whose} not in the article.")
    return " ".join(lines)


def trust_footer(briefing: Briefing) -> str:
    """Say exactly what was checked and what failed, in one or two sentences."""
    stances = [s for a in briefing.actors for s in a.stances]
    return " ".join(part for part in (quotes_footer(stances), summary_footer(briefing)) if part)


def flag_note(flags: list[SummaryFlag]) -> str:
    """Mark a field's unsupported items: "⚠️ not in the article: 25,000, Friday"."""
    return "⚠️ not in the article: " + ", ".join(f.text for f in flags) if flags else ""


def field_flags(briefing: Briefing, field: str, index: int | None = None) -> list[SummaryFlag]:
    """Give the summary flags of one field (one key point when `index` is given)."""
    return [f for f in briefing.summary_flags if f.field == field and f.index == index]


SOURCE_MISSING = "⚠️ its source sentence is not in the article"
ANALYSIS_TITLE = "Why it matters (analysis)"
