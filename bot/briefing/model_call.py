"""Asking the LLM for one article's briefing: cool-down, call, tidy, check, keep.

`BriefingService` (service.py) decides whether the LLM is asked at all: the cache, single
flight, events, the extractive fallback. What happens once it is asked is a concern of its
own: the cool-down after the server rejected our key, the single or long-form call in the
chat's language, the empty-answer check, the trust checks (bot/checks/quotes.py), and the
stored briefing handed back to be kept. `BriefingService` holds one `ModelCall`, built with
what it needs.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.articles.dates import day_label
from bot.briefing.tidy import language_instruction, tidy
from bot.checks.quotes import ground
from bot.errors import LLMAuthError, LLMInvalidOutputError, LLMNotConfiguredError
from bot.llm.delimiters import delimit
from bot.models import Article, ArticleRef, BriefingDraft, StoredBriefing

if TYPE_CHECKING:
    from bot.briefing.longform import LongForm
    from bot.llm.port import LLMPort
    from bot.llm.prompts import Prompt
    from bot.store.index import Index

log = logging.getLogger(__name__)

# After the server rejected our key, asking again per article is a retry storm that cannot
# succeed until the operator acts; articles get the extractive briefing meanwhile.
AUTH_COOL_DOWN_S = 300.0


Write = Callable[["Index"], object]  # a write for the database thread (see Events.write)
# Store a fresh briefing, index it and book its cost and event, on the database thread.
Keep = Callable[["Index", StoredBriefing, int | None, Write | None], None]


def prompt_date(article: Article) -> str:
    """Write the article's publication date for the prompt: "Thursday, 4 Dec 2026"."""
    when = article.published_at
    # The weekday too: "on Wednesday" in the text is then resolved without a calendar.
    return f"{when.astimezone(UTC):%A}, {day_label(when)}" if when else "(unknown)"


class ModelCall:
    """Ask the LLM for one article's briefing, cooling down after a rejected key."""

    def __init__(
        self,
        *,
        llm: LLMPort | None,
        prompt: Prompt,
        index: Index,
        model: str,
        keep: Keep,
        longform: LongForm | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._llm = llm
        self._prompt = prompt
        self._index = index
        self._model = model
        self._keep = keep
        self._longform = longform
        self._monotonic = monotonic
        self._auth_failed_at: float | None = None

    async def generate(
        self,
        key: str,
        article: Article,
        chat_id: int | None,
        language: str | None,
        *,
        briefed: Write | None = None,
    ) -> StoredBriefing:
        """Return the model's grounded briefing, kept; refuse while cooling down."""
        if self._llm is None:
            raise LLMNotConfiguredError
        if (
            self._auth_failed_at is not None
            and self._monotonic() - self._auth_failed_at < AUTH_COOL_DOWN_S
        ):
            raise LLMAuthError(
                "The LLM server rejected the credentials recently; not asking again yet."
            )
        try:
            return await self._call_llm(key, article, chat_id, language, briefed=briefed)
        except LLMAuthError as exc:
            now, last = self._monotonic(), self._auth_failed_at
            self._auth_failed_at = now
            if last is not None and now - last < AUTH_COOL_DOWN_S:
                raise  # a call that was already in flight: the operator has been told
            log.error(  # noqa: TRY400 - one operator line, no traceback: the cause is the key
                "%s Not calling the LLM for %.0f s; articles get the extractive briefing.",
                exc,
                AUTH_COOL_DOWN_S,
            )
            raise

    async def _call_llm(
        self,
        key: str,
        article: Article,
        chat_id: int | None,
        language: str | None,
        *,
        briefed: Write | None = None,
    ) -> StoredBriefing:
        assert self._llm is not None  # noqa: S101 - checked by the caller
        instruction = language_instruction(language)
        # The title is the sender's too: one line (so it cannot start a line of its own
        # that looks like a role), inside the block, with our markers neutralised.
        title = delimit(" ".join((article.title or "(none)").split()))
        if self._longform is not None and self._longform.needs_split(article.text):
            completion = await self._longform.draft(
                article.text, title, instruction, prompt_date(article)
            )
        else:
            system, user = self._prompt.render(
                language_instruction=instruction,
                title=title,
                published=prompt_date(article),
                article=delimit(article.text),
            )
            completion = await self._llm.complete(system=system, user=user, schema=BriefingDraft)
        draft = tidy(completion.value)
        if not draft.headline.strip() or not draft.tldr.strip():
            # Valid JSON, nothing to show: don't cache an empty answer as this article's.
            raise LLMInvalidOutputError("The model returned an empty briefing (no headline).")
        # Parsing the article's quotations and checking the summary is CPU work.
        briefing = await asyncio.to_thread(ground, draft, article.text)
        stored = StoredBriefing(
            key=key,
            # No source: the file is shared by every chat that sends this text, and who
            # forwarded it (a private user, a private group) is each chat's own business.
            article=ArticleRef(
                content_hash=article.content_hash,
                title=article.title,
                source=None,
                chars=len(article.text),
                truncated_from=article.truncated_from,
            ),
            prompt_name=self._prompt.name,
            prompt_version=self._prompt.version,
            model=self._model,
            created_at=datetime.now(UTC),
            usage=completion.usage,
            verified_stances=briefing.verified_count,
            total_stances=briefing.stance_count,
            briefing=briefing,
        )
        await self._index.run(self._keep, stored, chat_id, briefed)
        log.info(
            "briefed %s: %d/%d quotes in own words, %d+%d tokens",
            article.content_hash[:12],
            stored.verified_stances,
            stored.total_stances,
            completion.usage.prompt_tokens,
            completion.usage.completion_tokens,
        )
        return stored
