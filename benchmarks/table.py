"""The benchmark table: every scenario with its parameters, the measured figure and the target.

Run: python -m benchmarks [--repeat 3] [--only overhead,who,...] [--json benchmark.json]

Quick scenarios run `--repeat` times and report the median of each figure (the machines are
shared and noisy); the long ones (burst, load, group burst, fan-out) run once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from benchmarks import fanout, latency, startup, stored
from benchmarks.common import IN_PROCESS, Result

NAMES = ["overhead", "dedup", "group", "load", "who", "digest", "burst", "fanout", "startup"]


class _Reported(list[Result]):
    """The results so far; each is reported on stderr as it comes in."""

    def append(self, result: Result) -> None:
        """Add a result and report it."""
        _progress(result)
        super().append(result)

    def extend(self, results: Iterable[Result]) -> None:
        """Add results and report them."""
        for result in results:
            self.append(result)


def _median_result(results: list[Result]) -> Result:
    """Keep the run whose first figure is the median one, and say how many runs there were."""
    if len(results) == 1:
        return results[0]
    first = next(iter(results[0].figures))
    ordered = sorted(results, key=lambda r: r.figures[first])
    chosen = ordered[len(ordered) // 2]
    chosen.params += f"; median of {len(results)} runs"
    chosen.figures = {k: statistics.median(r.figures[k] for r in results) for k in chosen.figures}
    return chosen


def _burst(seeded: Path, tmp: Path) -> list[Result]:
    data = tmp / "burst"
    shutil.copytree(seeded, data)
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.burst", str(data)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    got = json.loads(out.strip().splitlines()[-1])
    ideal = 500 / 32
    params = "500 distinct articles from 50 chats at once, LLM 1 s, LLM_MAX_CONCURRENCY=32"
    return [
        Result("burst: many new articles at once", params,
               f"all answered in {got['wall_s']:.1f} s ({got['calls']} LLM calls); the first "
               f"reply after {got['first_reply_s']:.1f} s, and Telegram's 28 messages/s allow "
               f"the 500 replies no less than {got['send_floor_s']:.1f} s",
               f"≤ 1.15 x 500/32 s = {1.15 * ideal:.1f} s",
               got["wall_s"] <= 1.15 * ideal,
               {k: got[k] for k in ("wall_s", "first_reply_s", "send_floor_s")}),
        Result("memory: peak RSS after the burst", "the burst above, 100,000 stances stored",
               f"{got['rss_mb']:.0f} MB ({WHOSE_RSS})",
               "≤ 200 MB", got["rss_mb"] <= 200, {"rss_mb": got["rss_mb"]}),
        Result("event-loop lag during the burst", "the burst above, 1 ms probe timer",
               f"longest stretch without yielding {got['lag_ms']:.0f} ms "
               f"({got['stalls']:.0f} stretches of 20 ms or more; the most the loop thread "
               f"itself ran in one: {got['lag_cpu_ms']:.0f} ms)", "≤ 20 ms",
               got["lag_ms"] <= 20,
               {k: got[k] for k in ("lag_ms", "stalls", "lag_cpu_ms")}),
    ]  # fmt: skip


WHOSE_RSS = "bot process, fake servers included" if IN_PROCESS else "the bot's own process"


def _fanout() -> Result:
    got = asyncio.run(fanout.fanout(1000))
    return Result(
        "digest fan-out: due chats at the same minute",
        "1,000 chats (100 groups), Bot API enforcing 30/s and 20/min per group",
        f"{got['delivered']}/{got['chats']} delivered, {got['per_s']:.1f} msg/s, "
        f"{got['flood_errors']} flood errors",
        "all delivered, ≥ 25 msg/s, 0 flood errors",
        got["delivered"] == got["chats"] and got["per_s"] >= 25 and got["flood_errors"] == 0,
        {"per_s": got["per_s"], "flood_errors": got["flood_errors"]},
    )


def run(  # noqa: C901 - a branch per scenario
    only: set[str], repeat: int, seeded: Path | None = None
) -> list[Result]:
    """Run the chosen scenarios in table order."""
    results = _Reported()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)

        def repeated(make: Callable[[int], Result | list[Result]]) -> None:
            runs = [make(i) for i in range(repeat)]
            lists = [r if isinstance(r, list) else [r] for r in runs]
            results.extend(_median_result(list(col)) for col in zip(*lists, strict=True))

        if "overhead" in only:
            repeated(lambda i: asyncio.run(latency.overhead_and_cache_hit(tmp / f"o{i}")))
        if "dedup" in only:
            results.append(asyncio.run(latency.dedup(tmp)))
        if "group" in only:
            results.append(asyncio.run(latency.group_burst(tmp)))
        if "load" in only:
            results.append(asyncio.run(latency.steady_load(tmp)))
        now = stored.now_utc()
        if seeded is not None and (seeded / "index.sqlite3").exists():
            shutil.copytree(seeded, tmp / "seeded")  # the runs must not change the original
            now = stored.seeded_at(seeded)
        elif only & {"who", "digest", "burst"}:
            timing = stored.seed(tmp / "seeded", now)
            if seeded is not None:
                shutil.copytree(tmp / "seeded", seeded)
            print(f"seeded 20,000 + 500 briefings in {timing['seed_total_s']:.1f} s", flush=True)
        seeded = tmp / "seeded"
        if "who" in only:
            repeated(lambda _i: asyncio.run(stored.who(seeded)))
        if "digest" in only:
            repeated(lambda _i: asyncio.run(stored.digest_build(seeded, now)))
        if "burst" in only:
            results.extend(_burst(seeded, tmp))
        if "fanout" in only:
            results.append(_fanout())
        if "startup" in only:
            repeated(lambda _i: startup.startup())
    return results


def _progress(result: Result) -> None:
    print(f"{result.scenario}: {result.measured}", file=sys.stderr, flush=True)


def table(results: list[Result]) -> str:
    """Render the results as a Markdown table."""
    lines = ["| scenario | parameters | measured | target | met |", "|---|---|---|---|---|"]
    lines += [
        f"| {r.scenario} | {r.params} | {r.measured} | {r.target} | {'yes' if r.met else 'NO'} |"
        for r in results
    ]
    return "\n".join(lines)


def main() -> None:
    """Run the table and print it; write the JSON next to it."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the quick scenarios")
    parser.add_argument("--only", default=",".join(NAMES), help=f"any of {','.join(NAMES)}")
    parser.add_argument("--json", type=Path, default=Path("benchmark-results.json"))
    parser.add_argument(
        "--seeded", type=Path, help="reuse (or keep) the seeded history here, e.g. to compare "
        "two versions of bot/ on the same data"
    )  # fmt: skip
    args = parser.parse_args()
    results = run({n.strip() for n in args.only.split(",")}, max(1, args.repeat), args.seeded)
    print()
    print(table(results))
    args.json.write_text(json.dumps([r.as_json() for r in results], indent=2) + "\n")
    print(f"\nwritten to {args.json}")
