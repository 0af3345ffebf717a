"""The digest's data: what the LLM must return, what is cached, what the service returns.

`DigestDraft` (with its themes and notable stances) is the contract with the model and
its strict JSON schema; `StoredDigest` and `DigestCache` are the cached file and its
store; `DigestResult` is a validated digest as the renderers and senders see it. Like
bot/models.py for briefings, these shapes are kept apart from the service that fills them
(service.py), which the renderer and tests need not import to name them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bot.actors.shifts import Shift
from bot.models import Polarity, Source, Usage
from bot.store.blobs import Blobs
from bot.store.briefing_cache import JsonStore, place
from bot.store.index import ChatArticle


class _LLMModel(BaseModel):
    # As in bot/models.py: extra="forbid" and no defaults make the schema strict-mode ready.
    model_config = ConfigDict(extra="forbid")


class Theme(_LLMModel):
    """One theme of the period, with the briefings it draws on."""

    title: str
    summary: str = Field(description="Two to four sentences.")
    citations: list[str] = Field(description='Briefing ids as given, e.g. "A3".')


class NotableStance(_LLMModel):
    """A significant position taken during the period."""

    actor: str
    target: str
    polarity: Polarity
    note: str = Field(description="One line.")
    citations: list[str] = Field(description='Briefing ids as given, e.g. "A3".')


class DigestDraft(_LLMModel):
    """What the LLM must return for one digest."""

    headline: str
    themes: list[Theme]
    notable_stances: list[NotableStance]
    closing: str = Field(description="One sentence on what to watch next.")


class StoredDigest(BaseModel):
    """One cached digest file: the draft as the model wrote it, and what it was made from."""

    key: str
    prompt_name: str
    prompt_version: str
    model: str
    created_at: datetime
    usage: Usage
    article_keys: list[str] = Field(description="Briefing keys in id order: A1 is the first.")
    draft: DigestDraft


class DigestCache(JsonStore[StoredDigest]):
    """Digests under BOT_DATA_DIR/digests, keyed by the briefings, prompt and model."""

    def __init__(self, data_dir: Path | Blobs) -> None:
        super().__init__(place(data_dir, "digests"), StoredDigest)


@dataclass(frozen=True)
class DigestResult:
    """A validated digest: only citations of this chat's window survive."""

    chat_id: int
    since: datetime
    until: datetime
    period: str
    draft: DigestDraft
    cited: dict[str, ChatArticle]  # citation id ("A3") → the chat's article, in id order
    shifts: list[Shift]
    article_count: int
    stance_count: int
    verified_count: int
    dropped_citations: int  # invalid citations removed from the draft
    omitted: int  # window articles beyond MAX_ARTICLES, left out of the prompt
    cached: bool
    usage: Usage  # what the digest cost when it was generated
    key: str
    notes: list[str] = field(default_factory=list)  # e.g. followed items the daily cap skipped
    # Every source a cited article came from (the same story from two feeds lists both).
    sources: dict[str, list[Source]] = field(default_factory=dict)
    # Each story shown (its id) with its sources' labels: what a daily digest, once delivered,
    # records for the next one's "new:" line (bot/digest/stories.py).
    shown: dict[str, list[str]] = field(default_factory=dict)
    # Set when the overview was made without the model (bot/digest/extractive.py): why.
    extractive_reason: str | None = None
