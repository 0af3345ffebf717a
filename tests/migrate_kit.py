"""A deployment's database with a row in every table, written through the bot's own stores.

For `briefbot migrate`: archive articles with their texts (search), /who stances in a group,
jobs (some done and pruned, so the job ids' high-water mark is above the rows left), a
followed feed with items and deliveries, a digest subscription, per-chat settings, stories,
usage and events. Values include what a copy can get wrong: Telegram's negative 64-bit chat
ids, Cyrillic and emoji, quotes, empty strings and NULLs.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import bot.store.connect
import bot.store.index
from bot.feeds.follows_store import FeedStore
from bot.feeds.seen import SeenItems, Sighting
from bot.jobs import degraded
from bot.jobs.pending import KEEP_DONE, JobKind, PendingStore
from bot.models import Source, StoredBriefing, Usage
from bot.ops.stats import Events
from bot.store import search_pages, story_rows
from bot.store.chat_language import ChatLanguages
from bot.store.chat_settings import ChatSettings
from bot.store.chat_zones import ChatZones
from bot.store.index import Index
from bot.store.subscriptions import SubscriptionStore
from tests import archive_kit
from tests.who_kit import T0, brief_and_send, person, said, stored

GROUP = -1001234567890123  # a supergroup's id: negative and wider than 32 bits
ARCHIVE_CHAT = 1  # the archive fixture's first chat
NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
BEFORE_ALEMBIC = Path(__file__).parent / "fixtures" / "index_before_alembic.sql"


def keep_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    """Open indexes as files even under BRIEFBOT_TEST_ENGINE=postgresql: migrate copies files."""
    monkeypatch.setattr(bot.store.index, "connect", bot.store.connect.connect)


@dataclass(frozen=True)
class Made:
    """What `populate` wrote that tests look up again."""

    names: dict[str, str]  # archive article hash → fixture id
    jobs_high_water: int  # the highest job id ever given (rows above the max were pruned)
    open_jobs: int


def populate(index: Index) -> Made:
    """Write a row into every table of the store, through the stores the bot uses."""
    names = archive_kit.load(index)
    _who(index)
    high_water, open_jobs = _jobs(index)
    _feeds(index)
    _chats(index)
    _stories(index)
    index.record_usage("briefing", "gpt-x", Usage(prompt_tokens=900, completion_tokens=300,
                       cached_tokens=100, calls=1), chat_id=GROUP)  # fmt: skip
    index.record_bot_messages(GROUP, [501, 502], _hash("kim-1"))
    events = Events(index)
    events.record("briefed", chat_id=GROUP, user_id=42, detail="Пхеньян 🚀", at=NOW)
    events.record("refused", chat_id=None, user_id=None, detail=None, at=NOW)
    events.record_llm("briefing", "gpt-x", Usage(prompt_tokens=5, completion_tokens=7, calls=1),
                      user_id=42, chat_id=GROUP, ms=1234)  # fmt: skip
    with index.transaction() as db:
        search_pages.remember(db, ARCHIVE_CHAT, 'sanctions "North Korea"', NOW)
    degraded.record_reply(index, GROUP, _hash("kim-2"), [601, 602, 603])
    _coordination(index)
    return Made(names, high_water, open_jobs)


def _hash(name: str) -> str:
    return f"{name}-hash"


def who_briefings() -> list[StoredBriefing]:
    """The group's three briefings, as `populate` indexes them (day 0, 1, 2)."""
    kim = ("Kim Jong Un",)
    return [
        stored(
            _hash(name),
            person("Kim Yo Jong", said(quote, issue=issue), aliases=kim[:0]),
            person("Moon Jae-in", said(f"Reply to {name}.", target="the summit")),
            person("Witness", said("", provenance=None)),  # an empty quote, no provenance
        )
        for name, quote, issue in [
            ("kim-1", "We will never give up our deterrent.", "nukes"),
            ("kim-2", "«Диалог возможен», — сказал он.", "talks"),
            ("kim-3", "Talks are a trap 🪤.", "talks"),
        ]
    ]


def _who(index: Index) -> None:
    for day, made in enumerate(who_briefings()):
        brief_and_send(index, GROUP, made, day=day)


def _jobs(index: Index) -> tuple[int, int]:
    """Add six jobs, finish three, and prune two of them (the newest ids): return (6, 3)."""
    jobs = PendingStore(index)
    made = []
    for n in range(6):
        job = jobs.add(
            JobKind.TEXT if n % 2 else JobKind.LINK, chat_id=GROUP, message_id=700 + n,
            reply_to=700 + n, now=NOW - timedelta(days=30), thread_id=None if n % 3 else 9,
            user_id=42, text="Текст статьи, 'quoted' and \"double\"." if n % 2 else None,
            ref=None if n % 2 else f"https://example.org/{n}",
            source=Source(label="@wire", url=None), silent=n == 4,
        )  # fmt: skip
        assert job is not None
        made.append(job.id)
    old = NOW - KEEP_DONE - timedelta(days=1)
    for job_id in made[3:]:
        jobs.done(job_id, old if job_id != made[3] else NOW, outcome="replied")
    assert jobs.prune(NOW) == 2  # the two newest ids are gone; their ids are not to be reused
    return made[-1], 3


def _feeds(index: Index) -> None:
    feeds, seen = FeedStore(index), SeenItems(index)
    follow, _ = feeds.follow(GROUP, "https://news.example/feed.xml", "rss", "News — Пример",
                             live=True, now=NOW, thread_id=None, follower_id=42)  # fmt: skip
    feeds.follow(ARCHIVE_CHAT, "https://t.me/s/wire", "telegram", "Wire", live=False, now=NOW)
    sightings = [
        Sighting(f"guid-{n}", f"news.example/{n}", f"Item {n} ✓", f"https://news.example/{n}",
                 NOW - timedelta(hours=n), old=n == 2)
        for n in range(3)
    ]  # fmt: skip
    assert seen.remember(follow.source.id, sightings, NOW) == 2
    for item in seen.items(follow.source.id, "new"):
        seen.deliver(GROUP, item.id, "sent", NOW)


def _chats(index: Index) -> None:
    subscriptions = SubscriptionStore(index)
    subscriptions.subscribe(GROUP, time(8, 30), "Asia/Seoul", NOW, thread_id=17, subscriber_id=42)
    subscriptions.subscribe(ARCHIVE_CHAT, time(7), "Europe/Berlin", NOW)
    subscriptions.mark_sent(GROUP, NOW.date(), NOW)
    ChatSettings(index).set_auto_forwards(GROUP, enabled=True, set_by=42)
    ChatZones(index, subscriptions).set(GROUP, ZoneInfo("Asia/Seoul"))
    ChatLanguages(index, None).set(GROUP, "ru")


def _stories(index: Index) -> None:
    with index.transaction() as db:
        for n in range(1, 4):
            article = _hash(f"kim-{n}")
            story_rows.save_features(db, article, f'{{"v": 1, "minhash": [{n}, {n * 7}]}}')
            story_rows.place(db, GROUP, story_rows.StoryArticle(
                article, "story-1", None if n == 1 else _hash("kim-1"),
                T0 + timedelta(days=n), "@wire" if n % 2 else None,
            ))  # fmt: skip
        story_rows.keep_view(db, GROUP, "story-1", "k1|k2|k3", '{"title": "Talks"}')
        story_rows.set_label(db, GROUP, "@wire", "state media")
        story_rows.mark_digested(db, GROUP, {"story-1": ["@wire", "Агентство"]})


def _coordination(index: Index) -> None:
    """What processes sharing a database hold: a lease, a budget hold, a rate window's hit."""
    until = (NOW + timedelta(minutes=1)).isoformat()
    with index.transaction() as db:
        db.execute("INSERT INTO leases (name, owner, until) VALUES (?, ?, ?)",
                   (f"digest:{GROUP}", "host-1:4242:ab12", until))  # fmt: skip
        db.execute("INSERT INTO budget_holds (owner, user_id, tokens, until) VALUES (?,?,?,?)",
                   ("host-1:4242:ab12", 42, 1800, until))  # fmt: skip
        db.execute("INSERT INTO rate_hits (scope, key, at) VALUES (?, ?, ?)",
                   ("command:who", str(GROUP), NOW.isoformat()))  # fmt: skip


def before_alembic(path: Path) -> Path:
    """Make a file as briefbot made it before Alembic, with a few rows in its old tables."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.executescript(BEFORE_ALEMBIC.read_text(encoding="utf-8"))
    db.execute("INSERT INTO briefings VALUES ('h1', 'k1', 'Old headline', '2025-01-01T00:00:00')")
    db.execute(
        "INSERT INTO chat_articles (chat_id, article_hash, message_id, received_at, title)"
        " VALUES (?, 'h1', 5, '2025-01-01T09:00:00+00:00', 'Old title')",
        (GROUP,),
    )
    db.execute(
        "INSERT INTO stances (article_hash, ord, actor, kind, aliases, target, position,"
        " polarity, quote, verified) VALUES ('h1', 0, 'Kim Yo Jong', 'person', '', 'talks',"
        " 'Against.', 'opposes', 'No talks.', 1)"
    )
    db.commit()
    db.close()
    return path
