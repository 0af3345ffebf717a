"""Brief a 60,000-word report against the fake LLM: parts, calls, tokens, cost and wall time.

Run: python -m benchmarks.longform [--words 60000] [--latency 3.0]

The fake answers each call after `--latency` seconds and reports tokens the way a provider
would bill them here: the prompt's characters / 4 in, 800 out (a typical briefing). Cost is
priced at gpt-4o-mini's published rates. Time is wall time with the default settings
(LLM_MAX_INPUT_TOKENS=10000, LLM_MAX_CONCURRENCY=4).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bot.articles.text import make_article
from bot.models import Usage
from bot.ops.budget import estimate_tokens
from bot.ops.pricing import KNOWN_PRICES, Price
from bot.services import build_services
from tests.briefings import echo_briefing
from tests.fake_llm import FakeLLM, Reply, Request
from tests.harness import settings_for

OUTPUT_TOKENS = 800


def report(words: int) -> str:
    """Write a report of about `words` words in paragraphs of ~120 words."""
    paragraphs = []
    for i in range(words // 120):
        sentences = " ".join(
            f"In section {i} the inspectors recorded finding number {j} about the harbour."
            for j in range(10)
        )
        paragraphs.append(f"Section {i}. {sentences}")
    return "\n\n".join(paragraphs)


def respond(latency: float):
    """Answer briefings by echo and merges with a fixed top; bill chars/4 in, 800 out."""

    def answer(request: Request) -> Reply:
        schema = request.body["response_format"]["json_schema"]["name"]
        points = [{"text": t, "source": t} for t in ("One.", "Two.", "Three.")]
        top = {"headline": "Report", "tldr": "It reports.", "why_it_matters": "It does.",
               "key_points": points}  # fmt: skip
        reply = Reply(content=top) if schema == "MergeDraft" else echo_briefing(request)
        reply.prompt_tokens = estimate_tokens(request.system) + estimate_tokens(request.user)
        reply.completion_tokens = OUTPUT_TOKENS
        reply.delay_s = latency
        return reply

    return answer


async def measure(words: int, latency: float) -> None:
    """Brief the report once and print the figures."""
    text = report(words)
    with tempfile.TemporaryDirectory() as tmp, FakeLLM(respond(latency)) as fake:
        settings = settings_for(Path(tmp) / "data", fake, llm_timeout_s=60.0)
        services = build_services(settings)
        article = make_article(text, max_chars=settings.max_article_chars)
        started = time.perf_counter()
        try:
            result = await services.briefing.brief(article)
        finally:
            await services.aclose()
        elapsed = time.perf_counter() - started
    usage: Usage = result.stored.usage
    cost = Price(*KNOWN_PRICES["gpt-4o-mini"]).cost(usage)
    print(f"long article: {len(text.split()):,} words, {len(text):,} characters")
    print(f"  LLM calls {usage.calls} ({usage.calls - 1} parts + 1 merge), "
          f"max {fake.max_in_flight} in flight")  # fmt: skip
    print(f"  tokens in {usage.prompt_tokens:,}, out {usage.completion_tokens:,}; "
          f"cost at gpt-4o-mini prices ${cost:.4f}")  # fmt: skip
    print(f"  wall time {elapsed:.2f} s with {latency:.1f} s per call")


def main() -> None:
    """Parse arguments and run the measurement."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=60_000)
    parser.add_argument("--latency", type=float, default=3.0)
    args = parser.parse_args()
    asyncio.run(measure(args.words, args.latency))


if __name__ == "__main__":
    main()
