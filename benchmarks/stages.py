"""Where one article's milliseconds go: timestamps along the reply path, per stage.

`python -m benchmarks.stages [COUNT]` runs the overhead scenario's articles one at a time
(fake LLM instant) with the bot in its own process and BENCH_TRACE set: the bot records a
`time.monotonic()` stamp (one clock for both processes) at the start and end of each stage
of the reply path. Each article's stamps fall between its getUpdates hand-out and the next
article's (they come one at a time), so no correlation ids are needed. Printed: the median
offset of each stamp from the hand-out, in path order, and the median cost of each stage.

Only the benchmark installs the wrappers (`install`, from botproc.py); the bot's code has
no tracing of its own.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

Stamp = tuple[float, str, float]  # monotonic, label, the process's CPU time so far
_stamps: list[Stamp] = []
_lock = threading.Lock()


def stamp(label: str) -> None:
    """Record that `label` happened now."""
    at = time.monotonic()
    with _lock:
        _stamps.append((at, label, time.process_time()))


def _wrap(owner: Any, name: str, label: str | Callable[..., str]) -> None:
    original = getattr(owner, name)
    name_of = label if callable(label) else (lambda *_a, **_k: label)
    if asyncio.iscoroutinefunction(original):

        @functools.wraps(original)
        async def traced(*args: Any, **kwargs: Any) -> Any:
            what = name_of(*args, **kwargs)
            stamp(f"{what} >")
            try:
                return await original(*args, **kwargs)
            finally:
                stamp(f"{what} <")

    else:

        @functools.wraps(original)
        def traced(*args: Any, **kwargs: Any) -> Any:
            what = name_of(*args, **kwargs)
            stamp(f"{what} >")
            try:
                return original(*args, **kwargs)
            finally:
                stamp(f"{what} <")

    setattr(owner, name, traced)


def install() -> None:  # noqa: PLR0915 - one flat list of wrapped stages reads best
    """Wrap the reply path's stages (called in the bot's process before it is built)."""
    import httpx2
    from openai.resources.chat.completions import AsyncCompletions
    from telegram.ext import Application, ExtBot
    from telegram.request import HTTPXRequest

    from bot.briefing import model_call as briefing_llm
    from bot.briefing import service as briefing
    from bot.jobs import briefs as brief_jobs
    from bot.jobs import runner, workers
    from bot.llm import client as llm
    from bot.ops import budget
    from bot.store.index import Index
    from bot.telegram import accepting, briefs, job_replies, limiter, replies

    def endpoint(_self: object, url: str, *_a: object, **_k: object) -> str:
        return "http " + url.rsplit("/", 1)[-1]

    def db_method(_self: object, method: Callable[..., object], *_a: object, **_k: object) -> str:
        return "db " + getattr(method, "__name__", "?")

    _wrap(HTTPXRequest, "do_request", endpoint)
    _wrap(ExtBot, "get_updates", "bot.get_updates")
    _wrap(ExtBot, "send_message", "bot.send_message")
    _wrap(Application, "process_update", "app.process_update")
    _wrap(briefs, "on_message", "handler on_message")
    _wrap(accepting, "accept", "accept")
    _wrap(Index, "run", db_method)
    _wrap(Index, "_in_worker", lambda _s, m, *_a, **_k: "thread " + getattr(m, "__name__", "?"))
    _wrap(workers.WorkerPool, "submit", "pool.submit")
    _wrap(runner.JobRunner, "_answer", "worker answer")
    _wrap(job_replies.TelegramReplies, "send", "deliver")
    _wrap(briefing.BriefingService, "brief", "briefing.brief")
    _wrap(briefing_llm.ModelCall, "_call_llm", "briefing._call_llm")
    _wrap(budget.MeteredLLM, "complete", "metered.complete")
    _wrap(llm.OpenAIAdapter, "complete", "adapter.complete")
    _wrap(AsyncCompletions, "create", "openai create")
    _wrap(httpx2.AsyncClient, "send", "httpx2 send")
    _wrap(briefing_llm, "ground", "ground")
    _wrap(briefing_llm, "tidy", "tidy")
    _wrap(brief_jobs, "render_briefing", "render")
    _wrap(replies, "split_html", "split_html")
    _wrap(limiter.PriorityRateLimiter, "_acquire", "limiter acquire")
    if os.environ.get("BENCH_TRACE_STORE"):  # the database thread's own steps too
        from bot.store import briefing_cache as cache

        _wrap(cache.BriefingCache, "put", "cache.put")
        _wrap(cache.ArticleTexts, "put", "texts.put")
        _wrap(Index, "index_briefing", "index_briefing")
        _wrap(Index, "record_usage", "record_usage")
        _wrap(Index, "ensure_indexed", "ensure_indexed")
    if os.environ.get("BENCH_TRACE_HTTP"):  # the HTTP stacks' own steps too
        import httpcore
        import httpx
        from httpcore._async.http11 import AsyncHTTP11Connection

        _wrap(httpx.AsyncClient, "send", "httpx send")
        _wrap(httpcore.AsyncConnectionPool, "handle_async_request", "httpcore pool")
        _wrap(AsyncHTTP11Connection, "_send_request_headers", "h11 headers")
        _wrap(AsyncHTTP11Connection, "_send_request_body", "h11 body")
        _wrap(AsyncHTTP11Connection, "_receive_response_headers", "h11 response headers")
        _wrap(AsyncHTTP11Connection, "_receive_response_body", "h11 response body")


def dump(path: str) -> None:
    """Write the stamps as JSON."""
    with _lock:
        Path(path).write_text(json.dumps(_stamps))


def _per_article(
    stamps: list[Stamp], starts: list[float], ends: list[float]
) -> list[dict[str, float]]:
    """Split the stamps at each article's hand-out; offsets in ms from it (first of each label)."""
    rows = []
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
        until = starts[i + 1] if i + 1 < len(starts) else float("inf")
        row: dict[str, float] = {"reply reaches the fake": (end - start) * 1000}
        counts: dict[str, int] = defaultdict(int)
        cpu: dict[str, float] = {}
        for at, label, used in stamps:
            if start - 0.005 <= at < until:
                counts[label] += 1
                key = label if counts[label] == 1 else f"{label} #{counts[label]}"
                row[key] = (at - start) * 1000
                cpu[key] = used
        first, sent = cpu.get("http getUpdates <"), cpu.get("http sendMessage >")
        if first is not None and sent is not None:  # CPU, not wall: no wait for a core in it
            row[CPU_KEY] = (sent - first) * 1000
        rows.append(row)
    return rows


CPU_KEY = "bot process CPU, getUpdates answered → sendMessage sent"


def report(rows: list[dict[str, float]]) -> str:
    """Print each stamp's median offset (path order) and the median duration of each stage."""
    seen: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        for key, value in row.items():
            seen[key].append(value)
    lines = [f"{len(rows)} articles; offsets from getUpdates handing the update out (ms)"]
    cpu = seen.pop(CPU_KEY, [])
    order = sorted(seen, key=lambda k: statistics.median(seen[k]))
    for key in order:
        values = seen[key]
        lines.append(f"  {statistics.median(values):7.2f}  {key}  (in {len(values)})")
    if cpu:
        lines.append(f"  {statistics.median(cpu):7.2f}  {CPU_KEY} (median, ms)")
    lines.append("stage durations, median ms (begin > … end <, first of each)")
    for key in order:
        if key.endswith(" >") or " > #" in key:
            end = key.replace(" >", " <", 1)
            pairs = [r[end] - r[key] for r in rows if key in r and end in r]
            if pairs:
                lines.append(f"  {statistics.median(pairs):7.2f}  {key.removesuffix(' >')}")
    return "\n".join(lines)


async def _run(count: int, out: Path) -> list[list[dict[str, float]]]:
    from benchmarks.common import bot_on
    from benchmarks.latency import WARM_UP, paced
    from tests.briefings import news

    os.environ["BENCH_TRACE"] = str(out / "stamps.json")
    texts = [news(f"stage story {i}") for i in range(count)]
    users = list(range(5000, 5000 + count))
    async with bot_on(out / "bot", users=[*range(4000, 4000 + WARM_UP), *users]) as bot:
        await paced(bot, [news(f"warm up {i}") for i in range(WARM_UP)], 4000)
        new = await paced(bot, texts, users[0])
        hit = await paced(bot, texts, users[0])
    raw = json.loads((out / "stamps.json").read_text())
    stamps: list[Stamp] = [(float(at), str(label), float(used)) for at, label, used in raw]
    return [
        _per_article(stamps, [s for s, _ in spans], [e for _, e in spans]) for spans in (new, hit)
    ]


def main() -> None:
    """Run COUNT articles (default 60) new, then again as cache hits; print both reports."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    with tempfile.TemporaryDirectory() as tmp:
        new, hit = asyncio.run(_run(count, Path(tmp)))
    print("NEW ARTICLE\n" + report(new))
    print("\nCACHE HIT\n" + report(hit))


if __name__ == "__main__":
    main()
