"""Fetch-to-reply time for a link: uncached (fetch, extract, LLM) and cached (no fetch, no call).

Run: python -m benchmarks.fetch_reply [--runs 10] [--llm-latency 0]

The whole bot runs against the fake Bot API and fake LLM (answering after --llm-latency s);
pages come from a loopback web server serving a 60 KB cluttered news page, so the figure is
the bot's own overhead: polling, fetching, extraction, rendering and sending. Each uncached
run uses a new page; each cached run sends a variant of an already briefed link (utm_*, www.).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import statistics
import tempfile
import time
from pathlib import Path

from tests.briefings import echo_briefing, news
from tests.fake_llm import FakeLLM, Reply, Request
from tests.fake_telegram import FakeTelegram
from tests.fake_web import FakeWeb
from tests.harness import USER, running_bot, settings_for
from tests.pages import news_page


def _entity(url: str) -> list[dict[str, object]]:
    return [{"type": "url", "offset": 0, "length": len(url)}]


async def measure(runs: int, llm_latency: float) -> tuple[list[float], list[float]]:
    def answer(request: Request) -> Reply:
        reply = echo_briefing(request)
        reply.delay_s = llm_latency
        return reply

    uncached: list[float] = []
    cached: list[float] = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeLLM(answer) as llm,
        FakeTelegram() as tg,
        FakeWeb() as web,
    ):
        for i in range(runs):
            web.add(f"/story{i}", news_page(news(f"city {i}", words=900)))
        make = functools.partial(settings_for, Path(tmp) / "data", llm)
        async with running_bot(tg, llm, make, fetch_allow_private_networks=True) as bot:
            sent = 0
            for i in range(runs):
                for timings, url in (
                    (uncached, web.url(f"/story{i}")),
                    (cached, web.url(f"/story{i}?utm_source=bench&utm_medium=tg")),
                ):
                    started = time.perf_counter()
                    tg.user_message(USER, USER, url, entities=_entity(url))
                    sent += 1
                    await bot.replies(USER, sent, timeout=60)
                    timings.append(time.perf_counter() - started)
        assert llm.calls == runs, llm.calls
        assert len(web.hits) == runs, web.paths()
    return uncached, cached


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--llm-latency", type=float, default=0.0)
    args = parser.parse_args()
    uncached, cached = asyncio.run(measure(args.runs, args.llm_latency))
    print(f"fetch-to-reply over {args.runs} links (LLM latency {args.llm_latency:g} s):")
    print(f"  uncached link: median {statistics.median(uncached):.3f} s, max {max(uncached):.3f} s")
    print(f"  cached link:   median {statistics.median(cached):.3f} s, max {max(cached):.3f} s "
          "(0 fetches, 0 LLM calls)")  # fmt: skip


if __name__ == "__main__":
    main()
