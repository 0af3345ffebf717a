"""The LLM's draft on its way to a briefing: tidied, in which language, or why it is missing."""

from __future__ import annotations

import re

from bot.articles.text import canonical
from bot.briefing.languages import language_of
from bot.errors import (
    LLMAuthError,
    LLMError,
    LLMInvalidOutputError,
    LLMNotConfiguredError,
    LLMRefusalError,
    LLMRequestError,
    LLMTruncatedError,
    LLMUnavailableError,
)
from bot.extractive.reasons import MISCONFIGURED, NO_MODEL, REFUSED_REQUEST
from bot.models import MAX_KEY_POINTS, Actor, BriefingDraft, KeyPoint
from bot.ops.budget import BudgetExceededError

# A sentence ends at . ! ? (and a closing quote after it) before a capital or an opening quote;
# "the U.S. said" does not end one.
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019»]?(?=\s+[\"“«]?[A-ZÀ-ÝА-Я0-9])")
MAX_TLDR_SENTENCES = 3
_REASONS: list[tuple[type[LLMError], str]] = [
    (LLMNotConfiguredError, NO_MODEL),
    (LLMAuthError, MISCONFIGURED),
    (LLMUnavailableError, "the language model is not answering right now"),
    (LLMRefusalError, "the language model declined to brief this article"),
    (LLMTruncatedError, "the language model's answer was cut off"),
    (LLMInvalidOutputError, "the language model's answer was unusable"),
    (LLMRequestError, REFUSED_REQUEST),
]


def fallback_reason(exc: LLMError) -> str:
    """Say in one line, fit for any user, why the LLM's briefing is missing."""
    if isinstance(exc, BudgetExceededError):
        return exc.user_message.removesuffix(".")  # whose budget, and when it resets
    for kind, reason in _REASONS:
        if isinstance(exc, kind):
            return reason
    return "the language model failed"


def language_instruction(language: str | None) -> str:
    """Say which language to write in: the configured one (a tag), else the article's own."""
    if language:
        # The name comes from the registry, by the stored tag: never the text a user typed.
        return f"Write the briefing in {language_of(language).name}."
    return "Write the briefing in the same language as the article."


def first_sentences(text: str, count: int) -> str:
    """Keep the first `count` sentences of `text`."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    return text[: ends[count - 1]] if len(ends) >= count else text


def tidy(draft: BriefingDraft) -> BriefingDraft:
    """Fix what models commonly get slightly wrong without a costly repair round."""
    actors: list[Actor] = []
    for actor in draft.actors:
        name = actor.name.strip()
        if not name:
            continue
        seen = {canonical(name)}
        aliases = []
        for alias in (a.strip() for a in actor.aliases):
            if alias and canonical(alias) not in seen:
                seen.add(canonical(alias))
                aliases.append(alias)
        actors.append(actor.model_copy(update={"name": name, "aliases": aliases}))
    points = [
        KeyPoint(text=p.text.strip(), source=p.source.strip())
        for p in draft.key_points
        if p.text.strip()
    ][:MAX_KEY_POINTS]
    tldr = first_sentences(draft.tldr.strip(), MAX_TLDR_SENTENCES)
    return draft.model_copy(update={"actors": actors, "key_points": points, "tldr": tldr})
