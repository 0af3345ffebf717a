"""Command line: `briefbot run | brief | who | search | ask | map | …` (thin: call, print).

Each command's work is in a module of its own: cli_brief.py, cli_chat.py, cli_ops.py,
cli_export.py, cli_search.py, cli_ask.py, cli_story.py, cli_pictures.py, cli_migrate.py.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from bot import cli_pictures
from bot.config import Settings, load_settings
from bot.errors import BriefbotError, ConfigError

EXIT_ERROR = 1
EXIT_CONFIG = 2
CHAT_HELP = "Telegram chat id"
Command = Callable[[Settings, argparse.Namespace], Coroutine[Any, Any, None]]

# name: (one-line help in the list of commands, the description `briefbot NAME --help` opens with)
COMMANDS = {
    "run": ("run the Telegram bot", (
        "Run the Telegram bot: long polling, or a webhook when WEBHOOK_URL is set. It needs "
        "TELEGRAM_BOT_TOKEN; `briefbot check --for run` tells you whether it will start.")),
    "worker": ("answer the jobs a `briefbot run` received (shared database)", (
        "Answer the jobs, send the digests and poll the feeds of a bot whose updates another "
        "process receives (`briefbot run`, with JOB_WORKERS=0 or workers of its own), through "
        "the database they share: DATABASE_URL (PostgreSQL) or the same data directory on "
        "this machine. It never receives updates; it needs TELEGRAM_BOT_TOKEN to send. Stops "
        "on SIGTERM or Ctrl-C.")),
    "brief": ("brief an article file, a link, or '-' for stdin", (
        "Brief an article in the terminal: headline, TL;DR, key points, why it matters, and "
        "the actors' stances with their quotes checked. With --chat the article also joins "
        "that chat's history, as a forward to the bot would.")),
    "who": ("an actor's stances across a chat's articles", (
        "Show every stance an actor took in a chat's articles, newest first, with quotes and "
        "shifts; without a name, list the chat's actors.")),
    "digest": ("print a chat's digest of the last 24 h", (
        "Print the overview of a chat's articles of the last 24 h (made without the model "
        "when none is set up).")),
    "stats": ("usage, cache hits, tokens and cost: today and 7 days",
              "Show usage, cache hits, tokens and cost, today and over the last 7 days."),
    "check": ("check settings, Telegram, the LLM, the data dir and prompts", (
        "Check the settings, Telegram, the LLM, the data directory and the prompts, one line "
        "each. A missing Telegram token is 'not used' unless checked --for run.")),
    "follow": ("follow a feed, a site or a public channel in a chat", (
        "Follow a feed, a site or a public channel in a chat: its new items go into the "
        "chat's digest, /brief and /who.")),
    "unfollow": ("stop following a source in a chat", (
        "Stop following a source in a chat, named by its URL, @channel or title (see "
        "`briefbot following`).")),
    "following": ("the sources a chat follows",
                  "List the sources a chat follows, and how they fare."),
    "eval": ("score the configured model on the trust corpus",
             "Score the configured model on the trust corpus (costs tokens: asks first)."),
}  # fmt: skip


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefbot", description="Grounded news briefings, in Telegram and the terminal."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = {name: sub.add_parser(name, help=h, description=d) for name, (h, d) in COMMANDS.items()}
    brief = cmd["brief"]
    brief.add_argument(
        "file", help="a UTF-8 text, PDF or HTML file, an http(s) link, or - for standard input"
    )
    brief.add_argument("--json", action="store_true", help="print the stored JSON")
    brief.add_argument("--title", help="the article's title")
    brief.add_argument("--source", help="where the article came from")
    brief.add_argument("--chat", type=int, help="also record it in this Telegram chat's history")
    brief.add_argument("--lang", help="write the briefing in this language (e.g. fr, German)")
    cmd["who"].add_argument("name", nargs="?", help="actor name; omit to list actors")
    cmd["who"].add_argument("--page", type=int, default=1, help="which page of ten (1: newest)")
    for name in ("who", "digest", "follow", "unfollow", "following"):
        cmd[name].add_argument("--chat", type=int, required=True, help=CHAT_HELP)
    cmd["stats"].add_argument("--json", action="store_true", help="print JSON")
    cmd["check"].add_argument(
        "--for", dest="purpose", choices=["run"],
        help="check what that command needs: 'run' fails without a Telegram token",
    )  # fmt: skip
    cmd["follow"].add_argument("url", help="a feed or site URL, @channel or t.me/channel")
    cmd["follow"].add_argument("--live", action="store_true", help="one message per new item")
    cmd["follow"].add_argument(
        "--label", help="the chat's own label for the source in /story, e.g. 'state media'"
    )
    cmd["unfollow"].add_argument("url", help="the source's URL, @channel or title")
    from bot import cli_ask, cli_export, cli_migrate, cli_search, cli_story

    cli_pictures.add_parsers(sub, cmd["who"])  # who --png, map
    cli_search.add_parser(sub)
    cli_ask.add_parser(sub)
    cli_export.add_parser(sub)
    cli_story.add_parser(sub)
    cli_migrate.add_parser(sub)
    evaluate = cmd["eval"]
    evaluate.add_argument("--yes", action="store_true", help="don't ask before spending tokens")
    evaluate.add_argument("--json", action="store_true", help="print JSON for scripts")
    evaluate.add_argument("--limit", type=int, help="only the first N articles")
    return parser


def _command(name: str) -> Command:
    from bot import cli_ask, cli_brief, cli_chat, cli_export, cli_ops, cli_search, cli_story

    commands: dict[str, Command] = {
        "brief": cli_brief.brief,
        "who": cli_chat.who,
        "digest": cli_chat.digest,
        "follow": cli_chat.follow,
        "unfollow": cli_chat.unfollow,
        "following": cli_chat.following,
        "stats": cli_ops.stats,
        "export": cli_export.export,
        "story": cli_story.run,
        "search": cli_search.run,
        "ask": cli_ask.run,
    }
    return commands[name]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "check":
        from bot.ops.check import main as check_main

        return check_main(args.purpose)
    if args.command == "migrate":  # both stores are named on the line: no settings read
        from bot import cli_migrate

        return _outcome(lambda: cli_migrate.run(args))
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"briefbot: configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    from bot.logs import setup_logging

    level = settings.log_level if args.command in {"run", "worker"} else "WARNING"
    setup_logging(level, settings.secrets(), fmt=settings.log_format.value)
    return _outcome(lambda: _dispatch(settings, args))


def _dispatch(settings: Settings, args: argparse.Namespace) -> int | None:
    if cli_pictures.wants_picture(args):
        asyncio.run(cli_pictures.write_picture(settings, args))
    elif args.command == "run":
        from bot.telegram.app import run

        run(settings)
    elif args.command == "worker":
        from bot.telegram.worker import work

        work(settings)
    elif args.command == "eval":
        from bot.cli_ops import evaluate

        return evaluate(settings, args)
    else:
        asyncio.run(_command(args.command)(settings, args))
    return None


def _outcome(call: Callable[[], int | None]) -> int:
    """Run a command; turn its typed errors into one line on standard error and a status."""
    try:
        status = call()
    except ConfigError as exc:
        print(f"briefbot: configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except BriefbotError as exc:
        note = f" ({exc.operator_note})" if exc.operator_note else ""
        print(f"briefbot: {exc}{note}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    return status or 0
