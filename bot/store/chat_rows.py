"""Hold the row types the index's read side returns: a chat's article, a stance, a name form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.checks.provenance import Provenance
from bot.models import Source

_ALIAS_SEP = "\x1f"


@dataclass(frozen=True)
class ChatArticle:
    """An article a chat sent, with its latest indexed headline."""

    article_hash: str
    message_id: int | None
    received_at: datetime
    title: str | None
    source: Source | None
    headline: str | None
    briefing_key: str | None
    # When the article was first published, as this chat's latest sending dates it (a
    # forward's original date, a page's, a feed item's, a dateline, or its arrival), and
    # where that date comes from; None for a sending from before dates were kept.
    published_at: datetime | None = None
    published_from: str | None = None

    @property
    def dated(self) -> datetime:
        """Return when the article was published, or when the chat got it if that's unknown."""
        return self.published_at or self.received_at


@dataclass(frozen=True)
class StanceRow:
    """One stance as indexed, with the chat-side facts of the article it came from."""

    actor: str
    kind: str
    aliases: tuple[str, ...]
    target: str
    position: str
    polarity: str
    quote: str
    verified: bool  # the actor's own words (provenance direct or via)
    article: ChatArticle
    issue: str = ""  # "" when indexed before issues were asked for: the target stands in
    provenance: Provenance | None = None  # None: recorded before provenance existed
    speaker: str | None = None  # who the article attributes the words to, if not this actor
    via: str | None = None  # the relaying third party of a Provenance.VIA quote


@dataclass(frozen=True)
class ActorForm:
    """One way the chat's briefings name an actor: its name, kind and aliases."""

    actor: str
    kind: str
    aliases: tuple[str, ...]
