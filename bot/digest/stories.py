"""Digests by story: one entry per story with all its sources, and what is new since the last.

The digest's window is read article by article; here the articles of one story (as the
chat's stories grouped them, bot/stories/) collapse into the story's first article, which
carries every source of the story. A story shown in an earlier digest that has gained
sources since says so in the footer. Only the scheduled daily digest, once Telegram took it,
records the sources each story had (`remember`): /brief, /digest now and the terminal show
what is new without using it up, so the next daily digest still says it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.models import Source, StoredBriefing
from bot.store import story_rows
from bot.store.index import ChatArticle, Index

Entry = tuple[ChatArticle, StoredBriefing]


@dataclass(frozen=True)
class ByStory:
    """A window's entries, one per story, and each kept article's story and members."""

    entries: list[Entry]
    members: dict[str, list[str]]  # kept article hash → the story's article hashes (window)
    story_of: dict[str, str]  # kept article hash → story id


def by_story(index: Index, chat_id: int, entries: Sequence[Entry]) -> ByStory:
    """Keep one entry per story: its first article in the window (entries are oldest first)."""
    db = index.connection
    kept: list[Entry] = []
    members: dict[str, list[str]] = {}
    story_of: dict[str, str] = {}
    first: dict[str, str] = {}
    for article, stored in entries:
        row = story_rows.of_article(db, chat_id, article.article_hash)
        story = row.story_id if row is not None else f"#{article.article_hash}"
        if story in first:
            members[first[story]].append(article.article_hash)
            continue
        first[story] = article.article_hash
        members[article.article_hash] = [article.article_hash]
        story_of[article.article_hash] = story
        kept.append((article, stored))
    return ByStory(kept, members, story_of)


def merged_sources(
    members: dict[str, list[str]], sources: dict[str, list[Source]]
) -> dict[str, list[Source]]:
    """Return each kept article's sources: those of every article of its story, once each."""
    merged: dict[str, list[Source]] = {}
    for kept, hashes in members.items():
        seen: dict[str, Source] = {}
        for h in hashes:
            for s in sources.get(h, []):
                seen.setdefault(s.label.casefold(), s)
        merged[kept] = list(seen.values())
    return merged


def story_sources(
    index: Index, chat_id: int, grouped: ByStory, since: datetime
) -> dict[str, list[Source]]:
    """Return each kept article's sources: every source its story has, in the window or before.

    A story the chat began following before the window (yesterday's two wires, today's third)
    is one entry with all its sources, as /story shows it, not only today's.
    """
    members = {kept: list(hashes) for kept, hashes in grouped.members.items()}
    in_window = {h for hashes in members.values() for h in hashes}
    earlier: list[str] = []
    for kept, story in grouped.story_of.items():
        if story.startswith("#"):
            continue  # an article in no story: nothing before it
        for row in story_rows.members(index.connection, chat_id, story):
            if row.article_hash not in in_window:
                members[kept].append(row.article_hash)
                earlier.append(row.article_hash)
    found = index.article_sources(chat_id, sorted(in_window), since=since)
    if earlier:  # every sending of the earlier articles: they are the story's too
        found |= index.article_sources(chat_id, earlier, since=datetime.min.replace(tzinfo=UTC))
    return merged_sources(members, found)


def news(index: Index, chat_id: int, shown: dict[str, tuple[str, list[str]]]) -> list[str]:
    """Say which stories gained sources since the last daily digest (nothing is recorded here).

    `shown` maps a story id to its headline and the source labels shown now.
    """
    before = story_rows.digest_marks(index.connection, chat_id)
    lines = []
    for story, (headline, labels) in shown.items():
        earlier = before.get(story)
        if earlier is None:
            continue
        new = [label for label in labels if label not in earlier]
        if new:
            # A daily digest shows only what arrived since the last: the story has both.
            count = len({*earlier, *labels})
            lines.append(f"“{headline}”: {count} sources now, new: {', '.join(new)}")
    return lines


def remember(index: Index, chat_id: int, shown: dict[str, list[str]]) -> None:
    """Record the sources each story had when a daily digest showed it: the next compares."""
    with index.transaction() as db:
        before = story_rows.digest_marks(db, chat_id)
        marks = {
            s: list(dict.fromkeys([*before.get(s, []), *labels])) for s, labels in shown.items()
        }
        story_rows.mark_digested(db, chat_id, marks)
