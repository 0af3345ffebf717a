"""`briefbot ask --chat ID QUESTION`: a grounded answer from a chat's articles, in the terminal."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from bot.config import Settings
from bot.errors import BriefbotError


def add_parser(sub: Any) -> None:  # noqa: ANN401 - argparse's subparsers action has no public type
    """Add the `ask` subcommand to the `briefbot` parser."""
    ask = sub.add_parser(
        "ask",
        help="answer a question from a chat's articles, with citations",
        description="Answer a question only from a chat's articles: every sentence cites an "
        "article and its quote is checked against it; 'Your articles don't say' otherwise.",
    )
    ask.add_argument("question", nargs="+", help="the question, in any language the bot briefs")
    ask.add_argument("--chat", type=int, required=True, help="Telegram chat id")


async def run(settings: Settings, args: argparse.Namespace) -> None:
    """Answer the question from the chat's articles and print it with its sources."""
    from bot.render.answer_html import answer_text
    from bot.services import build_services

    question = " ".join(args.question).strip()
    if not question:
        raise BriefbotError("Ask a question, e.g. briefbot ask --chat 123 What did Kim say?")
    services = build_services(settings)
    try:
        # The chat's zone, as in Telegram: its /tz, else its digest's, else UTC.
        today = datetime.now(UTC).astimezone(services.zones.zone(args.chat)).date()
        result = await services.ask.ask(args.chat, question, today=today)
    finally:
        await services.aclose()
    if result.cached:
        print("(from cache: no LLM call)", file=sys.stderr)
    print(answer_text(result, args.chat))
