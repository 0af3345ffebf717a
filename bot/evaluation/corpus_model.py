"""The trust corpus: wire-style articles with gold annotations, one JSON file each."""

from __future__ import annotations

from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Language = Literal["en", "ru", "de", "fr"]
ActorKind = Literal["person", "state", "organisation"]
QuoteClass = Literal["direct", "reported", "via", "narration", "misattributed", "not_found"]
Polarity = Literal["supports", "opposes", "neutral", "mixed"]
ErrorKind = Literal["number", "date", "name"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CorpusActor(_Strict):
    """A person, state or organisation the article names."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: ActorKind
    speaks: bool


class CorpusQuote(_Strict):
    """A probe for the provenance classifier: words a model claims an actor said."""

    quote: str
    actor: str
    expected: QuoteClass
    speaker: str | None
    via: str | None = None


class CorpusStance(_Strict):
    """A gold stance: an actor's position on a canonical issue."""

    actor: str
    issue: str
    target: str
    polarity: Polarity


class PlantedError(_Strict):
    """A summary statement with exactly one error the summary check must catch."""

    statement: str
    kind: ErrorKind
    error: str


class CorpusSummary(_Strict):
    """Statements for the summary check: clean ones and ones with a planted error."""

    clean: list[str]
    planted: list[PlantedError]


class CorpusArticle(_Strict):
    """One annotated article of the trust corpus."""

    id: str
    language: Language
    style: str
    title: str
    text: str
    published: date
    received: date
    actors: list[CorpusActor]
    traps: list[str] = Field(default_factory=list)
    quotes: list[CorpusQuote]
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
