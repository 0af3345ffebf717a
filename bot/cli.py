"""Command line: `briefbot run | brief | who | map | digest | eval` (thin: parse, call, print)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from bot import cli_pictures
from bot.cli_input import _article
from bot.config import Settings, load_settings
from bot.errors import BriefbotError, ConfigError

EXIT_ERROR = 1
EXIT_CONFIG = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefbot", description="Grounded news briefings, in Telegram and the terminal."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the Telegram bot")
    brief = sub.add_parser("brief", help="brief an article file, a link, or '-' for stdin")
    brief.add_argument(
        "file", help="a UTF-8 text, PDF or HTML file, an http(s) link, or - for standard input"
    )
    brief.add_argument("--json", action="store_true", help="print the stored JSON")
    brief.add_argument("--title", help="the article's title")
    brief.add_argument("--source", help="where the article came from")
    who = sub.add_parser("who", help="an actor's stances across a chat's articles")
    who.add_argument("name", nargs="?", help="actor name; omit to list actors")
    who.add_argument("--chat", type=int, required=True, help="Telegram chat id")
    cli_pictures.add_parsers(sub, who)  # who --png, map
    digest = sub.add_parser("digest", help="print a chat's digest of the last 24 h")
    digest.add_argument("--chat", type=int, required=True, help="Telegram chat id")
    stats = sub.add_parser("stats", help="usage, cache hits, tokens and cost: today and 7 days")
    stats.add_argument("--json", action="store_true", help="print JSON")
    sub.add_parser("check", help="check settings, Telegram, the LLM, the data dir and prompts")
    follow = sub.add_parser("follow", help="follow a feed, a site or a public channel in a chat")
    follow.add_argument("url", help="a feed or site URL, @channel or t.me/channel")
    follow.add_argument("--chat", type=int, required=True, help="Telegram chat id")
    follow.add_argument("--live", action="store_true", help="one message per new item")
    following = sub.add_parser("following", help="the sources a chat follows")
    following.add_argument("--chat", type=int, required=True, help="Telegram chat id")
    evaluate = sub.add_parser("eval", help="score the configured model on the trust corpus")
    evaluate.add_argument("--yes", action="store_true", help="don't ask before spending tokens")
    evaluate.add_argument("--json", action="store_true", help="print JSON for scripts")
    evaluate.add_argument("--limit", type=int, help="only the first N articles")
    return parser


async def _brief(settings: Settings, args: argparse.Namespace) -> None:
    from bot.render.terminal import briefing_text
    from bot.services import build_services

    services = build_services(settings)
    try:
        from bot.articles.dates import dated

        article = dated(await _article(settings, services, args), received=datetime.now(UTC))
        result = await services.briefing.brief(article)
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
    if args.json:
        print(result.stored.model_dump_json(indent=2))
    else:
        print(briefing_text(result.stored, show_unverified=settings.show_unverified_quotes))


async def _who(settings: Settings, args: argparse.Namespace) -> None:
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
        html = render_actor(found.match, actor_shifts(found.match), chat_id=args.chat)
        print(html_to_text(html))
    elif found.candidates:
        names = ", ".join(a.name for a in found.candidates)
        raise BriefbotError(f"Several actors match “{args.name}”: {names}. Be more specific.")
    else:
        hint = f" Did you mean: {', '.join(found.suggestions)}?" if found.suggestions else ""
        raise BriefbotError(f"No actor “{args.name}” in chat {args.chat}'s articles.{hint}")


async def _digest(settings: Settings, args: argparse.Namespace) -> None:
    from datetime import UTC, datetime, timedelta

    from bot.render.digest_html import render_digest_text
    from bot.services import build_services

    services = build_services(settings)
    now = datetime.now(UTC)
    try:
        result = await services.digests.build(args.chat, since=now - timedelta(hours=24), until=now)
    finally:
        await services.aclose()
    if result is None:
        raise BriefbotError(f"No briefed articles in chat {args.chat} in the last 24 h.")
    if result.cached:
        print("(from cache: no LLM call)", file=sys.stderr)
    print(render_digest_text(result))


async def _stats(settings: Settings, args: argparse.Namespace) -> None:
    import json

    from bot.ops.report import render_text, report_for
    from bot.services import build_services

    services = build_services(settings)
    try:
        periods = report_for(services.events, settings, services.budget)
    finally:
        await services.aclose()
    if args.json:
        data = {name: period.as_json() for name, period in periods.items()}
        print(json.dumps({"model": settings.llm_model, **data}, indent=2))
    else:
        print(render_text(periods, model=settings.llm_model))


async def _follow(settings: Settings, args: argparse.Namespace) -> None:
    from bot.errors import SourceError
    from bot.feeds.followed_html import every
    from bot.services import build_services

    services = build_services(settings)
    try:
        done = await services.feeds.follow(args.chat, args.url, live=args.live)
    except SourceError as exc:
        raise BriefbotError(exc.reason) from None
    finally:
        await services.aclose()
    source = done.follow.source
    verb = "Following" if done.new else "Still following"
    print(f"{verb} {source.title} ({done.items} items) in chat {args.chat}: {source.url}")
    print(f"The running bot checks it every {every(settings.feed_poll_interval_s)}.")


async def _following(settings: Settings, args: argparse.Namespace) -> None:
    from datetime import UTC, datetime

    from bot.feeds.followed_html import describe_follow
    from bot.render.terminal import html_to_text
    from bot.services import build_services

    services = build_services(settings)
    try:
        follows = services.feeds.following(args.chat)
    finally:
        await services.aclose()
    if not follows:
        raise BriefbotError(f"Chat {args.chat} follows no sources.")
    now = datetime.now(UTC)
    print("\n\n".join(html_to_text(describe_follow(f, now)) for f in follows))


def _eval(settings: Settings, args: argparse.Namespace) -> int:
    import json

    from bot.evaluation.corpus_model import load_corpus
    from bot.evaluation.eval_report import article_line, as_json, as_text, estimate_line
    from bot.evaluation.run_eval import NOT_CONFIGURED, estimate, run_eval

    if not settings.llm_configured:
        print(NOT_CONFIGURED, file=sys.stderr)
        return EXIT_CONFIG
    articles = load_corpus(subset=True)[: args.limit]
    print(estimate_line(estimate(settings, articles), settings.llm_model), file=sys.stderr)
    if not args.yes:
        if not sys.stdin.isatty():
            print("briefbot eval: no terminal to confirm the cost; add --yes.", file=sys.stderr)
            return EXIT_ERROR
        if input("Go on? [y/N] ").strip().casefold() not in {"y", "yes"}:
            print("Nothing was sent.", file=sys.stderr)
            return EXIT_ERROR
    show = None if args.json else lambda result: print(article_line(result), flush=True)
    report = asyncio.run(run_eval(settings, articles, on_article=show))
    if args.json:
        print(json.dumps(as_json(report), indent=2, ensure_ascii=False))
    else:
        print("\n" + as_text(report, articles=False))
    return 0


def main(argv: Sequence[str] | None = None) -> int:  # noqa: C901, PLR0911, PLR0912 - a flat dispatch reads best
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "check":
        from bot.ops.check import main as check_main

        return check_main()
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"briefbot: configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    from bot.logs import setup_logging

    level = settings.log_level if args.command == "run" else "WARNING"
    setup_logging(level, settings.secrets(), fmt=settings.log_format.value)
    try:
        if cli_pictures.wants_picture(args):
            asyncio.run(cli_pictures.write_picture(settings, args))
        elif args.command == "run":
            from bot.telegram.app import run

            run(settings)
        elif args.command == "brief":
            asyncio.run(_brief(settings, args))
        elif args.command == "who":
            asyncio.run(_who(settings, args))
        elif args.command == "stats":
            asyncio.run(_stats(settings, args))
        elif args.command == "follow":
            asyncio.run(_follow(settings, args))
        elif args.command == "following":
            asyncio.run(_following(settings, args))
        elif args.command == "eval":
            return _eval(settings, args)
        else:
            asyncio.run(_digest(settings, args))
    except ConfigError as exc:
        print(f"briefbot: configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except BriefbotError as exc:
        print(f"briefbot: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    return 0
