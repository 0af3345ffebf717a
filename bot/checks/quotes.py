"""Grounding: check that every evidence quote really is in the article."""

from __future__ import annotations

import re

from bot.articles.text import canonical
from bot.models import Briefing, BriefingDraft, CheckedActor, CheckedStance

# Models elide with "..." or "[...]" inside a quote; each piece must still be verbatim.
_ELLIPSIS = re.compile(r"\s*(?:\[\s*\.\.\.\s*\]|\.\.\.)\s*")
_EDGE_PUNCT = " \"'.,;:!?-()[]"
_MIN_PIECE = 12  # a fragment shorter than this proves nothing on its own


def quote_in_text(quote: str, folded_article: str) -> bool:
    """Tell whether `quote` occurs in the (already folded) article, allowing elisions."""
    folded = canonical(quote).strip(_EDGE_PUNCT)
    if len(folded) < _MIN_PIECE // 2:
        return False
    pieces = [p.strip(_EDGE_PUNCT) for p in _ELLIPSIS.split(folded)]
    pieces = [p for p in pieces if p]
    if not pieces or sum(len(p) for p in pieces) < _MIN_PIECE // 2:
        return False
    if len(pieces) > 1 and any(len(p) < _MIN_PIECE for p in pieces):
        return False
    position = 0
    for piece in pieces:
        found = folded_article.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return True


def ground(draft: BriefingDraft, article_text: str) -> Briefing:
    """Mark each stance verified or not; nothing is dropped, nothing is trusted blindly."""
    folded_article = canonical(article_text)
    actors = [
        CheckedActor(
            name=actor.name,
            aliases=actor.aliases,
            kind=actor.kind,
            stances=[
                CheckedStance(
                    **stance.model_dump(), verified=quote_in_text(stance.quote, folded_article)
                )
                for stance in actor.stances
            ],
        )
        for actor in draft.actors
    ]
    return Briefing(**draft.model_dump(exclude={"actors"}), actors=actors)
