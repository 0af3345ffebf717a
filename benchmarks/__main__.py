"""Run every benchmark: python -m benchmarks [--repeat N] [--only a,b] [--json FILE] [--table-only].

`python -m benchmarks NAME [ARGS]` runs one single-purpose benchmark of `SINGLE` instead.

First the table of scenarios (benchmarks/table.py), then the single-purpose benchmarks that
print their own figures (skipped with --table-only or --only).
"""

from __future__ import annotations

import asyncio
import sys

from benchmarks import (
    archive,
    ask,
    cached_brief,
    concurrency,
    export,
    extraction,
    extractive,
    feeds,
    fetch_reply,
    longform,
    migrate,
    pacing,
    pictures,
    stories,
    trust,
    workers,
)
from benchmarks.table import main

SINGLE = {
    "pacing": pacing.main,
    "export": export.main,
    "archive": archive.main,
    "ask": lambda _argv: ask.main(),
    "stories": lambda _argv: stories.main(),
    "pictures": lambda _argv: pictures.main(),
    "migrate": migrate.main,
    "workers": workers.main,
}

if len(sys.argv) > 1 and sys.argv[1] in SINGLE:
    SINGLE[sys.argv[1]](sys.argv[2:])
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
    archive.main([])
    stories.main()
