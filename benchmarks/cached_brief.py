"""Measure `briefbot brief` on a cached article: wall time including interpreter start.

Run: python -m benchmarks.cached_brief [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.briefings import fixture, korea_briefing
from tests.fake_llm import FakeLLM, Reply


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    exe = shutil.which("briefbot") or str(Path(sys.executable).with_name("briefbot"))
    with tempfile.TemporaryDirectory() as tmp, FakeLLM() as fake:
        article = Path(tmp) / "article.txt"
        article.write_text(fixture("korea.txt"), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "LLM_"))}
        env |= {"OPENAI_BASE_URL": fake.base_url, "OPENAI_API_KEY": "bench",
                "LLM_MODEL": "fake-model", "BOT_DATA_DIR": str(Path(tmp) / "data")}  # fmt: skip
        fake.script(Reply(content=korea_briefing()))
        subprocess.run([exe, "brief", str(article)], env=env, check=True, capture_output=True)
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run([exe, "brief", str(article)], env=env, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
        print(f"cached brief: {args.runs} runs, LLM calls after the first: {fake.calls - 1}")
        print(f"  median {statistics.median(times):.3f} s, max {max(times):.3f} s")


if __name__ == "__main__":
    main()
