"""Start-up: `briefbot run` until its first getUpdates reaches the (fake) Bot API."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Result, median
from tests.fake_llm import FakeLLM
from tests.fake_telegram import FakeTelegram


def startup(runs: int = 3) -> Result:
    """Spawn the bot `runs` times; time process start → first getUpdates."""
    times: list[float] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp, FakeLLM() as llm, FakeTelegram() as tg:
            env = {
                k: v for k, v in os.environ.items()
                if not k.startswith(("OPENAI_", "LLM_", "TELEGRAM_", "BOT_", "ALLOWED_"))
            }  # fmt: skip
            env.update(
                TELEGRAM_BOT_TOKEN=tg.token, TELEGRAM_API_BASE_URL=tg.base_url,
                OPENAI_BASE_URL=llm.base_url, OPENAI_API_KEY="sk-bench",
                BOT_DATA_DIR=str(Path(tmp) / "data"), ALLOWED_USER_IDS="100",
                PYTHONPATH=os.pathsep.join(filter(None, [
                    os.environ.get("PYTHONPATH"), str(Path(__file__).resolve().parent.parent)
                ])),
            )  # fmt: skip
            started = time.monotonic()
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                cwd=tmp, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            try:
                tg.wait_for_sync(lambda: bool(tg.requests("getUpdates")), timeout=60)
                times.append(tg.requests("getUpdates")[0].at - started)
            finally:
                process.terminate()
                process.wait(timeout=30)
    med = median(times)
    return Result(
        "start-up: `briefbot run` → first getUpdates",
        f"{runs} starts, fresh data directory",
        f"median {med:.2f} s",
        "≤ 1.5 s",
        med <= 1.5,
        {"median_s": med},
    )
