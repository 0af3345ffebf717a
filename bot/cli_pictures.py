"""`briefbot who NAME --png FILE` and `briefbot map --chat ID --png FILE`: the bot's pictures."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.errors import BriefbotError

if TYPE_CHECKING:
    from bot.services import Services


def add_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], who: argparse.ArgumentParser
) -> None:
    """Add `--png` to `who` and the `map` command."""
    who.add_argument("--png", type=Path, help="write the actor's stance timeline to this PNG file")
    picture = sub.add_parser(
        "map",
        help="who stands where: a chat's actors by issues, as a PNG",
        description="Draw who stands where: a chat's most active actors by its most frequent "
        "issues over a period, each cell coloured and shaped by the latest stance.",
    )
    picture.add_argument("--chat", type=int, required=True, help="Telegram chat id")
    picture.add_argument("--png", type=Path, required=True, help="the PNG file to write")
    picture.add_argument("--days", type=int, default=30, help="the period, in days (30)")
    picture.add_argument("--issue", default="", help="only issues with these words")


def wants_picture(args: argparse.Namespace) -> bool:
    """Tell whether the command line asks for a picture."""
    return args.command == "map" or (args.command == "who" and args.png is not None)


async def write_picture(settings: Settings, args: argparse.Namespace) -> None:
    """Write the picture the command line asks for; BriefbotError says why it can't be."""
    from bot.services import build_services

    services = build_services(settings)
    try:
        png = await (_timeline(services, args) if args.command == "who" else _map(services, args))
    finally:
        await services.aclose()
    try:
        args.png.write_bytes(png)
    except OSError as exc:
        raise BriefbotError(f"Cannot write {args.png}: {exc.strerror}") from None


async def _timeline(services: Services, args: argparse.Namespace) -> bytes:
    from bot.actors.lookup import find_page
    from bot.pictures.reads import timeline_of
    from bot.pictures.render import timeline_png

    if not args.name:
        raise BriefbotError("Name an actor: briefbot who NAME --chat ID --png FILE")
    index = services.index
    found, page = find_page(index, args.chat, args.name)
    if page is None:
        names = ", ".join(a.name for a in found.candidates)
        more = f" Several match: {names}." if names else ""
        raise BriefbotError(f"No single actor “{args.name}” in chat {args.chat}.{more}")
    data = timeline_of(index, args.chat, page)
    if data is None:
        raise BriefbotError(f"{page.actor.name} has fewer than two dated stances: no timeline.")
    return await timeline_png(services.pictures, data)


async def _map(services: Services, args: argparse.Namespace) -> bytes:
    from bot.pictures.captions import period
    from bot.pictures.reads import map_of
    from bot.pictures.render import map_png

    days = min(max(args.days, 1), 366)
    since = datetime.now(UTC) - timedelta(days=days)
    data = map_of(services.index, args.chat, since=since, days=days, topic=args.issue)
    if data is None:
        raise BriefbotError(f"No stances in chat {args.chat} in the {period(days)}.")
    return await map_png(services.pictures, data)
