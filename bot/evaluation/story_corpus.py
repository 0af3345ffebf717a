"""The stories fixture (`stories/*.json`): wire articles by event, and their republished copies.

A copy is given as its original's id, the outlet that republished it, a header line and
small edits; `load_story_corpus` applies them, so the gold near-duplicate pairs are exactly
the copies with their originals (and copies of one original with each other).
"""

from __future__ import annotations

import datetime as dt
import itertools
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

_Lang = str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WireArticle(_Strict):
    """One source's article about an event."""

    id: str = Field(min_length=1)
    source: str = Field(min_length=1)
    lang: _Lang
    published: dt.datetime
    title: str
    text: str = Field(min_length=40)


class Copy(_Strict):
    """An article republished by another outlet with a new header and small edits."""

    id: str = Field(min_length=1)
    of: str
    source: str
    published: dt.datetime
    header: str = ""
    edits: list[tuple[str, str]] = Field(default_factory=list)
    tail: str = ""


class Event(_Strict):
    """One event: the sources' articles and the copies of them."""

    event: str
    articles: list[WireArticle] = Field(min_length=1)
    copies: list[Copy] = Field(default_factory=list)


class _File(_Strict):
    events: list[Event]


class StoryItem(_Strict):
    """An article as the grouper receives it, with its gold labels."""

    id: str
    event: str
    source: str
    lang: _Lang
    published: dt.datetime
    title: str
    text: str
    copy_of: str | None = None


def _materialise(event: Event) -> list[StoryItem]:
    items = [
        StoryItem(event=event.event, **a.model_dump(include=set(StoryItem.model_fields)))
        for a in event.articles
    ]
    by_id = {a.id: a for a in event.articles}
    for copy in event.copies:
        original = by_id[copy.of]
        body = original.text
        for before, after in copy.edits:
            if before not in body:
                raise ValueError(f"{copy.id}: {before!r} is not in {copy.of}")
            body = body.replace(before, after, 1)
        body = "\n\n".join(p for p in (copy.header, body, copy.tail) if p)
        items.append(
            StoryItem(id=copy.id, event=event.event, source=copy.source, lang=original.lang,
                      published=copy.published, title=original.title, text=body,
                      copy_of=copy.of)
        )  # fmt: skip
    return items


def load_story_corpus() -> list[StoryItem]:
    """Load every event of the fixture, copies made, in the order of publication."""
    folder = resources.files("bot.evaluation").joinpath("stories")
    items: list[StoryItem] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            for event in _File.model_validate_json(entry.read_text(encoding="utf-8")).events:
                items.extend(_materialise(event))
    return sorted(items, key=lambda i: (i.published, i.id))


def gold_duplicate_pairs(items: list[StoryItem]) -> set[frozenset[str]]:
    """Return the gold near-duplicate pairs: each copy with its original and its siblings."""
    families: dict[str, list[str]] = {}
    for item in items:
        if item.copy_of is not None:
            families.setdefault(item.copy_of, [item.copy_of]).append(item.id)
    return {
        frozenset(pair)
        for family in families.values()
        for pair in itertools.combinations(family, 2)
    }
