"""`briefbot brief`: an article from a file, a link or stdin, briefed in the terminal.

With `--chat ID` the article joins that chat's history the way a forward does (recorded,
dated, briefed and indexed), so `briefbot who`, `digest` and the bot's /who see it.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from bot.briefing.facts import UpdateFacts
from bot.cli_input import _article
from bot.config import Settings
from bot.errors import BriefbotError


def _language(text: str | None) -> str | None:
    if text is None:
        return None
    from bot.store.chat_language import LanguageError, normalise_language

    try:
        return normalise_language(text)
    except LanguageError as exc:
        raise BriefbotError(str(exc)) from None


async def brief(settings: Settings, args: argparse.Namespace) -> None:
    """Brief the article; with --chat, record it in that chat's history first."""
    from bot.articles.dates import dated
    from bot.render.terminal import briefing_text
    from bot.services import build_services
    from bot.store.index import Index

    language = _language(args.lang)
    services = build_services(settings)
    try:
        if language is not None:
            # For this run only: a chat's stored /lang choice stays as it is.
            services.languages.pin(args.chat, language)
        now = datetime.now(UTC)
        article = dated(await _article(settings, services, args), received=now)
        if args.chat is not None:  # as a forward is recorded: before the briefing
            await services.index.run(
                Index.record_chat_article, args.chat, article.content_hash,
                message_id=None, received_at=now, title=article.title, source=article.source,
                published_at=article.published_at, published_from=article.published_from,
            )  # fmt: skip
        result = await services.briefing.brief(article, UpdateFacts(chat_id=args.chat))
    finally:
        await services.aclose()
    if result.degraded:
        hint = (
            "For the full briefing set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server "
            "such as Ollama."
            if not settings.llm_configured
            else "Run it again later for the full briefing."
        )
        # The briefing itself says it was made without the model, and why: say only what to do.
        print(f"({hint})", file=sys.stderr)
    elif result.cached:
        print("(from cache: no LLM call)", file=sys.stderr)
    if args.chat is not None:
        print(f"(recorded in chat {args.chat}'s history)", file=sys.stderr)
    if args.json:
        print(result.stored.model_dump_json(indent=2))
    else:
        print(briefing_text(result.stored, show_unverified=settings.show_unverified_quotes))
