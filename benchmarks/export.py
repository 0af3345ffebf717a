"""Export of a chat with years of history: time, file size and memory, off the event loop.

Run: python -m benchmarks export [--seeded DIR]

On the /who benchmark's synthetic history (benchmarks/seed.py: 20,000 briefings with
100,000 stances in one chat; seeded into a temporary directory unless --seeded names one
`python -m benchmarks --only who --seeded DIR` kept), `write_export` as /export and
`briefbot export` run it: the briefings as Markdown, every stance as CSV. Peak memory is the
process's maximum resident set size after each export (it only grows).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.stored import WHO_CHAT, seed
from bot.export.formats import Format
from bot.export.records import What
from bot.export.service import ExportRequest, write_export
from bot.store.briefing_cache import BriefingCache


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    """Export the seeded chat twice and print the figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks export")
    parser.add_argument("--seeded", type=Path, help="a seeded data directory to reuse")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data = args.seeded
        if data is None or not (data / "index.sqlite3").exists():
            data = Path(tmp) / "seeded"
            seed(data, datetime.now(UTC))
        cache, today = BriefingCache(data), datetime.now(UTC).date()
        print(f"export of chat {WHO_CHAT} (peak memory before: {_peak_mb():.0f} MB):")
        for what, fmt in ((What.BRIEFINGS, Format.MD), (What.STANCES, Format.CSV)):
            out = Path(tmp) / f"out.{fmt.value}"
            started = time.perf_counter()
            count = write_export(
                data / "index.sqlite3", cache, ExportRequest(WHO_CHAT, what, fmt), out, today
            )
            took, size = time.perf_counter() - started, out.stat().st_size / 1e6
            print(
                f"  {what.value} as {fmt.value}: {count:,} items, {size:.1f} MB "
                f"in {took:.1f} s; peak memory {_peak_mb():.0f} MB"
            )


if __name__ == "__main__":
    main()
