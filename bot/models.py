"""Pydantic models: the contract with the LLM and the shape of everything stored."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.checks.provenance import Provenance

MIN_KEY_POINTS, MAX_KEY_POINTS = 3, 6


class Polarity(StrEnum):
    """How an actor stands toward a target."""

    SUPPORTS = "supports"
    OPPOSES = "opposes"
    NEUTRAL = "neutral"
    MIXED = "mixed"


class ActorKind(StrEnum):
    """What sort of actor this is."""

    PERSON = "person"
    STATE = "state"
    ORGANISATION = "organisation"
    GROUP = "group"
    OTHER = "other"


class _LLMModel(BaseModel):
    # extra="forbid" and no defaults: pydantic then emits a schema that OpenAI's strict
    # json_schema mode accepts as it is (every key required, additionalProperties false).
    model_config = ConfigDict(extra="forbid")


class Stance(_LLMModel):
    """One position an actor takes, with a verbatim quote as evidence."""

    target: str = Field(description="Whom or what the stance is about.")
    position: str = Field(description="The actor's position, in one line.")
    polarity: Polarity
    issue: str = Field(
        description="The issue in 2-6 words, canonical and reusable across articles, "
        "e.g. 'sanctions on Russia', 'Gaza ceasefire'."
    )
    quote: str = Field(description="A verbatim quote from the article that shows the stance.")


class Actor(_LLMModel):
    """A person, state, organisation or group named in the article."""

    name: str = Field(description="The canonical, fullest name, e.g. 'Kim Jong Un'.")
    aliases: list[str] = Field(
        description="Other forms of the name used in the article, e.g. 'Kim', 'Pyongyang'."
    )
    kind: ActorKind
    stances: list[Stance]


class KeyPoint(_LLMModel):
    """One key point, with the article sentence it rests on."""

    text: str
    source: str = Field(description="The article sentence this point rests on, copied verbatim.")


class BriefingDraft(_LLMModel):
    """What the LLM must return for one article."""

    headline: str
    tldr: str = Field(description="At most three sentences.")
    key_points: list[KeyPoint] = Field(description="Three to six key points.")
    why_it_matters: str
    language: str = Field(description="ISO 639-1 code of the briefing's language.")
    topics: list[str]
    places: list[str]
    actors: list[Actor]

    @field_validator("key_points")
    @classmethod
    def _three_to_six(cls, points: list[KeyPoint]) -> list[KeyPoint]:
        # A validator, not min_items: JSON-schema array bounds are not accepted by every
        # server's strict mode, and a failure here buys one repair round with this message.
        if len([p for p in points if p.text.strip()]) < MIN_KEY_POINTS:
            raise ValueError(f"give {MIN_KEY_POINTS} to {MAX_KEY_POINTS} key points")
        return points


class CheckedStance(Stance):
    """A stance after checking: where its quote stands in the article and who said it."""

    model_config = ConfigDict(extra="ignore")
    issue: str = ""  # briefings stored before issues were asked for have none
    verified: bool  # the actor's own words, found in the article (provenance direct or via)
    provenance: Provenance | None = None  # None: checked before provenance was recorded
    speaker: str | None = None  # who the article attributes the words to, when not this actor
    via: str | None = None  # the relaying third party for Provenance.VIA
    quoted: bool | None = None  # inside quotation marks in the article; None: not recorded


class CheckedActor(Actor):
    """An actor whose stances have been grounded."""

    model_config = ConfigDict(extra="ignore")
    stances: list[CheckedStance]  # type: ignore[assignment]


class CheckedKeyPoint(KeyPoint):
    """A key point after checking: whether the sentence it rests on is in the article."""

    model_config = ConfigDict(extra="ignore")
    source: str | None = None  # type: ignore[assignment]  # None: stored before sources
    source_found: bool | None = None  # None: not checked (stored before sources were asked)


class SummaryFlag(BaseModel):
    """A number, date or name a summary field states that the article does not."""

    field: str  # "headline" | "tldr" | "key_points" | "why_it_matters"
    index: int | None = None  # the key point's position, for field "key_points"
    kind: str  # "number" | "date" | "name"
    text: str  # as written in the briefing


class Briefing(BriefingDraft):
    """A briefing after checking its quotes and its summary against the article."""

    model_config = ConfigDict(extra="ignore")
    key_points: list[CheckedKeyPoint]  # type: ignore[assignment]
    actors: list[CheckedActor]  # type: ignore[assignment]
    summary_flags: list[SummaryFlag] = []
    summary_checked: bool = False  # False: stored before the summary was checked

    @field_validator("key_points", mode="before")
    @classmethod
    def _plain_points(cls, points: Any) -> Any:  # noqa: ANN401 - raw stored JSON
        # Briefings stored before key points had sources hold plain strings: still readable.
        if isinstance(points, list):
            return [{"text": p} if isinstance(p, str) else p for p in points]
        return points

    @field_validator("key_points")
    @classmethod
    def _three_to_six(cls, points: list[KeyPoint]) -> list[KeyPoint]:
        # Same name: replaces the draft's check. That one asks the model for a repair; a
        # stored briefing is read back as it is, never rejected as corrupt for it.
        return points

    @property
    def stance_count(self) -> int:
        """Count all stances."""
        return sum(len(a.stances) for a in self.actors)

    @property
    def verified_count(self) -> int:
        """Count the stances whose quote is the actor's own words, found in the article."""
        return sum(s.verified for a in self.actors for s in a.stances)


class Source(BaseModel):
    """Where an article came from: a channel, a chat, a URL or a file."""

    label: str
    url: str | None = None


class Article(BaseModel):
    """Normalised article text and what is known about it."""

    text: str
    content_hash: str
    title: str | None = None
    source: Source | None = None
    truncated_from: int | None = Field(
        default=None, description="Original length in characters when the text was cut."
    )
    # When it was first published, and where that date comes from: "forward" (the original
    # post's), "page", "feed", "dateline" or "received" (see bot/articles/dates.py).
    published_at: datetime | None = None
    published_from: str | None = None


class Usage(BaseModel):
    """Tokens one LLM call used."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    calls: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cached_tokens=self.cached_tokens + other.cached_tokens,
            calls=self.calls + other.calls,
        )


class ArticleRef(BaseModel):
    """The article a stored briefing belongs to (no text: that is stored apart)."""

    content_hash: str
    title: str | None = None
    source: Source | None = None
    chars: int
    truncated_from: int | None = None
    # The sending chat's own publication date (attached per request, like `source`): the
    # cached file is shared by content across chats and never holds one.
    published_at: datetime | None = None
    published_from: str | None = None


class StoredBriefing(BaseModel):
    """One cached briefing file: the briefing plus how it was made."""

    key: str
    article: ArticleRef
    prompt_name: str
    prompt_version: str
    model: str
    created_at: datetime
    usage: Usage
    verified_stances: int
    total_stances: int
    briefing: Briefing
    # Set on a briefing made without the LLM (bot/extractive/briefing.py): why, in one line.
    extractive_reason: str | None = None
