"""The core service: article → cache → LLM → grounding → stored briefing."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.briefing.facts import UpdateFacts
from bot.briefing.leased_flight import LeasedFlight
from bot.briefing.longform import LongForm
from bot.briefing.model_call import ModelCall, Write
from bot.briefing.tidy import fallback_reason
from bot.config import Settings
from bot.errors import (
    LLMAuthError,
    LLMError,
    LLMNotConfiguredError,
)
from bot.llm.port import LLMPort
from bot.llm.prompts import Prompt
from bot.logs import set_outcome
from bot.models import Article, ArticleRef, StoredBriefing
from bot.ops import stats
from bot.ops.budget import charged_to
from bot.store.briefing_cache import ArticleTexts, BriefingCache, SingleFlight, cache_key
from bot.store.chat_language import ChatLanguages
from bot.store.index import Index

log = logging.getLogger(__name__)


def writes(index: Index, *todo: Write | None) -> None:
    """Run writes on the database thread in one transaction (one commit); skip the Nones."""
    if any(todo):
        with index.transaction():
            for write in todo:
                if write is not None:
                    write(index)


@dataclass(frozen=True)
class BriefResult:
    """A briefing and whether it came from the cache."""

    stored: StoredBriefing
    cached: bool

    @property
    def degraded(self) -> bool:
        """Tell whether this is the extractive briefing, made without the LLM."""
        return self.stored.extractive_reason is not None


def as_sent(stored: StoredBriefing, article: Article) -> StoredBriefing:
    """Attach this request's own source and date (never another chat's) to a shared briefing."""
    ref = stored.article.model_copy(
        update={
            "source": article.source,
            "published_at": article.published_at,
            "published_from": article.published_from,
        }
    )
    return stored.model_copy(update={"article": ref})


class BriefingService:
    """Brief articles, paying for each (article, prompt version, model) at most once."""

    def __init__(
        self,
        settings: Settings,
        *,
        llm: LLMPort | None,
        prompt: Prompt,
        cache: BriefingCache,
        texts: ArticleTexts,
        index: Index,
        monotonic: Callable[[], float] = time.monotonic,
        merge_prompt: Prompt | None = None,
        languages: ChatLanguages | None = None,
        events: stats.Events | None = None,
        flight: LeasedFlight[StoredBriefing] | None = None,
    ) -> None:
        self._settings = settings
        self._llm = llm
        self._prompt = prompt
        self._cache = cache
        self._texts = texts
        self._index = index
        self._flights: SingleFlight[tuple[StoredBriefing, bool]] = SingleFlight()
        self._leased = flight or LeasedFlight(index)
        self._languages = languages or ChatLanguages(index, settings.briefing_language)
        self._events = events
        self._longform = (
            LongForm(llm, prompt, merge_prompt, settings.llm_max_input_tokens)
            if llm is not None and merge_prompt is not None
            else None
        )
        self._model_call = ModelCall(
            llm=llm,
            prompt=prompt,
            index=index,
            model=self.model,
            keep=self._keep,
            longform=self._longform,
            monotonic=monotonic,
        )

    @property
    def model(self) -> str:
        """Return the model whose briefings count as cached."""
        return self._llm.model if self._llm else self._settings.llm_model

    def key(self, article: Article, *, chat_id: int | None = None) -> str:
        """Return the cache key for this article under the prompt, model and chat's language."""
        return self._key(article, self._languages.effective(chat_id))

    async def _key_off_loop(self, article: Article, chat_id: int | None) -> tuple[str, str | None]:
        """Return the cache key and the chat's language, read on the database thread."""
        language = await self._languages.effective_off_loop(chat_id)
        return self._key(article, language), language

    def _key(self, article: Article, language: str | None) -> str:
        key = BriefingCache.key_for(
            article.content_hash, self._prompt.name, self._prompt.version, self.model
        )
        if self._longform is not None and self._longform.needs_split(article.text):
            merge = self._longform.merge_prompt  # a long article's answer depends on it too
            key = cache_key("briefing", key, merge.name, merge.version)
        # The language joins the key only when one is set, so "auto" keeps existing entries.
        return cache_key("briefing", key, "language", language) if language else key

    def cached(self, article: Article, *, chat_id: int | None = None) -> StoredBriefing | None:
        """Return the cached briefing without calling the LLM."""
        return self._cache.get(self.key(article, chat_id=chat_id))

    async def cached_off_loop(self, article: Article, *, chat_id: int | None = None) -> bool:
        """Tell whether the article's briefing is cached, reading on the database thread."""
        key, _ = await self._key_off_loop(article, chat_id)
        return await self._index.run(lambda _index: self._cache.get(key) is not None)

    async def lookup(
        self, article: Article, *, chat_id: int | None = None
    ) -> StoredBriefing | None:
        """Return the cached briefing (indexed), reading files off the event loop."""
        key, _ = await self._key_off_loop(article, chat_id)
        return await self._index.run(self._lookup, key, article)

    async def brief(
        self,
        article: Article,
        facts: UpdateFacts | None = None,
        *,
        fallback: bool = True,
        text_later: bool = False,
    ) -> BriefResult:
        """Return the article's briefing: from disk, else the LLM, else the extractive one.

        When `facts` say the cache was looked up, it is not read twice. With `text_later`,
        the article's text may still be on its way to disk: await `ArticleTexts.saved`
        before closing what holds it (a pending job). Without `fallback`, an LLM error is
        raised instead of making the extractive briefing.
        """
        facts = facts or UpdateFacts()
        chat_id, user_id = facts.chat_id, facts.user_id
        events = self._events

        def event(kind: str) -> Write | None:
            return events.write(kind, chat_id=chat_id, user_id=user_id) if events else None

        try:
            with charged_to(user_id, chat_id):  # the LLM calls below count against budgets
                result = await self._brief(article, facts, event=event, text_later=text_later)
        except LLMError as exc:
            set_outcome(f"failed:{stats.failure_kind(exc)}")
            if events:
                await events.record_off_loop(stats.FAILED, chat_id=chat_id, user_id=user_id,
                                             detail=stats.failure_kind(exc))  # fmt: skip
            if not fallback:
                raise
            # Not configured is a choice; a rejected key was already logged once, loudly.
            quiet = isinstance(exc, LLMNotConfiguredError | LLMAuthError)
            level = logging.INFO if quiet else logging.WARNING
            log.log(
                level, "no LLM briefing for %s (%s); extractive", article.content_hash[:12], exc
            )
            stored = await self.extractive(article, exc, chat_id=chat_id)
            set_outcome(f"extractive:{stats.failure_kind(exc)}")
            if events:
                await events.record_off_loop(stats.DEGRADED, chat_id=chat_id, user_id=user_id,
                                             detail=stats.failure_kind(exc))  # fmt: skip
            return BriefResult(as_sent(stored, article), cached=False)
        set_outcome("cached" if result.cached else "briefed", cache_hit=result.cached)
        return result

    async def extractive(
        self, article: Article, exc: LLMError, *, chat_id: int | None = None
    ) -> StoredBriefing:
        """Make, store and index the extractive briefing (never under the LLM's cache key)."""
        from bot.extractive.briefing import extractive_briefing  # lazy: a hit never needs it

        ref = ArticleRef(
            content_hash=article.content_hash,
            title=article.title,
            source=None,
            chars=len(article.text),
            truncated_from=article.truncated_from,
        )
        # Ranking is CPU work, quadratic in sentences: keep it off the event loop.
        stored = await asyncio.to_thread(
            extractive_briefing, ref, article.text, fallback_reason(exc)
        )
        key, _ = await self._key_off_loop(article, chat_id)
        await self._index.run(self._keep_extractive, stored, key)
        return stored

    def _keep_extractive(self, index: Index, stored: StoredBriefing, full_key: str) -> None:
        self._cache.put(stored.key, stored)
        if self._cache.get(full_key) is None:  # never shadow a full briefing
            index.index_briefing(stored)

    async def _brief(
        self,
        article: Article,
        facts: UpdateFacts,
        *,
        event: Callable[[str], Write | None],
        text_later: bool,
    ) -> BriefResult:
        # Every wait for the database thread is a round trip through the event loop, so the
        # writes that go together share one: the RECEIVED event with the lookup (and the
        # cache hit's), or it runs while the LLM works; BRIEFED with the briefing (_keep).
        chat_id, hit = facts.chat_id, facts.hit
        key, language = await self._key_off_loop(article, chat_id)
        received = None
        if facts.looked_up:
            hit_event = event(stats.CACHE_HIT) if hit else None
            received = asyncio.ensure_future(
                self._index.run(writes, event(stats.RECEIVED), hit_event)
            )
        else:
            hit = await self._index.run(
                self._lookup, key, article, event(stats.RECEIVED), event(stats.CACHE_HIT)
            )
        if hit is not None:
            if received is not None:
                await received
            return BriefResult(as_sent(hit, article), cached=True)
        # The text is saved (fsynced) on a thread of its own while the LLM works, so neither
        # the database thread nor the reply waits for the disk (see ArticleTexts.saved).
        saving = self._texts.put_soon(article.content_hash, article.text)
        try:
            briefed = event(stats.BRIEFED)

            def make() -> Awaitable[StoredBriefing]:
                return self._model_call.generate(key, article, chat_id, language, briefed=briefed)

            # This process's concurrent requests share one flight; processes, one lease.
            (stored, elsewhere), here = await self._flights.run(
                key, lambda: self._leased.run(key, lambda _: self._cache.get(key), make)
            )
            shared = elsewhere or here
            if shared:  # another request (or process) made it: for this one it is a cache hit
                await self._index.run(writes, event(stats.CACHE_HIT))
            return BriefResult(as_sent(stored, article), cached=shared)
        finally:
            if not text_later:
                await asyncio.shield(saving)
            if received is not None:
                await received

    def _lookup(
        self,
        index: Index,
        key: str,
        article: Article,
        received: Write | None = None,
        on_hit: Write | None = None,
    ) -> StoredBriefing | None:
        """Read the cached briefing (indexed, its text kept); record the events given."""
        hit = self._cache.get(key)
        if hit is None:
            writes(index, received)
            return None
        with index.transaction() if received or on_hit else contextlib.nullcontext():
            writes(index, received)  # one commit for the events and an old entry's indexing
            index.ensure_indexed(hit)
            writes(index, on_hit)
        self._texts.put(article.content_hash, article.text)  # saved before a hit, or now
        return hit

    def _keep(
        self, index: Index, stored: StoredBriefing, chat_id: int | None, briefed: Write | None
    ) -> None:
        self._cache.put(stored.key, stored)
        with index.transaction():  # one commit for the briefing, its stances, cost and event
            index.index_briefing(stored)
            index.record_usage("briefing", self.model, stored.usage, chat_id=chat_id)
            writes(index, briefed)
