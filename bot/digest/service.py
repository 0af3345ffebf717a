"""Digests: a chat's cached briefings for a period → one LLM overview, plus stance shifts."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from bot.actors.lookup import stances_for_shifts
from bot.actors.shifts import Shift, find_shifts
from bot.articles.dates import published_label
from bot.briefing.tidy import fallback_reason
from bot.config import Settings
from bot.digest.extractive import extractive_draft
from bot.digest.models import DigestDraft, DigestResult, StoredDigest
from bot.digest.prompt_text import briefing_entry, describe_period, language_instruction
from bot.digest.stories import by_story, remember, story_sources
from bot.digest.stories import news as story_news
from bot.errors import LLMError, LLMNotConfiguredError
from bot.llm.port import LLMPort
from bot.llm.prompts import Prompt
from bot.models import Source, StoredBriefing, Usage
from bot.ops.budget import charged_to, current_payer
from bot.store.briefing_cache import BriefingCache, JsonStore, SingleFlight, cache_key
from bot.store.chat_language import ChatLanguages
from bot.store.index import ChatArticle, Index

log = logging.getLogger(__name__)

MAX_ARTICLES = 40  # newest kept: beyond this a digest prompt gets long and the overview thin
_CITATION = re.compile(r"[\[\]()\s]")


class DigestService:
    """Build a chat's digest from its cached briefings: one LLM call per distinct set."""

    def __init__(
        self,
        settings: Settings,
        *,
        llm: LLMPort | None,
        prompt: Prompt,
        cache: JsonStore[StoredDigest],
        briefing_cache: BriefingCache,
        index: Index,
        languages: ChatLanguages | None = None,
    ) -> None:
        self._settings = settings
        self._llm = llm
        self._prompt = prompt
        self._cache = cache
        self._briefings = briefing_cache
        self._index = index
        self._languages = languages or ChatLanguages(index, settings.briefing_language)
        self._flights: SingleFlight[StoredDigest] = SingleFlight()
        # Lines for the footer about the chat's period (set by the feeds: items skipped).
        self.notes: Callable[[int, datetime, datetime], list[str]] | None = None
        # The public name of an article's source in a chat, to name in the prompt (set by the
        # feeds: a followed feed's or channel's title). Nothing else is named: a forwarder's
        # or a private chat's name never goes to the LLM.
        self.public_name: Callable[[int, Source], str | None] | None = None

    @property
    def model(self) -> str:
        """Return the model whose digests count as cached."""
        return self._llm.model if self._llm else self._settings.llm_model

    def key(
        self,
        briefing_keys: Iterable[str],
        *,
        chat_id: int | None = None,
        sources: Iterable[str] = (),
        dates: Iterable[str] = (),
    ) -> str:
        """Key a digest by its briefings, their sources and dates, the prompt, model, language."""
        # The period text is left out on purpose: the same briefings make the same digest,
        # so a scheduled run and a CLI run minutes apart share one call.
        language = language_instruction(self._languages.effective(chat_id))
        head = ("digest", self._prompt.name, self._prompt.version, self.model, language)
        # The source names are in the prompt, so in the key: a digest naming one chat's sources
        # is never served to a chat that got the same articles from elsewhere.
        key = cache_key(*head, *sorted(briefing_keys), "sources", *sorted(sources))
        # The dates are in the prompt too, and are each chat's own (a forward's date): only
        # a digest of dated entries has them in its key, so older keys stay valid.
        dated = sorted(dates)
        return cache_key("digest", key, "dates", *dated) if dated else key

    async def build(
        self,
        chat_id: int,
        *,
        since: datetime,
        until: datetime,
        period: str | None = None,
        fallback: bool = True,
    ) -> DigestResult | None:
        """Digest the chat's briefed articles received in [since, until); None when none.

        When the model fails, the overview is made without it; with `fallback` False only when
        no model is set up (a failure is raised, for the caller to retry).
        """
        # SQL and files on the database thread: the event loop serves other chats meanwhile.
        window, omitted, shifts = await self._index.run(self._inputs, chat_id, since, until)
        if not window:
            return None
        period = period or describe_period(since, until)
        # One entry per story, carrying every source of the story (bot/digest/stories.py).
        grouped = await self._index.run(by_story, chat_id, window)
        entries = grouped.entries
        all_sources = await self._index.run(story_sources, chat_id, grouped, since)
        names = {
            s.key: self._public_names(chat_id, all_sources.get(a.article_hash, []))
            for a, s in entries
        }
        dates = {s.key: published_label(a.dated, a.published_from) for a, s in entries}
        key = self.key(
            (s.key for _, s in entries),
            chat_id=chat_id,
            sources=(f"{k}={n}" for k, labels in names.items() for n in labels),
            dates=(f"{k}={d}" for k, d in dates.items()),
        )
        reason = None
        try:
            digest, cached = await self._get_or_generate(
                key, entries, period, chat_id, names=names, dates=dates
            )
        except LLMError as exc:
            if not fallback and not isinstance(exc, LLMNotConfiguredError):
                raise
            # As for briefings: without the model the chat still gets what needs none.
            log.info("digest %s made without the model: %s", key[:12], exc.kind)
            reason, cached = fallback_reason(exc), False
            digest = self._extractive(key, [s for _, s in entries])
        by_key = {s.key: a for a, s in entries}
        ids = {f"A{n}": by_key.get(k) for n, k in enumerate(digest.article_keys, 1)}
        valid = {cid: a for cid, a in ids.items() if a is not None}
        draft, dropped = _check_citations(digest.draft, set(valid))
        if dropped:
            log.warning("digest %s: dropped %d invalid citation(s)", key[:12], dropped)
        shown = {
            grouped.story_of[a.article_hash]: (
                s.briefing.headline,
                [x.label for x in all_sources.get(a.article_hash, [])],
            )
            for a, s in entries
        }
        notes = await self._index.run(story_news, chat_id, shown)
        cited_ids = {c for t in draft.themes for c in t.citations}
        cited_ids |= {c for n in draft.notable_stances for c in n.citations}
        return DigestResult(
            chat_id=chat_id,
            since=since,
            until=until,
            period=period,
            draft=draft,
            cited={cid: a for cid, a in valid.items() if cid in cited_ids},
            shifts=shifts,
            article_count=len(window),
            stance_count=sum(s.total_stances for _, s in window),
            verified_count=sum(s.verified_stances for _, s in window),
            dropped_citations=dropped,
            omitted=omitted,
            cached=cached,
            usage=digest.usage,
            key=key,
            notes=[*notes, *(self.notes(chat_id, since, until) if self.notes else [])],
            sources={cid: all_sources.get(a.article_hash, []) for cid, a in valid.items()},
            extractive_reason=reason,
            shown={story: labels for story, (_headline, labels) in shown.items()},
        )

    async def remember_shown(self, chat_id: int, result: DigestResult) -> None:
        """Record what a delivered daily digest showed: "the last digest" of the next one."""
        await self._index.run(remember, chat_id, result.shown)

    def _extractive(self, key: str, briefings: list[StoredBriefing]) -> StoredDigest:
        """Make the overview without the model (never cached: it costs nothing to redo)."""
        return StoredDigest(
            key=key,
            prompt_name="extractive",
            prompt_version="1",
            model="none",
            created_at=datetime.now(UTC),
            usage=Usage(),
            article_keys=[s.key for s in briefings],
            draft=extractive_draft(briefings),
        )

    def _public_names(self, chat_id: int, sources: list[Source]) -> list[str]:
        if self.public_name is None:
            return []
        names = (self.public_name(chat_id, s) for s in sources)
        return list(dict.fromkeys(n for n in names if n))

    def _inputs(
        self, index: Index, chat_id: int, since: datetime, until: datetime
    ) -> tuple[list[tuple[ChatArticle, StoredBriefing]], int, list[Shift]]:
        """Read the window's newest briefings (oldest first), how many were left out, shifts."""
        window = index.queries.chat_articles(chat_id, since=since, until=until)  # newest first
        newest: list[tuple[ChatArticle, StoredBriefing]] = []
        omitted = 0
        for article in window:
            if len(newest) == MAX_ARTICLES:
                # Counted, not read: only the newest MAX_ARTICLES files are opened.
                omitted += article.briefing_key is not None
                continue
            stored = self._briefings.get(article.briefing_key) if article.briefing_key else None
            if stored is not None:
                newest.append((article, stored))
        rows = stances_for_shifts(index, chat_id, since=since, until=until)
        shifts = find_shifts(rows, since=since, verified_only=True)
        # Oldest published first reads as a story (an old article forwarded today is early).
        newest.sort(key=lambda entry: (entry[0].dated, entry[0].article_hash))
        return newest, omitted, shifts

    async def _get_or_generate(
        self,
        key: str,
        entries: list[tuple[ChatArticle, StoredBriefing]],
        period: str,
        chat_id: int,
        *,
        names: dict[str, list[str]],
        dates: dict[str, str],
    ) -> tuple[StoredDigest, bool]:
        if (hit := self._cache.get(key)) is not None:
            return hit, True
        # Single flight, as in bot/briefing/service.py: identical concurrent digests share one call.
        return await self._flights.run(
            key,
            lambda: self._generate(
                key, [s for _, s in entries], period, chat_id, names=names, dates=dates
            ),
        )

    async def _generate(
        self,
        key: str,
        briefings: list[StoredBriefing],
        period: str,
        chat_id: int,
        *,
        names: dict[str, list[str]],
        dates: dict[str, str] | None = None,
    ) -> StoredDigest:
        if self._llm is None:
            raise LLMNotConfiguredError
        system, user = self._prompt.render(
            language_instruction=language_instruction(self._languages.effective(chat_id)),
            period=period,
            count=str(len(briefings)),
            briefings="\n\n".join(
                briefing_entry(f"A{n}", s, names.get(s.key, ()), (dates or {}).get(s.key))
                for n, s in enumerate(briefings, 1)
            ),
        )
        # Charged to the chat (and to whoever asked, for /digest now) against the budgets.
        with charged_to(current_payer().user_id, chat_id):
            completion = await self._llm.complete(system=system, user=user, schema=DigestDraft)
        digest = StoredDigest(
            key=key,
            prompt_name=self._prompt.name,
            prompt_version=self._prompt.version,
            model=self.model,
            created_at=datetime.now(UTC),
            usage=completion.usage,
            article_keys=[s.key for s in briefings],
            draft=completion.value,
        )
        self._cache.put(key, digest)
        self._index.record_usage("digest", self.model, completion.usage, chat_id=chat_id)
        log.info("digest %s: %d briefings, %d+%d tokens", key[:12], len(briefings),
                 completion.usage.prompt_tokens, completion.usage.completion_tokens)  # fmt: skip
        return digest


def _check_citations(draft: DigestDraft, valid: set[str]) -> tuple[DigestDraft, int]:
    # Models write "[A3]", "a3" or "A3 " for "A3"; anything else not given to them is dropped.
    dropped = 0

    def keep(citations: list[str]) -> list[str]:
        nonlocal dropped
        kept: list[str] = []
        for raw in citations:
            cid = _CITATION.sub("", raw).upper()
            if cid in valid:
                kept += [cid] if cid not in kept else []
            else:
                dropped += 1
        return kept

    themes = [t.model_copy(update={"citations": keep(t.citations)}) for t in draft.themes]
    stances = [s.model_copy(update={"citations": keep(s.citations)}) for s in draft.notable_stances]
    return draft.model_copy(update={"themes": themes, "notable_stances": stances}), dropped
