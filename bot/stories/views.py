"""/story: gather a story's articles, compare them with one LLM call per change, check, cache.

At most one call per story change: the view is kept under the set of briefings it was made
from (story_views), so asking again costs nothing until a source joins or a briefing is
re-made. Without a model, or with one source only, the view is the grouping itself: each
source's headline and the actors it quotes, labelled as made without the model.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass

from bot.errors import LLMError
from bot.feeds.follows_store import FeedSource
from bot.llm.port import LLMPort
from bot.llm.prompts import Prompt
from bot.ops.budget import charged_to
from bot.store import story_rows
from bot.store.briefing_cache import ArticleTexts, BriefingCache
from bot.store.index import Index
from bot.store.story_rows import StoryArticle
from bot.stories import view as v
from bot.stories.draft import StoryDraft, StorySource, StoryView
from bot.stories.service import StoryService, source_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Known:
    titles: dict[str, str | None]
    urls: dict[str, str | None]
    keys: dict[str, str | None]
    labels: dict[str, str]


def _known(index: Index, chat_id: int, hashes: list[str]) -> _Known:
    db = index.connection
    titles: dict[str, str | None] = {}
    urls: dict[str, str | None] = {}
    for h in hashes:
        row = db.execute(
            "SELECT title, source_url FROM chat_articles WHERE chat_id = ? AND article_hash = ?"
            " ORDER BY received_at DESC LIMIT 1",
            (chat_id, h),
        ).fetchone()
        titles[h], urls[h] = (row[0], row[1]) if row else (None, None)
    keys = {h: index.briefing_key(h) for h in hashes}
    return _Known(titles, urls, keys, story_rows.labels(db, chat_id))


@dataclass
class StoryViews:
    """Make (or read back) the /story view of the story an article belongs to."""

    stories: StoryService
    index: Index
    cache: BriefingCache
    texts: ArticleTexts
    llm: LLMPort | None
    prompt: Prompt

    async def view(self, chat_id: int, article_hash: str) -> StoryView | None:
        """Return the view of the article's story in this chat (None: not in a story)."""
        members = await self.stories.story_of(chat_id, article_hash)
        if not members:
            return None
        hashes = [m.article_hash for m in members]
        known = await self.index.run(_known, chat_id, hashes)
        gathered = await asyncio.to_thread(self._members, members, known)
        sources = v.sources_of(gathered, known.labels)
        texts = {m.article_hash: m.text for m in gathered if m.text}
        if self.llm is None or len(sources) < 2:  # noqa: PLR2004 - one source: nothing to compare
            return v.without_model(sources)
        story_id = members[0].story_id
        key = self._key([known.keys.get(s.article_hash) or s.article_hash for s in sources])
        stored = await self.index.run(_cached, chat_id, story_id, key)
        if stored is not None:
            # Labels are the chat's and change without a new comparison: today's, not the cached.
            return v.relabelled(StoryView.model_validate_json(stored), sources)
        try:
            made = await self._compare(chat_id, sources, texts)
        except LLMError as exc:
            log.warning("chat %s: story view made without the model: %s", chat_id, exc)
            return v.without_model(sources)
        await self.index.run(_keep, chat_id, story_id, key, made.model_dump_json())
        return made

    def _members(self, members: list[StoryArticle], known: _Known) -> list[v.Member]:
        out = []
        for m in members:
            key = known.keys.get(m.article_hash)
            out.append(
                v.Member(
                    article_hash=m.article_hash,
                    source_label=m.source_label,
                    copy_of=m.copy_of,
                    title=known.titles.get(m.article_hash),
                    briefing=self.cache.get(key) if key else None,
                    text=self.texts.get(m.article_hash),
                    source_url=known.urls.get(m.article_hash),
                )
            )
        return out

    def _key(self, briefing_keys: list[str]) -> str:
        model = self.llm.model if self.llm is not None else "-"
        joined = "|".join([self.prompt.name, self.prompt.version, model, *sorted(briefing_keys)])
        return hashlib.sha256(joined.encode()).hexdigest()

    async def _compare(
        self, chat_id: int, sources: list[StorySource], texts: dict[str, str]
    ) -> StoryView:
        assert self.llm is not None  # noqa: S101 - checked by the caller
        system, user = self.prompt.render(
            count=str(len(sources)), articles=v.prompt_articles(sources, texts)
        )
        with charged_to(None, chat_id):
            completion = await self.llm.complete(system=system, user=user, schema=StoryDraft)
        made = v.checked(completion.value, sources, texts)
        if made.dropped_framings:
            log.info("chat %s: %d framing lines dropped (quote not in that source)",
                     chat_id, made.dropped_framings)  # fmt: skip
        return made


def _cached(index: Index, chat_id: int, story_id: str, key: str) -> str | None:
    return story_rows.cached_view(index.connection, chat_id, story_id, key)


def _keep(index: Index, chat_id: int, story_id: str, key: str, view: str) -> None:
    with index.transaction() as db:
        story_rows.keep_view(db, chat_id, story_id, key, view)


async def set_label(index: Index, chat_id: int, source: str, label: str | None) -> None:
    """Label one of the chat's sources ("@channel", a site) — the chat's words, not ours."""

    def write(idx: Index) -> None:
        with idx.transaction() as db:
            story_rows.set_label(db, chat_id, source_key(source, ""), label)

    await index.run(write)


async def set_follow_label(index: Index, chat_id: int, source: FeedSource, label: str) -> str:
    """Label a source the chat follows, as /label would; return the name it is labelled by."""
    name = v.followed_name(source.kind, source.url, source.title)
    await set_label(index, chat_id, name, label)
    return name
