"""`briefbot export --chat ID`: a chat's briefings, stances or one actor's, as md, csv or json."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.config import Settings
from bot.errors import BriefbotError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `export` to the command line's subcommands."""
    export = sub.add_parser(
        "export",
        help="write a chat's briefings, stances or one actor's, with every citation",
        description="Write a chat's briefings, its stances or one actor's stances, each with "
        "its quote, provenance, source, publication date and link.",
    )
    export.add_argument("--chat", type=int, required=True, help="Telegram chat id")
    export.add_argument("--format", choices=["md", "csv", "json"], default="md", help="default md")
    export.add_argument(
        "--what", choices=["briefings", "stances", "who"], default="briefings",
        help="briefings (default), every stance, or one actor's (with --name)",
    )  # fmt: skip
    export.add_argument("--name", help="the actor, for --what who")
    export.add_argument("--out", type=Path, help="the file to write (default: standard output)")


async def export(settings: Settings, args: argparse.Namespace) -> None:
    """Write the export (to --out, else standard output); say how much on standard error."""
    from bot.actors.lookup import find_in_chat
    from bot.export.formats import Format
    from bot.export.records import What
    from bot.export.service import ExportRequest, write_export, write_to
    from bot.services import build_services

    what, fmt = What(args.what), Format(args.format)
    if what is What.WHO and not args.name:
        raise BriefbotError("--what who needs --name NAME.")
    services = build_services(settings)
    try:
        request = ExportRequest(args.chat, what, fmt)
        if what is What.WHO:
            found = find_in_chat(services.index, args.chat, args.name)
            if found.match is None:
                names = ", ".join(a.name for a in found.candidates)
                raise BriefbotError(
                    f"Several actors match “{args.name}”: {names}. Be more specific."
                    if names
                    else f"No actor “{args.name}” in chat {args.chat}'s articles."
                )
            request = ExportRequest(
                args.chat, what, fmt, actor=found.match.name, names=frozenset(found.match.names)
            )
        index, cache, today = services.index, services.cache, datetime.now(UTC).date()
        if args.out:
            count = write_export(index, cache, request, args.out, today)
        else:
            count = write_to(sys.stdout, index, cache, request, today)
    finally:
        await services.aclose()
    noun = "briefing" if what is What.BRIEFINGS else "stance"
    print(f"{count} {noun}{'s' * (count != 1)} exported.", file=sys.stderr)
