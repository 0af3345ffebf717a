"""Synthetic history for the stored-data benchmarks, written through the real store.

`seed_chat` makes `briefings` briefed articles for one chat, spread evenly over a period,
each with `stances` stances by actors drawn from a pool of `actors` (Zipf-like: a few
actors appear everywhere, most rarely), some named by aliases that merge, as real briefings
name "Kim Jong Un", "Kim" and "the North Korean leader".
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, datetime, timedelta

from bot.checks.provenance import Provenance
from bot.models import (
    ActorKind,
    ArticleRef,
    Briefing,
    CheckedActor,
    CheckedKeyPoint,
    CheckedStance,
    Polarity,
    StoredBriefing,
    Usage,
)
from bot.store.briefing_cache import BriefingCache
from bot.store.index import Index

TARGETS = ["sanctions", "the summit", "the budget", "tariffs", "the ceasefire", "the election"]
POLARITIES = [Polarity.SUPPORTS, Polarity.OPPOSES, Polarity.NEUTRAL, Polarity.MIXED]


def actor_pool(count: int) -> list[tuple[str, ActorKind, list[str]]]:
    """Return `count` actors: name, kind, aliases (every tenth one has a merging alias)."""
    pool: list[tuple[str, ActorKind, list[str]]] = [
        ("Kim Jong Un", ActorKind.PERSON, ["Kim", "the North Korean leader"]),
        ("North Korea", ActorKind.STATE, ["Pyongyang", "DPRK"]),
    ]
    for i in range(len(pool), count):
        kind = list(ActorKind)[i % len(ActorKind)]
        aliases = [f"Minister {i}"] if i % 10 == 0 else []
        pool.append((f"Actor {i} Lastname{i % 97}", kind, aliases))
    return pool


def synthetic_briefing(
    n: int, rng: random.Random, pool: list[tuple[str, ActorKind, list[str]]], stances: int
) -> StoredBriefing:
    """Return briefing number `n`: `stances` stances over a few actors of the pool."""
    chosen: dict[int, list[CheckedStance]] = {}
    for _ in range(stances):
        # Half the stances by a long-tailed few (the top actor in ~3 % of stances), half
        # spread evenly over the pool.
        who = min(int((rng.paretovariate(1.2) - 1) * 20), len(pool) - 1)
        who = who if rng.random() < 0.5 else rng.randrange(len(pool))
        chosen.setdefault(who, []).append(
            CheckedStance(
                target=rng.choice(TARGETS),
                position=f"Position {n} on the matter.",
                polarity=rng.choice(POLARITIES),
                quote=f"“A quote from article {n}.”",
                verified=(own := rng.random() < 0.9),
                provenance=Provenance.DIRECT if own else Provenance.NOT_FOUND,
            )
        )
    actors = [
        CheckedActor(name=pool[i][0], kind=pool[i][1], aliases=pool[i][2], stances=found)
        for i, found in chosen.items()
    ]
    article_hash = hashlib.sha256(f"synthetic article {n}".encode()).hexdigest()
    briefing = Briefing(
        headline=f"Synthetic headline {n}",
        tldr=f"Something happened in story {n}. It matters.",
        key_points=[CheckedKeyPoint(text=f"Point {k} of story {n}.") for k in range(3)],
        why_it_matters="Because it is a benchmark.",
        language="en",
        topics=["politics"],
        places=["Seoul"],
        actors=actors,
    )
    total = sum(len(a.stances) for a in actors)
    return StoredBriefing(
        key=BriefingCache.key_for(article_hash, "briefing", "1", "synthetic"),
        article=ArticleRef(content_hash=article_hash, title=f"Story {n}", chars=4000),
        prompt_name="briefing",
        prompt_version="1",
        model="synthetic",
        created_at=datetime(2025, 1, 1, tzinfo=UTC),
        usage=Usage(prompt_tokens=1000, completion_tokens=500, calls=1),
        verified_stances=sum(s.verified for a in actors for s in a.stances),
        total_stances=total,
        briefing=briefing,
    )


def seed_chat(
    index: Index,
    chat_id: int,
    *,
    briefings: int,
    start: datetime,
    span: timedelta,
    stances: int = 5,
    actors: int = 2000,
    cache: BriefingCache | None = None,
    seed: int = 1,
    first: int = 0,
) -> list[StoredBriefing]:
    """Write `briefings` synthetic briefed articles for `chat_id`, sent in [start, start+span)."""
    rng = random.Random(seed)
    days = random.Random(-seed)  # its own stream: the briefings stay what they were
    pool = actor_pool(actors)
    made = []
    step = span / max(1, briefings)
    with index.transaction():  # one commit: seeding 20,000 briefings takes seconds, not minutes
        for n in range(first, first + briefings):
            stored = synthetic_briefing(n, rng, pool, stances)
            if cache is not None:
                cache.put(stored.key, stored)
            index.index_briefing(stored)
            received = start + step * (n - first)
            # Dated as real sendings are: most by their post's or dateline's date, which is
            # up to a few days before they arrive (so /who's order is not arrival order).
            published = received - timedelta(hours=days.randrange(96)) if n % 4 else None
            index.record_chat_article(
                chat_id,
                stored.article.content_hash,
                message_id=n + 1,
                received_at=received,
                title=stored.article.title,
                source=None,
                published_at=published,
                published_from=("forward", "dateline", "page")[n % 3] if published else None,
            )
            made.append(stored)
    return made
