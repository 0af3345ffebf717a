"""`briefbot who | digest | follow | unfollow | following`: a chat's history from the terminal."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta

from bot.config import Settings
from bot.errors import BriefbotError


async def who(settings: Settings, args: argparse.Namespace) -> None:
    """Print an actor's stances in a chat, or the chat's actors."""
    from bot.actors.identity import identities, lookup
    from bot.actors.shifts import actor_shifts
    from bot.render.terminal import html_to_text
    from bot.render.who_page import render_actor, render_actor_list
    from bot.services import build_services

    services = build_services(settings)
    try:
        rows = services.index.queries.chat_stances(args.chat)
    finally:
        await services.aclose()
    actors = identities(rows)
    if not args.name:
        print(html_to_text(render_actor_list(actors, days=None)))
        return
    found = lookup(args.name, actors)
    if found.match is not None:
        html = render_actor(
            found.match, actor_shifts(found.match), chat_id=args.chat, number=args.page
        )
        print(html_to_text(html))
    elif found.candidates:
        names = ", ".join(a.name for a in found.candidates)
        raise BriefbotError(f"Several actors match “{args.name}”: {names}. Be more specific.")
    else:
        hint = f" Did you mean: {', '.join(found.suggestions)}?" if found.suggestions else ""
        raise BriefbotError(f"No actor “{args.name}” in chat {args.chat}'s articles.{hint}")


async def digest(settings: Settings, args: argparse.Namespace) -> None:
    """Print a chat's digest of the last 24 h."""
    from bot.render.dates import DateStyle
    from bot.render.digest_html import render_digest_text
    from bot.services import build_services

    services = build_services(settings)
    now = datetime.now(UTC)
    try:
        result = await services.digests.build(args.chat, since=now - timedelta(hours=24), until=now)
        dates = DateStyle(services.zones.zone(args.chat))  # the chat's zone; years always said
    finally:
        await services.aclose()
    if result is None:
        raise BriefbotError(f"No briefed articles in chat {args.chat} in the last 24 h.")
    if result.cached:
        print("(from cache: no LLM call)", file=sys.stderr)
    print(render_digest_text(result, dates))


async def follow(settings: Settings, args: argparse.Namespace) -> None:
    """Follow a feed, a site or a public channel in a chat."""
    from bot.errors import SourceError
    from bot.feeds.followed_html import every
    from bot.render.plural import counted
    from bot.services import build_services
    from bot.stories.view import label_text
    from bot.stories.views import set_follow_label

    label = label_text(args.label or "")
    if args.label is not None and label is None:
        raise BriefbotError("--label needs the label's words, e.g. --label 'state media'.")
    services = build_services(settings)
    try:
        done = await services.feeds.follow(args.chat, args.url, live=args.live)
        source = done.follow.source
        name = await set_follow_label(services.index, args.chat, source, label) if label else None
    except SourceError as exc:
        raise BriefbotError(exc.reason) from None
    finally:
        await services.aclose()
    verb = "Following" if done.new else "Still following"
    items = counted(done.items, "item")
    print(f"{verb} {source.title} ({items}) in chat {args.chat}: {source.url}")
    if name is not None:
        print(f"{name} is labelled “{label}” in /story.")
    print(f"The running bot checks it every {every(settings.feed_poll_interval_s)}.")


def _same_source(text: str, url: str, title: str) -> bool:
    from bot.feeds.channel import channel_name, preview_url

    def bare(link: str) -> str:
        return link.casefold().split("://", 1)[-1].removeprefix("www.").rstrip("/")

    if (name := channel_name(text)) is not None and bare(url) == bare(preview_url(name)):
        return True
    return bare(text) == bare(url) or text.strip().casefold() == title.strip().casefold()


async def unfollow(settings: Settings, args: argparse.Namespace) -> None:
    """Stop following a source in a chat, named by its URL, @channel or title."""
    from bot.services import build_services

    services = build_services(settings)
    try:
        follows = await services.feeds.following_off_loop(args.chat)
        found = [f for f in follows if _same_source(args.url, f.source.url, f.source.title)]
        if not found:
            known = "; ".join(f.source.url for f in follows) or "none"
            raise BriefbotError(f"Chat {args.chat} doesn't follow {args.url}. It follows: {known}.")
        for f in found:
            await services.feeds.unfollow_off_loop(args.chat, f.source.id)
    finally:
        await services.aclose()
    for f in found:
        print(f"Unfollowed {f.source.title} in chat {args.chat}: {f.source.url}")


async def following(settings: Settings, args: argparse.Namespace) -> None:
    """Print the sources a chat follows."""
    from bot.feeds.followed_html import describe_follow
    from bot.render.terminal import html_to_text
    from bot.services import build_services

    services = build_services(settings)
    try:
        follows = await services.feeds.following_off_loop(args.chat)
    finally:
        await services.aclose()
    if not follows:
        raise BriefbotError(f"Chat {args.chat} follows no sources.")
    now = datetime.now(UTC)
    print("\n\n".join(html_to_text(describe_follow(f, now)) for f in follows))
