"""`briefbot search --chat ID WORDS`: /search in the terminal (thin: parse, search, print)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from bot.config import Settings


def add_parser(sub: Any) -> None:  # noqa: ANN401 - argparse's subparsers action is private
    """Add the `search` subcommand."""
    search = sub.add_parser("search", help="search a chat's articles, as /search does")
    search.add_argument("words", nargs="+", help='words, "phrases" and filters (actor:kim …)')
    search.add_argument("--chat", type=int, required=True, help="Telegram chat id")
    search.add_argument("--limit", type=int, default=10, help="how many hits (default 10)")


async def run(settings: Settings, args: argparse.Namespace) -> None:
    """Print the chat's best matching articles; a bad query raises QueryError."""
    from bot.render.search_results import results_text
    from bot.search.query import parse_query
    from bot.services import build_services

    text = " ".join(args.words)
    query = parse_query(text, today=datetime.now(UTC).date())
    services = build_services(settings)
    try:
        hits, total = await services.archive.search(args.chat, query, limit=max(1, args.limit))
    finally:
        await services.aclose()
    if not hits:
        print(f"Nothing found for “{text}” in chat {args.chat}.")  # noqa: T201 - a CLI prints
        return
    print(results_text(hits, total, query=text))  # noqa: T201
