"""Several briefbot processes on one PostgreSQL database, against the fakes in this process.

One process receives updates (`briefbot run` with JOB_WORKERS=0), the others only work
(`briefbot worker`): the layout docs/operations.md describes for more than one process. The
fakes (Bot API, LLM) stay in the caller's process and are reached over loopback, as in
tests/e2e/test_run.py. Used by the multi-process soak tests and `python -m benchmarks.workers`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Self

from bot.config import Settings
from tests.fake_llm import FakeLLM
from tests.fake_telegram import FakeTelegram
from tests.postgres_outage import halt, resume
from tests.postgres_server import PostgresServer

RECEIVER = "receiver"
STOP_TIMEOUT_S = 60.0


def fleet_env(
    tg: FakeTelegram, llm: FakeLLM, database_url: str, users: Iterable[int], **extra: str
) -> dict[str, str]:
    """Return the environment every process of the fleet shares (its own data dir comes later)."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    env.update(
        TELEGRAM_BOT_TOKEN=tg.token,
        TELEGRAM_API_BASE_URL=tg.base_url,
        OPENAI_BASE_URL=llm.base_url,
        OPENAI_API_KEY="sk-test-secret",
        LLM_MODEL="fake-model",
        DATABASE_URL=database_url.replace("postgresql+psycopg://", "postgresql://", 1),
        ALLOWED_USER_IDS=",".join(map(str, users)),
        LOG_LEVEL="INFO",
    )
    env.update(extra)
    return env


@dataclass
class BotProcess:
    """One `briefbot run` or `briefbot worker`, restartable; each start logs to a file of its own."""

    name: str
    command: str  # "run" or "worker"
    env: dict[str, str]
    logs: Path
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0
    _log: IO[bytes] | None = None

    def start(self) -> None:
        """Start (or start again) the process."""
        self.starts += 1
        self.logs.mkdir(parents=True, exist_ok=True)
        self._close_log()
        self._log = (self.logs / f"{self.name}.{self.starts}.log").open("wb")
        # Output to a file, not a pipe nobody reads while the test runs: a full pipe would
        # block the bot's logging, and so the bot.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", self.command],
            env=self.env, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    @property
    def alive(self) -> bool:
        """Tell whether the current start is still running."""
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """`kill -9`: no clean-up of any kind."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=STOP_TIMEOUT_S)

    def stop(self) -> int:
        """Stop it as an operator's redeploy does (SIGTERM); return its exit code."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        finally:
            self._close_log()
        return code

    def started(self) -> bool:
        """Tell whether the current start is serving (PTB logs it at INFO)."""
        log = self.logs / f"{self.name}.{self.starts}.log"
        return self.starts > 0 and "Application started" in log.read_text(errors="replace")

    def log_text(self) -> str:
        """Return every start's log, in order."""
        return "\n".join(
            (self.logs / f"{self.name}.{n}.log").read_text(errors="replace")
            for n in range(1, self.starts + 1)
        )

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None


@dataclass
class Fleet:
    """A receiver and `workers` worker processes, each with a data directory of its own."""

    procs: dict[str, BotProcess] = field(default_factory=dict)

    @classmethod
    def of(cls, env: dict[str, str], root: Path, *, workers: int) -> Fleet:
        """Lay out the receiver and the workers (not started yet)."""
        fleet = cls()
        names = [(RECEIVER, "run")] + [(f"worker-{n}", "worker") for n in range(1, workers + 1)]
        for name, command in names:
            own = dict(env, BOT_DATA_DIR=str(root / name))
            if command == "run" and workers:
                own["JOB_WORKERS"] = "0"  # it only receives: the workers do the slow work
            fleet.procs[name] = BotProcess(name, command, own, root / "logs")
        return fleet

    def start(self) -> None:
        """Start every process."""
        for proc in self.procs.values():
            proc.start()

    def revive(self) -> list[tuple[str, int]]:
        """Start again every process that exited by itself, as compose's `restart:` does."""
        exited = [
            (n, p.process.returncode) for n, p in self.procs.items() if p.process and not p.alive
        ]
        for name, _code in exited:
            self.procs[name].start()
        return exited

    def wait_started(self, timeout: float = 120.0) -> bool:
        """Wait until every process serves; False if one has not within `timeout`."""
        return wait_until(lambda: all(p.started() for p in self.procs.values()), timeout)

    def stop(self) -> dict[str, int]:
        """Stop every process that is still running; return the exit codes."""
        return {name: proc.stop() for name, proc in self.procs.items()}

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        for proc in self.procs.values():  # after a failure: no process outlives the test
            if proc.alive:
                assert proc.process is not None
                proc.process.kill()
                proc.process.wait()
            proc._close_log()

    def logs(self) -> str:
        """Return every process's logs, each under its name."""
        return "\n".join(f"=== {name}\n{p.log_text()}" for name, p in self.procs.items())


def replies(tg: FakeTelegram) -> dict[tuple[int, int], list[tuple[float, str]]]:
    """Map each (chat, message answered) to the replies it got: (when, text), oldest first."""
    found: dict[tuple[int, int], list[tuple[float, str]]] = {}
    for request in tg.requests("sendMessage"):
        params = request.params
        answered = params.get("reply_parameters")
        if request.status != 200 or not isinstance(answered, dict):
            continue
        key = (int(params["chat_id"]), int(answered["message_id"]))
        found.setdefault(key, []).append((request.at, str(params["text"])))
    return found


def digests(tg: FakeTelegram, is_digest: Callable[[str], bool]) -> dict[int, list[float]]:
    """Map each chat to when it got a digest: messages sent on their own (not replies) that pass."""
    found: dict[int, list[float]] = {}
    for request in tg.requests("sendMessage"):
        params = request.params
        if request.status == 200 and "reply_parameters" not in params and is_digest(params["text"]):
            found.setdefault(int(params["chat_id"]), []).append(request.at)
    return found


def wait_until(done: Any, timeout: float, *, every: float = 0.5) -> bool:
    """Poll `done()` every `every` seconds (the fake's request list is long); True once it is."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            return False
        time.sleep(every)
    return True


@contextlib.contextmanager
def server_down(server: PostgresServer) -> Iterator[None]:
    """Stop the PostgreSQL server (fast shutdown: connections cut) and start it again after."""
    halt(server)
    try:
        yield
    finally:
        resume(server)
