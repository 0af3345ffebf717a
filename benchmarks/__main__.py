"""Run every benchmark: python -m benchmarks [--repeat N] [--only a,b] [--json FILE] [--table-only].

`python -m benchmarks pictures` runs only the pictures' benchmark (benchmarks/pictures.py).

First the table of scenarios (benchmarks/table.py), then the single-purpose benchmarks that
print their own figures (skipped with --table-only or --only).
"""

from __future__ import annotations

import asyncio
import sys

from benchmarks import (
    cached_brief,
    concurrency,
    extraction,
    extractive,
    feeds,
    fetch_reply,
    longform,
    trust,
)
from benchmarks.table import main

if sys.argv[1:2] == ["pictures"]:
    from benchmarks import pictures

    pictures.main()
    sys.exit(0)
table_only = "--table-only" in sys.argv or any(a.startswith("--only") for a in sys.argv)
sys.argv = [a for a in sys.argv if a != "--table-only"]
main()  # the table includes the digest fan-out
if not table_only:
    sys.argv = sys.argv[:1]
    cached_brief.main()
    asyncio.run(concurrency.measure(latency=2.0, concurrency=4))
    asyncio.run(longform.measure(words=60_000, latency=3.0))
    extraction.main()
    fetch_reply.main()
    extractive.main()
    feeds.main()
    trust.main([])
