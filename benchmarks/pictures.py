"""Pictures: time to render a 200-mark timeline and a full map, their PNG sizes, loop lag.

Run: python -m benchmarks pictures

Renders run as the bot runs them: in a worker thread (asyncio.to_thread) while the event
loop keeps a 1 ms timer; the loop's worst lag is compared with the same loop idle.
Targets (issue 22): 200 marks in ≤ 300 ms, PNG ≤ 500 KB, loop lag unchanged.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from bot.pictures.cache import PictureCache
from bot.pictures.map_plot import render_map
from bot.pictures.render import _render_timeline
from bot.pictures.stance_map import MAX_ACTORS, MAX_ISSUES, Cell, StanceMap
from bot.pictures.timeline import MAX_LANES, Mark, Timeline
from bot.pictures.timeline_plot import render_timeline

RUNS = 7
POLARITIES = ("supports", "opposes", "mixed", "neutral")


def timeline_of(marks: int) -> Timeline:
    """Return a timeline of `marks` marks over a year in MAX_LANES lanes, with ten shifts."""
    lanes = tuple(f"issue number {i} with a fairly long name to wrap" for i in range(MAX_LANES))
    start = date(2026, 1, 1)
    placed = tuple(
        Mark(i + 1, i % MAX_LANES, start + timedelta(days=i * 365 // marks),
             POLARITIES[(i // 7) % 4], "Reuters")
        for i in range(marks)
    )  # fmt: skip
    arrows = tuple((i, i + MAX_LANES) for i in range(1, 60, 6) if i + MAX_LANES <= marks)
    return Timeline("Kaja Kallas", lanes, placed, arrows, 0)


def full_map() -> StanceMap:
    """Return a map with every cell filled: MAX_ACTORS by MAX_ISSUES."""
    cells = tuple(
        tuple(Cell(POLARITIES[(i + j) % 4], i + j, 9, (i * j) % 3 == 0) for i in range(MAX_ISSUES))
        for j in range(MAX_ACTORS)
    )
    actors = tuple(f"Actor number {j}" for j in range(MAX_ACTORS))
    issues = tuple(f"issue number {i}" for i in range(MAX_ISSUES))
    return StanceMap(30, "", actors, issues, cells)


def _time(render: object, data: object) -> tuple[float, float, int]:
    """Return the median wall and CPU seconds of a render, and the PNG's size."""
    walls, cpus, size = [], [], 0
    for _ in range(RUNS):
        started, cpu = time.perf_counter(), time.thread_time()
        size = len(render(data))  # type: ignore[operator]
        walls.append(time.perf_counter() - started)
        cpus.append(time.thread_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), size


async def _lags(seconds: float | None, work: object = None) -> tuple[float, float, float]:
    """Return the loop's lag (p50, p99, worst, in ms) over `seconds` or while `work` runs."""
    lags: list[float] = []

    async def probe() -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.001)
            lags.append((time.perf_counter() - before - 0.001) * 1000)

    task = asyncio.create_task(probe())
    if work is None:
        await asyncio.sleep(seconds or 0)
    else:
        await work  # type: ignore[misc]
    task.cancel()
    lags.sort()
    return lags[len(lags) // 2], lags[int(len(lags) * 0.99)], lags[-1]


async def _lag(renders: int) -> dict[str, tuple[float, float, float]]:
    """Return the loop's lag idle, and while `renders` timelines render as the bot renders them.

    "thread": asyncio.to_thread, as the CLI and tests render; "process": the child process
    the running bot renders in (PictureCache.use_process), started before measuring.
    """
    with tempfile.TemporaryDirectory() as tmp:
        pictures = PictureCache(Path(tmp))
        pictures.use_process()
        await pictures.picture("timeline", timeline_of(10), _render_timeline)  # start the child

        async def render_all(in_thread: bool) -> None:
            for i in range(renders):
                data = replace(timeline_of(200), left_out=i + (0 if in_thread else renders))
                if in_thread:
                    await asyncio.to_thread(render_timeline, data)
                else:
                    await pictures.picture("timeline", data, _render_timeline)

        try:
            return {
                "idle": await _lags(3.0),
                "thread": await _lags(None, render_all(in_thread=True)),
                "process": await _lags(None, render_all(in_thread=False)),
            }
        finally:
            pictures.close()


def main() -> None:
    """Print the render times, PNG sizes and loop lag."""
    render_timeline(timeline_of(10))  # the first render loads the font: not what is measured
    print(f"pictures, median of {RUNS} renders (Agg, 1080 px wide, 150 dpi), wall / CPU:")
    print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    cases: list[tuple[str, object, object]] = [
        (f"timeline, {n} marks", render_timeline, timeline_of(n)) for n in (20, 200)
    ]
    cases.append((f"map, {MAX_ACTORS} x {MAX_ISSUES} cells", render_map, full_map()))
    for name, render, data in cases:
        wall, cpu, size = _time(render, data)
        print(f"  {name:<20} {wall * 1000:6.0f} ms / {cpu * 1000:4.0f} ms  {size / 1024:4.0f} KB")
    print("  event loop lag (1 ms timer), p50 / p99 / worst, while 10 timelines render:")
    for how, (p50, p99, worst) in asyncio.run(_lag(renders=10)).items():
        print(f"    {how:<8} {p50:5.1f} / {p99:5.1f} / {worst:6.1f} ms")


if __name__ == "__main__":
    main()
