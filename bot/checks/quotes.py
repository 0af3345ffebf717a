"""Checking a draft against its article: whose words each quote is, what the summary states.

`ground` is the one place a briefing's trust marks are decided, for the LLM path and the
extractive path alike: each stance's quote is classified (bot/checks/provenance.py), each key
point's source sentence is looked up, and the summary's numbers, dates and names are checked
(bot/checks/summary.py). It is CPU work (~15 ms per 2 KB to parse, up to 0.3 s for the summary
of a long article): callers on the event loop run it in a thread.
"""

from __future__ import annotations

import re

from bot.checks.provenance import ArticleQuotes, Provenance
from bot.checks.summary import check_briefing
from bot.models import (
    Actor,
    Briefing,
    BriefingDraft,
    CheckedActor,
    CheckedKeyPoint,
    CheckedStance,
    Stance,
    SummaryFlag,
)

_FIELD = re.compile(r"^(?P<name>\w+)(?:\[(?P<index>\d+)\])?$")


def _checked_stance(stance: Stance, actor: Actor, quotes: ArticleQuotes) -> CheckedStance:
    check = quotes.check(stance.quote, actor.name, actor.aliases)
    return CheckedStance(
        **stance.model_dump(),
        verified=check.own_words,
        provenance=check.provenance,
        quoted=check.quoted,
        # The speaker is kept when it is someone else (misattributed) or relayed (via);
        # for the actor's own words it would only repeat the actor's name.
        speaker=check.speaker if check.provenance is Provenance.MISATTRIBUTED else None,
        via=check.via if check.provenance is Provenance.VIA else None,
    )


def _summary_flags(draft: BriefingDraft, article_text: str) -> list[SummaryFlag]:
    flags = []
    for field in check_briefing(draft, article_text).failed:
        match = _FIELD.match(field.field)
        name = match["name"] if match else field.field
        index = int(match["index"]) if match and match["index"] else None
        flags += [
            SummaryFlag(field=name, index=index, kind=item.kind, text=item.text)
            for item in field.unsupported
        ]
    return flags


def ground(draft: BriefingDraft, article_text: str) -> Briefing:
    """Check every quote, key point source and summary claim; nothing is dropped or trusted."""
    quotes = ArticleQuotes(article_text)
    actors = [
        CheckedActor(
            name=actor.name,
            aliases=actor.aliases,
            kind=actor.kind,
            stances=[_checked_stance(stance, actor, quotes) for stance in actor.stances],
        )
        for actor in draft.actors
    ]
    points = [
        CheckedKeyPoint(
            text=point.text,
            source=point.source,
            source_found=bool(point.source.strip()) and quotes.found(point.source),
        )
        for point in draft.key_points
    ]
    return Briefing(
        **draft.model_dump(exclude={"actors", "key_points"}),
        key_points=points,
        actors=actors,
        summary_flags=_summary_flags(draft, article_text),
        summary_checked=True,
    )
