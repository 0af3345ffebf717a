"""Run every benchmark: python -m benchmarks."""

from __future__ import annotations

import asyncio
import sys

from benchmarks import cached_brief, concurrency, fanout

sys.argv = sys.argv[:1]
cached_brief.main()
asyncio.run(concurrency.measure(latency=2.0, concurrency=4))
asyncio.run(fanout.fanout(1000))
