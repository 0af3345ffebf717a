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

BENCH_STALLS=1 prints the loop thread's stack whenever the loop stalls 20 ms (to the log).
BENCH_SLOW_CALLBACKS=1 logs (to the bot's log) each callback that held the loop 20 ms or
more. BENCH_TRACE=FILE writes time stamps along the reply path to FILE (benchmarks/stages.py).
BENCH_PROFILE=FILE profiles the bot's process with pyinstrument (not a dependency of the
project: `pip install pyinstrument` into the venv) and writes the text report to FILE.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import resource
import sys
import threading
import time
import traceback
from typing import Any

from benchmarks.common import LoopLag
from bot.config import load_settings
from bot.runtime.gc_freeze import settled_after
from bot.services import build_services
from bot.telegram.app import build_application


def _watch_stalls(loop: asyncio.AbstractEventLoop, stall_s: float = 0.02) -> None:
    """Print the loop thread's stack to stderr whenever the loop has not ticked for 20 ms."""
    seen = [time.monotonic(), time.thread_time()]
    loop_thread = threading.get_ident()
    # The loop thread's own CPU clock: a stall it spent running is work on the loop; one it
    # spent waiting (for a core, or for the GIL held by another thread) is not.
    loop_cpu = time.pthread_getcpuclockid(loop_thread)

    def tick() -> None:
        seen[0], seen[1] = time.monotonic(), time.thread_time()
        loop.call_later(0.002, tick)

    def watch() -> None:
        while True:
            time.sleep(0.005)
            since, cpu0 = seen
            if time.monotonic() - since <= stall_s:
                continue
            stacks: list[str] = []  # a sample every 5 ms until the loop ticks again
            while seen[0] == since:
                frame = sys._current_frames().get(loop_thread)  # noqa: SLF001
                stacks.append("".join(traceback.format_stack(frame)[-8:]) if frame else "?")
                time.sleep(0.005)
            took = (time.monotonic() - since) * 1000
            cpu = (time.clock_gettime(loop_cpu) - cpu0) * 1000
            common = max(set(stacks), key=stacks.count)
            print(f"STALL {took:.0f} ms ({cpu:.0f} ms of it running on the loop thread), "
                  f"{len(stacks)} samples, most often:\n{common}",
                  file=sys.stderr, flush=True)  # fmt: skip

    loop.call_soon(tick)
    threading.Thread(target=watch, daemon=True).start()


def _log_gc(slow_s: float = 0.01) -> None:
    """Print each garbage collection that took 10 ms or more."""
    started = [0.0]

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        elif (took := time.perf_counter() - started[0]) >= slow_s:
            print(f"GC gen {info['generation']} {took * 1000:.0f} ms "
                  f"({len(gc.get_objects())} objects)", file=sys.stderr, flush=True)  # fmt: skip

    gc.callbacks.append(callback)


def _commands(loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[str]) -> None:
    for line in sys.stdin:
        loop.call_soon_threadsafe(queue.put_nowait, line.strip())
    loop.call_soon_threadsafe(queue.put_nowait, "stop")  # parent gone: stop too


async def serve(values: dict[str, Any]) -> dict[str, float]:
    """Run the bot until told to stop; return its longest loop lag and peak RSS."""
    trace = os.environ.get("BENCH_TRACE")
    if trace:  # stamps along the reply path: see benchmarks/stages.py
        from benchmarks import stages

        stages.install()
    settings = load_settings(**values)
    services = build_services(settings)
    services.pictures.use_process()  # as `briefbot run` does: pictures in a child
    app = build_application(settings, services)
    queue: asyncio.Queue[str] = asyncio.Queue()
    loop = asyncio.get_running_loop()
    if os.environ.get("BENCH_SLOW_CALLBACKS"):  # log every callback that holds the loop 20 ms+
        loop.set_debug(enabled=True)
        loop.slow_callback_duration = 0.02
    if os.environ.get("BENCH_STALLS"):
        _watch_stalls(loop)
        _log_gc()
    threading.Thread(target=_commands, args=(loop, queue), daemon=True).start()
    async with app:
        warm = getattr(services.llm, "warm_up", None)
        await settled_after(app.post_init, warm)(app)  # as `briefbot run` does
        print(f"frozen {gc.get_freeze_count()}", file=sys.stderr, flush=True)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        print("ready", flush=True)
        cpu = time.process_time(), time.thread_time()  # the process's, the loop thread's
        with LoopLag() as lag:
            while (command := await queue.get()) != "stop":
                if command == "reset":
                    lag.worst, lag.stalls, lag.worst_cpu = 0.0, 0, 0.0
                    cpu = time.process_time(), time.thread_time()
            worst, stalls, worst_cpu = lag.worst, lag.stalls, lag.worst_cpu
            cpu_s, loop_cpu_s = time.process_time() - cpu[0], time.thread_time() - cpu[1]
        await app.updater.stop()
        await app.stop()
        if app.post_stop:
            await app.post_stop(app)
    await services.aclose()
    if trace:
        stages.dump(trace)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "lag_ms": worst * 1000,
        "lag_cpu_ms": worst_cpu * 1000,
        "stalls": stalls,
        "rss_mb": rss_mb,
        "cpu_s": cpu_s,
        "loop_cpu_s": loop_cpu_s,
    }


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
