"""The overview made without a model: the period's headlines grouped by the actors they share.

No sentence is written here: the themes are the articles' own headlines under the names they
have in common, and the closing line counts the most quoted actors. It is what a chat gets
from /brief and /digest when no model is set up (or the model failed), labelled as such.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.actors.identity import fold
from bot.digest.models import DigestDraft, Theme
from bot.models import StoredBriefing
from bot.render.plural import counted

MAX_THEMES = 6
MAX_QUOTED = 5
_SHARED = 2  # articles that name an actor before it makes a theme


def _names(stored: StoredBriefing) -> dict[str, str]:
    # normalised key → the name as the briefing writes it
    return {fold(a.name): a.name.strip() for a in stored.briefing.actors if a.name.strip()}


def _quoted(briefings: Sequence[StoredBriefing]) -> list[tuple[str, int]]:
    # Only verified quotes count: the actor's own words, found in the article.
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for stored in briefings:
        for actor in stored.briefing.actors:
            key = fold(actor.name)
            shown.setdefault(key, actor.name.strip())
            counts[key] += sum(s.verified for s in actor.stances)
    return [(shown[k], n) for k, n in counts.most_common(MAX_QUOTED) if n]


def extractive_draft(briefings: Sequence[StoredBriefing]) -> DigestDraft:
    """Group the briefings' headlines by shared actors; cite each briefing as A1, A2, …."""
    ids = {stored.key: f"A{n}" for n, stored in enumerate(briefings, 1)}
    names = {stored.key: _names(stored) for stored in briefings}
    shown: dict[str, str] = {}
    for written in names.values():
        for key, name in written.items():
            shown.setdefault(key, name)
    left = list(briefings)
    themes: list[Theme] = []
    while left and len(themes) < MAX_THEMES - 1:
        # The actor most articles still unplaced name becomes the next theme's title.
        counts = Counter(key for s in left for key in names[s.key])
        if not counts or counts.most_common(1)[0][1] < _SHARED:
            break
        actor = counts.most_common(1)[0][0]
        group = [s for s in left if actor in names[s.key]]
        # The other actors most of the group also names join the title ("Kim, Lee").
        also = Counter(k for s in group for k in names[s.key] if k != actor)
        title = [actor, *(k for k, n in also.most_common(2) if n * 2 > len(group))]
        label = ", ".join(shown[k] for k in title)
        themes.append(_theme(label, f"naming {label}", group, ids))
        left = [s for s in left if s not in group]
    if left:
        themes.append(_theme("Other news" if themes else "Headlines", "", left, ids))
    quoted = _quoted(briefings)
    closing = (
        "Most quoted: " + ", ".join(f"{name} ({counted(n, 'quote')})" for name, n in quoted) + "."
        if quoted
        else ""
    )
    return DigestDraft(
        headline=f"{counted(len(briefings), 'article')} in this period",
        themes=themes,
        notable_stances=[],
        closing=closing,
    )


def _theme(title: str, about: str, group: list[StoredBriefing], ids: dict[str, str]) -> Theme:
    return Theme(
        title=title,
        summary=" ".join([counted(len(group), "article"), about]).strip() + ":",
        citations=[ids[s.key] for s in group],
    )
