"""`briefbot story --chat ID ARTICLE`: the story an article belongs to, in the terminal."""

from __future__ import annotations

import argparse
import sqlite3

from bot.config import Settings
from bot.errors import BriefbotError

MIN_PREFIX = 6  # hex digits of an article hash that name it unambiguously in practice


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the `story` subcommand."""
    story = sub.add_parser(
        "story",
        help="the story an article belongs to: every source compared",
        description="Show the story an article belongs to in a chat: every source of the event, "
        "what they agree and differ on, and how each frames it with its own quote.",
    )
    story.add_argument("article", help="the article's hash, or its first characters")
    story.add_argument("--chat", type=int, required=True, help="Telegram chat id")


def _find(prefix: str, chat_id: int, db: sqlite3.Connection) -> str:
    # substr, not a range up to a "highest" character: PostgreSQL's collation may order
    # text otherwise than by code point, and LIKE would read % and _ in what was typed.
    rows = db.execute(
        "SELECT DISTINCT article_hash FROM chat_story_articles WHERE chat_id = ?"
        " AND substr(article_hash, 1, ?) = ? LIMIT 2",
        (chat_id, len(prefix), prefix),
    ).fetchall()
    if not rows:
        raise BriefbotError(f"No article {prefix} in chat {chat_id}'s stories.")
    if len(rows) > 1:
        raise BriefbotError(f"Several articles start with {prefix}: give more characters.")
    return str(rows[0][0])


async def run(settings: Settings, args: argparse.Namespace) -> None:
    """Print the story of an article in a chat."""
    from bot.render.story_html import render_story
    from bot.render.terminal import html_to_text
    from bot.services import build_services

    prefix = args.article.strip().lower()
    if len(prefix) < MIN_PREFIX:
        raise BriefbotError(f"Give at least {MIN_PREFIX} characters of the article's hash.")
    services = build_services(settings)
    try:
        article_hash = _find(prefix, args.chat, services.index.connection)
        view = await services.story_views.view(args.chat, article_hash)
    finally:
        await services.aclose()
    if view is None:
        raise BriefbotError(f"Article {prefix} is not in a story in chat {args.chat}.")
    print(html_to_text(render_story(view)))
