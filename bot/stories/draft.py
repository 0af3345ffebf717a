"""The story view's models: what the LLM returns (StoryDraft), what is shown (StoryView)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _LLMModel(BaseModel):
    # extra="forbid", no defaults: a schema OpenAI's strict json_schema mode accepts as it is.
    model_config = ConfigDict(extra="forbid")


class SourceClaim(_LLMModel):
    """A claim, number or attribution only one source makes."""

    source: str = Field(description="The source's id, e.g. 'S2'.")
    claim: str


class SourceFraming(_LLMModel):
    """How one source frames the event, with a passage of its own article that shows it."""

    source: str = Field(description="The source's id, e.g. 'S1'.")
    framing: str = Field(description="One neutral line.")
    quote: str = Field(description="Copied word for word from this source's article.")


class StoryDraft(_LLMModel):
    """The model's comparison of a story's sources."""

    agreed: list[str] = Field(description="Facts at least two sources state.")
    differences: list[SourceClaim]
    framings: list[SourceFraming]


class StorySource(BaseModel):
    """One source of a story, as shown."""

    name: str  # the source's label ("@channel", "Reuters"), or "pasted text"
    article_hash: str
    headline: str
    quoted: list[str] = []  # actors whose own words this source quotes (verified)
    label: str | None = None  # the chat's own label for this source ("state media")
    copy_of: str | None = None  # the same wire copy as another source's article


class Framing(BaseModel):
    """A framing line that passed the check: its quote is in that source's article."""

    source: str
    framing: str
    quote: str


class Claim(BaseModel):
    """A claim only one source makes, named with that source."""

    source: str
    claim: str


class StoryView(BaseModel):
    """A story as /story shows it."""

    sources: list[StorySource]
    agreed: list[str] = []
    differences: list[Claim] = []
    framings: list[Framing] = []
    only_quoted_by: dict[str, str] = {}  # actor -> the one source that quotes them
    made_with_model: bool = False
    dropped_framings: int = 0  # framing lines whose quote was not found in their source
