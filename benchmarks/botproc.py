"""The bot under test in a process of its own, driven over stdin/stdout by the benchmark.

Why a separate process: the fake Bot API and LLM servers are threads. In the benchmark's
process they take the GIL from the bot on every request, and on a 2-core machine their
CPU time shows up as the bot's latency and event-loop lag. Here the bot runs alone in its
interpreter, wired exactly as `tests.harness.running_bot` wires it (the real `Application`
and openai client), and the fakes stay in the benchmark's process, where the timestamps are
taken (both sides use the system-wide monotonic clock).

Control channel (one line each): the parent passes the settings as JSON in argv[1]; the
child prints `ready` once polling, then reads commands from stdin: `reset` (forget the
loop lag so far), `stop` (shut down cleanly and print one JSON line with the longest loop
lag in ms and the peak RSS in MB).

BENCH_PROFILE=FILE profiles the bot's process with pyinstrument (not a dependency of the
project: `pip install pyinstrument` into the venv) and writes the text report to FILE.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import threading
from typing import Any

from benchmarks.common import LoopLag
from bot.config import load_settings
from bot.services import build_services
from bot.telegram.app import build_application


def _commands(loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[str]) -> None:
    for line in sys.stdin:
        loop.call_soon_threadsafe(queue.put_nowait, line.strip())
    loop.call_soon_threadsafe(queue.put_nowait, "stop")  # parent gone: stop too


async def serve(values: dict[str, Any]) -> dict[str, float]:
    """Run the bot until told to stop; return its longest loop lag and peak RSS."""
    settings = load_settings(**values)
    services = build_services(settings)
    app = build_application(settings, services)
    queue: asyncio.Queue[str] = asyncio.Queue()
    loop = asyncio.get_running_loop()
    threading.Thread(target=_commands, args=(loop, queue), daemon=True).start()
    async with app:
        if app.post_init:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        print("ready", flush=True)
        with LoopLag() as lag:
            while (command := await queue.get()) != "stop":
                if command == "reset":
                    lag.worst = 0.0
            worst = lag.worst
        await app.updater.stop()
        await app.stop()
        if app.post_stop:
            await app.post_stop(app)
    await services.aclose()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"lag_ms": worst * 1000, "rss_mb": rss_mb}


def main() -> None:
    """Serve the settings in argv[1]; print the figures when stopped."""
    values = json.loads(sys.argv[1])
    report = os.environ.get("BENCH_PROFILE")
    if not report:
        print(json.dumps(asyncio.run(serve(values))), flush=True)
        return
    # Optional, only when profiling.
    from pyinstrument import Profiler  # type: ignore[import-not-found,unused-ignore]

    with Profiler(interval=0.0005, async_mode="disabled") as profiler:
        got = asyncio.run(serve(values))
    with open(report, "w") as out:  # noqa: PTH123
        out.write(profiler.output_text(show_all=False, timeline=False))
    print(json.dumps(got), flush=True)


if __name__ == "__main__":
    main()
