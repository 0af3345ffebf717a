"""`briefbot stats | eval`: what the bot costs and how well the model does."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.config import Settings

EXIT_ERROR = 1
EXIT_CONFIG = 2


async def stats(settings: Settings, args: argparse.Namespace) -> None:
    """Print usage, cache hits, tokens and cost (today and 7 days), and what the data takes."""
    import json

    from bot.ops.report import render_text, report_for
    from bot.ops.storage import render_storage, storage_report
    from bot.services import build_services

    services = build_services(settings)
    try:
        periods = report_for(services.events, settings, services.budget)
        storage = await storage_report(settings.bot_data_dir, services.index)
    finally:
        await services.aclose()
    if args.json:
        data = {name: period.as_json() for name, period in periods.items()}
        data["storage"] = storage.as_json()
        print(json.dumps({"model": settings.llm_model, **data}, indent=2))
    else:
        print(render_text(periods, model=settings.llm_model))
        print()
        print(render_storage(storage))


def evaluate(settings: Settings, args: argparse.Namespace) -> int:
    """Score the configured model on the trust corpus, after confirming the cost."""
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
