"""The archive fixture (tests/fixtures/archive) loaded into an index, and /search scored on it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.models import (
    ActorKind,
    ArticleRef,
    Briefing,
    CheckedActor,
    CheckedKeyPoint,
    Source,
    StoredBriefing,
    Usage,
)
from bot.search.archive import search_now
from bot.search.query import parse_query
from bot.store.index import Index

FIXTURE = Path(__file__).parent / "fixtures" / "archive"
TODAY = date(2026, 12, 7)


def articles() -> list[dict[str, Any]]:
    """Return the fixture's articles."""
    loaded: list[dict[str, Any]] = json.loads((FIXTURE / "articles.json").read_text("utf-8"))
    return loaded


def questions() -> list[dict[str, Any]]:
    """Return the fixture's questions with their relevance labels."""
    loaded: list[dict[str, Any]] = json.loads((FIXTURE / "questions.json").read_text("utf-8"))
    return loaded


def content_hash(article_id: str) -> str:
    """Name a fixture article by a hash, as the store names articles."""
    return hashlib.sha256(article_id.encode()).hexdigest()


def briefing_of(a: dict[str, Any], *, language: str | None = None) -> StoredBriefing:
    """Make the stored briefing of a fixture article: its title, first sentence and names."""
    first = a["text"].split(". ")[0].rstrip(".") + "."
    briefing = Briefing(
        headline=a["title"], tldr=first, key_points=[CheckedKeyPoint(text=first)],
        why_it_matters="", language=language or a["lang"], topics=[], places=[],
        actors=[
            CheckedActor(name=x["name"], aliases=x["aliases"], kind=ActorKind.PERSON, stances=[])
            for x in a["actors"]
        ],
    )  # fmt: skip
    h = content_hash(a["id"])
    return StoredBriefing(
        key=f"key-{h[:12]}-{language or ''}",
        article=ArticleRef(content_hash=h, title=a["title"], chars=len(a["text"])),
        prompt_name="briefing", prompt_version="1", model="m",
        created_at=datetime(2026, 12, 1, tzinfo=UTC), usage=Usage(), verified_stances=0,
        total_stances=0, briefing=briefing,
    )  # fmt: skip


def load(
    index: Index, *, only: set[str] | None = None, chats: dict[int, int] | None = None
) -> dict[str, str]:
    """Brief and send every fixture article into its chats (renamed by `chats`).

    Return hash → article id.
    """
    names: dict[str, str] = {}
    for n, a in enumerate(articles()):
        if only is not None and a["id"] not in only:
            continue
        h = content_hash(a["id"])
        names[h] = a["id"]
        index.texts.put(h, a["text"])
        index.index_briefing(briefing_of(a))
        published = datetime.fromisoformat(a["published"]).replace(hour=9, tzinfo=UTC)
        for chat in a["chats"]:
            index.record_chat_article(
                (chats or {}).get(chat, chat), h, message_id=100_000 + n, received_at=published + timedelta(hours=2),
                title=a["title"], source=Source(**a["source"]), published_at=published,
                published_from="dateline",
            )  # fmt: skip
    return names


@dataclass(frozen=True)
class Scores:
    """/search's figures on the fixture's answerable questions."""

    recall_at_10: float
    mrr_at_10: float
    questions: int
    misses: list[str]  # ids of questions with a relevant article missing from the top 10


def score(index: Index, names: dict[str, str]) -> Scores:
    """Run every answerable question's /search words; measure recall@10 and MRR@10."""
    recall = mrr = 0.0
    misses: list[str] = []
    answerable = [q for q in questions() if q["answerable"]]
    for q in answerable:
        hits, _total = search_now(index, q["chat"], parse_query(q["search"], today=TODAY))
        top = [names.get(h.article_hash) for h in hits[:10]]
        relevant = set(q["relevant"])
        found = relevant & set(top)
        recall += len(found) / len(relevant)
        first = next((i for i, t in enumerate(top, 1) if t in relevant), None)
        mrr += 1 / first if first else 0.0
        if found != relevant:
            misses.append(q["id"])
    n = len(answerable)
    return Scores(recall / n, mrr / n, n, misses)
