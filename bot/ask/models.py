"""The answer's data: what the LLM must return, what is cached, what the service returns.

`AnswerDraft` is the contract with the model (a strict JSON schema: extra="forbid", no
defaults); `StoredAnswer` is the cached file; `AskResult` is what the renderers see: the
sentences that survived the checks, each citing numbered sources, or the closest matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bot.ask.periods import Period
from bot.models import Usage
from bot.search.archive import Passage
from bot.store.blobs import Blobs
from bot.store.briefing_cache import JsonStore, place


class _LLMModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Citation(_LLMModel):
    """One piece of evidence: a passage's number and the words copied from it."""

    passage: int = Field(description="The number of the passage, as in [P3] → 3.")
    quote: str = Field(description="Words copied character for character from that passage.")


class AnswerSentence(_LLMModel):
    """One sentence of the answer and the passages that back it."""

    text: str = Field(description="One sentence, stating only what the cited passages say.")
    citations: list[Citation] = Field(description="At least one citation per sentence.")


class AnswerDraft(_LLMModel):
    """The model's answer to a question from the passages it was given."""

    unanswerable: bool = Field(description="True when the passages do not answer the question.")
    sentences: list[AnswerSentence] = Field(description="One to five sentences; empty if none.")


class StoredAnswer(BaseModel):
    """A model's checked answer as cached: keyed by the question, the passages, prompt and model.

    Only the sentences that passed the checks, each with the citations that back it.
    """

    key: str
    prompt_name: str
    prompt_version: str
    model: str
    created_at: datetime
    usage: Usage
    draft: AnswerDraft


class AnswerCache(JsonStore[StoredAnswer]):
    """Answers under BOT_DATA_DIR/answers, one JSON file per key."""

    def __init__(self, data_dir: Path | Blobs) -> None:
        super().__init__(place(data_dir, "answers"), StoredAnswer)


class Mode(StrEnum):
    """What kind of reply an /ask gets."""

    ANSWER = "answer"  # checked sentences with citations
    UNANSWERED = "unanswered"  # "Your articles don't say." and the closest matches
    PASSAGES = "passages"  # no model configured: the best passages themselves


@dataclass(frozen=True)
class KeptSentence:
    """A sentence that passed the checks, citing sources by their number in `AskResult`."""

    text: str
    sources: tuple[int, ...]  # 1-based numbers into AskResult.sources


@dataclass(frozen=True)
class Dropped:
    """A sentence the checks removed, and why (for logs and tests, never shown)."""

    text: str
    reason: str


@dataclass
class AskResult:
    """An /ask reply before rendering: the answer, or what comes closest."""

    question: str
    mode: Mode
    sentences: list[KeptSentence] = field(default_factory=list)
    sources: list[Passage] = field(default_factory=list)  # cited (answer) or closest
    dropped: list[Dropped] = field(default_factory=list)
    cached: bool = False
    called: bool = False  # the model was asked for this answer (it cost tokens)
    period: Period | None = None  # the dates the question's time words were read as
