"""The schema of one trust-corpus article: text, gold actors, quote probes, stances, summary."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Language = Literal["en", "ru", "de", "fr"]
ActorKind = Literal["person", "state", "organisation"]
Expected = Literal["direct", "reported", "via", "narration", "misattributed", "not_found"]
ClaimKind = Literal["number", "date", "name"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CorpusActor(_Strict):
    """A person, state or organisation named in the article, with every form the text uses."""

    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    kind: ActorKind
    speaks: bool


class QuoteProbe(_Strict):
    """A quote a model might claim for an actor, and the provenance class it really has."""

    quote: str = Field(min_length=1)
    actor: str = Field(min_length=1)
    expected: Expected
    speaker: str | None
    via: str | None


class CorpusStance(_Strict):
    """A gold stance: who takes which position on which canonical issue."""

    actor: str = Field(min_length=1)
    issue: str = Field(min_length=1)
    target: str = Field(min_length=1)
    polarity: str = Field(min_length=1)


class PlantedClaim(_Strict):
    """A summary statement with exactly one wrong number, date or name."""

    statement: str = Field(min_length=1)
    kind: ClaimKind
    error: str = Field(min_length=1)


class CorpusSummary(_Strict):
    """Statements a correct briefing could make, and ones with a planted error."""

    clean: list[str]
    planted: list[PlantedClaim]


class CorpusArticle(_Strict):
    """One article of the trust corpus with its gold annotations."""

    id: str = Field(pattern=r"^(en|ru|de|fr)-[a-z0-9]+-[a-z0-9-]+-\d{3}$")
    language: Language
    style: str = Field(min_length=1)
    title: str = Field(min_length=1)
    text: str = Field(min_length=1)
    published: dt.date
    received: dt.date
    actors: list[CorpusActor]
    traps: list[str]
    quotes: list[QuoteProbe]
    stances: list[CorpusStance]
    summary: CorpusSummary
    eval_subset: bool = False


def corpus_files() -> list[Traversable]:
    """Return the corpus's JSON files, sorted by name."""
    folder = resources.files("bot.evaluation").joinpath("corpus")
    return sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".json")),
        key=lambda entry: entry.name,
    )


def load_corpus(subset: bool = False) -> list[CorpusArticle]:
    """Load every corpus article (only the `briefbot eval` subset when asked), sorted by id."""
    articles = [
        CorpusArticle.model_validate_json(entry.read_text(encoding="utf-8"))
        for entry in corpus_files()
    ]
    if subset:
        articles = [article for article in articles if article.eval_subset]
    return sorted(articles, key=lambda article: article.id)
