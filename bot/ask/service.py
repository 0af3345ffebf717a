"""/ask: a question → the chat's passages → the model's cited answer → checks → reply.

Retrieval is lexical (the archive's BM25) with the actor and dates the question names. The
model sees only the passages, numbered; its answer is cached by (question, the passages,
prompt, model) after it is checked sentence by sentence (grounding.py): only what passes is
cached, and only what passes again is shown.
When nothing survives, the model says the passages do not answer, or nothing matched, the
reply is "Your articles don't say." with the closest matches. Without a model the best
passages themselves are the reply.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from bot.actors.lookup import chat_directory
from bot.ask.grounding import Grounded, ground_answer
from bot.ask.models import AnswerCache, AnswerDraft, AskResult, Mode, StoredAnswer
from bot.ask.periods import Period
from bot.ask.prompt_text import passage_entry, passages_block, question_text
from bot.ask.question import Understood, understand, without_actor
from bot.errors import LLMNotConfiguredError
from bot.llm.port import LLMPort
from bot.llm.prompts import Prompt
from bot.ops.budget import charged_to
from bot.search.archive import Archive, Passage
from bot.store.briefing_cache import ArticleTexts, SingleFlight, cache_key
from bot.store.index import Index

log = logging.getLogger(__name__)

PASSAGES = 12  # what the model reads: enough for a question spanning articles, one screen each
SHOWN_WITHOUT_MODEL = 5
CLOSEST = 3


@dataclass
class Prepared:
    """A question read and its passages found: what is known before anything is paid for."""

    chat_id: int
    question: str
    understood: Understood
    article_hash: str | None
    passages: list[Passage]
    key: str | None = None  # the answer's cache key, when a model would be asked
    hit: StoredAnswer | None = None  # the cached answer, when there is one

    @property
    def costs(self) -> bool:
        """Tell whether answering will ask the model (and so spend the asker's quota)."""
        return self.key is not None and self.hit is None

    @property
    def period(self) -> Period | None:
        """Return the dates the question's time words were read as."""
        return self.understood.period


class AskService:
    """Answer a question from one chat's articles, every sentence checked against them."""

    def __init__(
        self,
        *,
        llm: LLMPort | None,
        prompt: Prompt,
        cache: AnswerCache,
        archive: Archive,
        index: Index,
        texts: ArticleTexts,
    ) -> None:
        self._llm = llm
        self._prompt = prompt
        self._cache = cache
        self.archive = archive
        self._index = index
        self._texts = texts
        self._flights: SingleFlight[tuple[StoredAnswer, Grounded]] = SingleFlight()

    @property
    def configured(self) -> bool:
        """Tell whether a model writes answers (else the passages are the reply)."""
        return self._llm is not None

    def key(self, question: str, passages: Sequence[Passage]) -> str:
        """Key an answer by the question, the set of passages, the prompt and the model."""
        assert self._llm is not None  # noqa: S101 - only asked when a model answers
        # Each passage as the prompt shows it (passage_entry): its header is each chat's own
        # (the date a forward was posted, the source it came from), so it is in the key too.
        # In order, not sorted: the answer cites passages by their number.
        texts = [
            f"{p.article_hash}:{hashlib.sha256(passage_entry(0, p).encode()).hexdigest()[:16]}"
            for p in passages
        ]
        head = ("ask", self._prompt.name, self._prompt.version, self._llm.model)
        return cache_key(*head, " ".join(question.split()).casefold(), *texts)

    async def ask(
        self,
        chat_id: int,
        question: str,
        *,
        today: date,
        article_hash: str | None = None,
        user_id: int | None = None,
    ) -> AskResult:
        """Answer the question from this chat's articles (one article's, when given)."""
        prepared = await self.prepare(chat_id, question, today=today, article_hash=article_hash)
        return await self.answer(prepared, user_id=user_id)

    async def prepare(
        self, chat_id: int, question: str, *, today: date, article_hash: str | None = None
    ) -> Prepared:
        """Read the question, retrieve its passages and look the answer up in the cache."""
        actors, _ = await self._index.run(chat_directory, chat_id)
        understood = understand(question, today=today, actors=actors)
        passages = await self._retrieve(chat_id, understood, article_hash)
        prepared = Prepared(chat_id, question, understood, article_hash, passages)
        if passages and self._llm is not None:
            prepared.key = self.key(question, passages)
            prepared.hit = await asyncio.to_thread(self._cache.get, prepared.key)
        return prepared

    async def answer(self, prepared: Prepared, *, user_id: int | None = None) -> AskResult:
        """Ask the model (unless cached), check its answer and return what may be shown."""
        question, passages, period = prepared.question, prepared.passages, prepared.period
        if not passages:
            closest = await self._closest(
                prepared.chat_id, prepared.understood, prepared.article_hash
            )
            return AskResult(question, Mode.UNANSWERED, sources=closest, period=period)
        if self._llm is None or prepared.key is None:
            shown = _distinct(passages, SHOWN_WITHOUT_MODEL, per_article=2)
            return AskResult(question, Mode.PASSAGES, sources=shown, period=period)
        if prepared.hit is not None:
            # Checked again though only what passed is cached: an article's text may have
            # gone since, and an answer cached by an older, laxer check is held to this one.
            stored, cached = prepared.hit, True
            grounded = await self._ground(stored.draft, passages)
        else:
            (stored, grounded), cached = await self._flights.run(
                prepared.key,
                lambda: self._generate(prepared.key or "", prepared.chat_id, question, passages,
                                       user_id),
            )  # fmt: skip
        kept, sources, dropped = grounded.sentences, grounded.sources, grounded.dropped
        if stored.draft.unanswerable or not kept:
            closest = _distinct(passages, CLOSEST)
            return AskResult(
                question, Mode.UNANSWERED, sources=closest, dropped=dropped, cached=cached,
                called=not cached, period=period,
            )  # fmt: skip
        return AskResult(
            question, Mode.ANSWER, sentences=kept, sources=sources, dropped=dropped,
            cached=cached, called=not cached, period=period,
        )  # fmt: skip

    async def _retrieve(
        self, chat_id: int, understood: Understood, article_hash: str | None
    ) -> list[Passage]:
        query = understood.query
        found = await self.archive.passages(
            chat_id, query, limit=PASSAGES, article_hash=article_hash
        )
        if query.actor is None or len(found) >= PASSAGES:
            return found
        # The actor a question names is often its topic, not its speaker ("Which Russian
        # companies…", "What did Iran say about US sanctions?"), and an article may name it in
        # a way no briefing recorded: the actor's passages come first, the words' fill up.
        wide = await self.archive.passages(
            chat_id, without_actor(query), limit=PASSAGES, article_hash=article_hash
        )
        seen = {(p.article_hash, p.text) for p in found}
        found += [p for p in wide if (p.article_hash, p.text) not in seen]
        return found[:PASSAGES]

    async def _closest(
        self, chat_id: int, understood: Understood, article_hash: str | None
    ) -> list[Passage]:
        """Return what comes closest when nothing matched: the words alone, no filters."""
        query = understood.query
        if query.actor is None and query.since is None and query.until is None:
            return []
        wide = type(query)(text=query.text, phrases=query.phrases)
        found = await self.archive.passages(
            chat_id, wide, limit=PASSAGES, article_hash=article_hash
        )
        return _distinct(found, CLOSEST)

    async def _generate(
        self,
        key: str,
        chat_id: int,
        question: str,
        passages: list[Passage],
        user_id: int | None,
    ) -> tuple[StoredAnswer, Grounded]:
        if self._llm is None:
            raise LLMNotConfiguredError
        system, user = self._prompt.render(
            question=question_text(question), passages=passages_block(passages)
        )
        with charged_to(user_id, chat_id):  # the call counts against the budgets
            completion = await self._llm.complete(system=system, user=user, schema=AnswerDraft)
        grounded = await self._ground(completion.value, passages)
        if grounded.dropped:  # counted, not quoted: the question and the answer are the chat's
            log.info("ask %s: %d sentences removed by the checks, %d kept", key[:12],
                     len(grounded.dropped), len(grounded.sentences))  # fmt: skip
        stored = StoredAnswer(
            key=key,
            prompt_name=self._prompt.name,
            prompt_version=self._prompt.version,
            model=self._llm.model,
            created_at=datetime.now(UTC),
            usage=completion.usage,
            draft=grounded.draft,  # what failed the checks is never stored
        )
        await asyncio.to_thread(self._cache.put, key, stored)
        await self._index.run(_record_usage, self._llm.model, stored, chat_id)
        return stored, grounded

    async def _ground(self, draft: AnswerDraft, passages: list[Passage]) -> Grounded:
        hashes = {p.article_hash for p in passages}
        texts = await asyncio.to_thread(lambda: {h: t for h in hashes if (t := self._texts.get(h))})
        return await asyncio.to_thread(ground_answer, draft, passages, texts)


def _record_usage(index: Index, model: str, stored: StoredAnswer, chat_id: int) -> None:
    index.record_usage("ask", model, stored.usage, chat_id=chat_id)


def _distinct(passages: Sequence[Passage], limit: int, *, per_article: int = 1) -> list[Passage]:
    """Keep the best passages, at most `per_article` of each article, `limit` in all."""
    kept: list[Passage] = []
    counts: dict[str, int] = {}
    for passage in sorted(passages, key=lambda p: -p.score):
        if counts.get(passage.article_hash, 0) < per_article:
            counts[passage.article_hash] = counts.get(passage.article_hash, 0) + 1
            kept.append(passage)
        if len(kept) == limit:
            break
    return kept
