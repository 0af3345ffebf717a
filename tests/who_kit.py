"""Briefings written straight into the index, for /who tests that need no model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.checks.provenance import Provenance
from bot.models import (
    ActorKind,
    ArticleRef,
    Briefing,
    CheckedActor,
    CheckedStance,
    Polarity,
    Source,
    StoredBriefing,
    Usage,
)
from bot.store.index import Index

T0 = datetime(2025, 3, 1, 9, tzinfo=UTC)


def said(
    quote: str,
    provenance: Provenance | None = Provenance.DIRECT,
    *,
    target: str = "the talks",
    issue: str = "",
    polarity: Polarity = Polarity.SUPPORTS,
    speaker: str | None = None,
    via: str | None = None,
    verified: bool | None = None,
) -> CheckedStance:
    """Make a checked stance; `verified` follows the provenance unless given."""
    own = provenance in {Provenance.DIRECT, Provenance.VIA}
    return CheckedStance(
        target=target, position=f"Position on {target}.", polarity=polarity, issue=issue,
        quote=quote, verified=own if verified is None else verified, provenance=provenance,
        speaker=speaker, via=via,
    )  # fmt: skip


def person(name: str, *stances: CheckedStance, aliases: tuple[str, ...] = ()) -> CheckedActor:
    """Make an actor (a person) with these stances, or none: only mentioned."""
    return CheckedActor(
        name=name, aliases=list(aliases), kind=ActorKind.PERSON, stances=list(stances)
    )


def stored(article: str, *actors: CheckedActor, key: str = "") -> StoredBriefing:
    """Make a stored briefing of the article named `article` (its hash and headline)."""
    briefing = Briefing(
        headline=f"Headline of {article}", tldr="Short.", key_points=["One", "Two", "Three"],
        why_it_matters="Because.", language="en", topics=[], places=[], actors=list(actors),
    )  # fmt: skip
    return StoredBriefing(
        key=key or f"key-{article}",
        article=ArticleRef(content_hash=article, title=f"Title of {article}", chars=1000),
        prompt_name="briefing", prompt_version="1", model="m",
        created_at=T0, usage=Usage(), verified_stances=briefing.verified_count,
        total_stances=briefing.stance_count, briefing=briefing,
    )  # fmt: skip


def brief_and_send(index: Index, chat_id: int, made: StoredBriefing, *, day: int) -> None:
    """Index the briefing and record that the chat sent its article on day `day`."""
    index.index_briefing(made)
    index.record_chat_article(
        chat_id, made.article.content_hash, message_id=day + 1,
        received_at=T0 + timedelta(days=day), title=made.article.title,
        source=Source(label="@wire", url=f"https://t.me/wire/{day + 1}"),
    )  # fmt: skip
