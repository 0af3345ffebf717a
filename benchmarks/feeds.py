"""Cost of following a 50-item feed: the first poll, and re-polls of an unchanged feed.

Run: python -m benchmarks.feeds [--items 50] [--llm-latency 0]

Services as `briefbot run` wires them, against a loopback web server (a 50-item RSS feed whose
items link to 50 cluttered ~6 KB-of-text news pages) and the fake LLM. The fake model answers
instantly (or after --llm-latency s) and reports prompt tokens as characters / 4 and 800
completion tokens per answer, so token figures are estimates of a real model's.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.services import build_services
from tests.briefings import echo_briefing, news
from tests.fake_llm import FakeLLM, Reply, Request
from tests.fake_web import FakeWeb, Hit
from tests.feed_pages import Entry, rss
from tests.harness import settings_for
from tests.pages import news_page

CHAT = 1


async def measure(items: int, llm_latency: float) -> dict[str, dict[str, float]]:
    def answer(request: Request) -> Reply:
        reply = echo_briefing(request)
        reply.delay_s = llm_latency
        reply.prompt_tokens = (len(request.system) + len(request.user)) // 4
        reply.completion_tokens = 800
        return reply

    results: dict[str, dict[str, float]] = {}
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as tmp, FakeLLM(answer) as llm, FakeWeb() as web:
        entries = []
        for i in range(items):
            web.add(f"/a/{i}", news_page(news(f"port city {i}", words=900)))
            link = web.url(f"/a/{i}")
            entries.append(
                Entry(f"g{i}", link, f"Story {i}", "Teaser.", now - timedelta(minutes=i))
            )
        web.add("/feed.xml", rss(entries), "application/rss+xml", etag='"v1"')
        settings = settings_for(
            Path(tmp) / "data", llm, fetch_allow_private_networks=True,
            feed_daily_items_per_chat=1000, llm_max_concurrency=4,
        )  # fmt: skip
        services = build_services(settings)
        await services.feeds.follow(CHAT, web.url("/feed.xml"))
        try:
            for name in ("first poll", "re-poll, server answers 304", "re-poll, no 304 support"):
                if name.startswith("re-poll, no"):
                    web.add("/feed.xml", rss(entries), "application/rss+xml")
                for source in services.feeds.store.following(CHAT):
                    services.feeds.store.polled_ok(
                        source.source.id,
                        now,
                        now,
                        etag=source.source.etag,
                        last_modified=source.source.last_modified,
                    )  # fmt: skip: make it due now
                hits, calls = len(web.hits), llm.calls
                usage = services.index.total_usage()
                started = time.perf_counter()
                [report] = await services.feed_poller.tick()
                elapsed = time.perf_counter() - started
                after = services.index.total_usage()
                results[name] = {
                    "fetches": len(web.hits) - hits,
                    "bytes": sum(_served(web, h) for h in web.hits[hits:]),
                    "llm_calls": llm.calls - calls,
                    "tokens_in": after.prompt_tokens - usage.prompt_tokens,
                    "tokens_out": after.completion_tokens - usage.completion_tokens,
                    "seconds": elapsed,
                    "new_items": report.new_items,
                }
        finally:
            await services.aclose()
    return results


def _served(web: FakeWeb, hit: Hit) -> int:
    route = web.routes[hit.path.split("?")[0]]
    unchanged = route.etag is not None and hit.headers.get("If-None-Match") == route.etag
    return 0 if unchanged else len(route.body)  # a 304 has no body


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--llm-latency", type=float, default=0.0)
    args = parser.parse_args()
    results = asyncio.run(measure(args.items, args.llm_latency))
    print(f"following a {args.items}-item feed (LLM latency {args.llm_latency:g} s):")
    for name, r in results.items():
        print(
            f"  {name:28} {r['fetches']:.0f} fetches ({r['bytes'] / 1000:.0f} KB), "
            f"{r['llm_calls']:.0f} LLM calls, {r['tokens_in']:.0f} tokens in / "
            f"{r['tokens_out']:.0f} out, {r['new_items']:.0f} new items, {r['seconds']:.2f} s"
        )


if __name__ == "__main__":
    main()
