"""Digests: a chat's cached briefings for a period → one LLM overview, plus stance shifts."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime

from bot.articles.dates import published_label
from bot.briefing.tidy import fallback_reason
from bot.config import Settings
from bot.digest.extractive import extractive_draft
from bot.digest.models import DigestDraft, DigestResult, StoredDigest
from bot.digest.prompt_text import briefing_entry, describe_period, language_instruction
from bot.digest.reads import Notes, PublicName, footer, inputs, public_names
from bot.digest.stories import by_story, remember, story_sources
from bot.errors import LLMError, LLMNotConfiguredError
from bot.llm.port import LLMPort
from bot.llm.prompts import Prompt
from bot.models import StoredBriefing, Usage
from bot.ops.budget import charged_to, current_payer
from bot.store.briefing_cache import BriefingCache, JsonStore, SingleFlight, cache_key
from bot.store.chat_language import ChatLanguages
from bot.store.index import ChatArticle, Index

log = logging.getLogger(__name__)

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
        # Both hooks read the index they are given: the database thread's, off the loop.
        self.notes: Notes | None = None
        # The public name of an article's source in a chat, to name in the prompt (set by the
        # feeds: a followed feed's or channel's title). Nothing else is named: a forwarder's
        # or a private chat's name never goes to the LLM.
        self.public_name: PublicName | None = None

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
        window, omitted, shifts = await self._index.run(
            inputs, self._briefings, chat_id, since, until
        )
        if not window:
            return None
        # Read here, off the loop, so that `key` below finds the chat's choice known.
        language = await self._languages.effective_off_loop(chat_id)
        period = period or describe_period(since, until)
        # One entry per story, carrying every source of the story (bot/digest/stories.py).
        grouped = await self._index.run(by_story, chat_id, window)
        entries = grouped.entries
        all_sources = await self._index.run(story_sources, chat_id, grouped, since)
        names = await self._index.run(public_names, self.public_name, chat_id, entries, all_sources)
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
                key, entries, period, chat_id, names=names, dates=dates, language=language
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
        notes = await self._index.run(footer, self.notes, chat_id, shown, since=since, until=until)
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
            notes=notes,
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

    async def _get_or_generate(
        self,
        key: str,
        entries: list[tuple[ChatArticle, StoredBriefing]],
        period: str,
        chat_id: int,
        *,
        names: dict[str, list[str]],
        dates: dict[str, str],
        language: str | None,
    ) -> tuple[StoredDigest, bool]:
        # The cache is blobs in the database on PostgreSQL: read on the database thread.
        if (hit := await self._index.run(self._cached, key)) is not None:
            return hit, True
        # Single flight, as in bot/briefing/service.py: identical concurrent digests share one call.
        return await self._flights.run(
            key,
            lambda: self._generate(
                key,
                [s for _, s in entries],
                period,
                chat_id,
                names=names,
                dates=dates,
                language=language,
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
        language: str | None,
    ) -> StoredDigest:
        if self._llm is None:
            raise LLMNotConfiguredError
        system, user = self._prompt.render(
            language_instruction=language_instruction(language),
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
        await self._index.run(self._keep, digest, chat_id)
        log.info("digest %s: %d briefings, %d+%d tokens", key[:12], len(briefings),
                 completion.usage.prompt_tokens, completion.usage.completion_tokens)  # fmt: skip
        return digest

    def _cached(self, _index: Index, key: str) -> StoredDigest | None:
        return self._cache.get(key)

    def _keep(self, index: Index, digest: StoredDigest, chat_id: int) -> None:
        """Store a new digest and what it cost (a retry only puts the same blob again)."""
        self._cache.put(digest.key, digest)
        index.record_usage("digest", self.model, digest.usage, chat_id=chat_id)


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
