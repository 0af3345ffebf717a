"""Run every benchmark: python -m benchmarks."""

from __future__ import annotations

import asyncio
import sys

from benchmarks import (
    cached_brief,
    concurrency,
    extraction,
    extractive,
    fanout,
    feeds,
    fetch_reply,
    longform,
)

sys.argv = sys.argv[:1]
cached_brief.main()
asyncio.run(concurrency.measure(latency=2.0, concurrency=4))
asyncio.run(fanout.fanout(1000))
asyncio.run(longform.measure(words=60_000, latency=3.0))
extraction.main()
fetch_reply.main()
extractive.main()
feeds.main()
