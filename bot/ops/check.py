"""`briefbot check`: settings, Telegram, the LLM, the data dir, its database, the prompts."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import tempfile
from contextlib import closing
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

from bot.config import load_settings
from bot.errors import BriefbotError, ConfigError
from bot.llm.client import safe_url
from bot.llm.prompts import load_prompts, require
from bot.render.plural import counted
from bot.store.schema import sqlite_file

if TYPE_CHECKING:
    from bot.config import Settings

CHECK_TIMEOUT_S = 15.0
EXIT_FAILED = 1
EXIT_CONFIG = 2
REQUIRED_PROMPTS = ("briefing", "digest", "merge")


@dataclass(frozen=True)
class Result:
    """One check's verdict, with a hint for the operator when it failed."""

    name: str
    ok: bool
    detail: str
    hint: str = ""
    used: bool = True  # False: a part this use of briefbot does without (shown, not failed)

    def line(self) -> str:
        """Render as one line: ✓/✗ (- when not used), name, detail, and the hint."""
        mark = "-" if not self.used else "✓" if self.ok else "✗"
        hint = f" — {self.hint}" if self.hint and (not self.ok or not self.used) else ""
        return f"{mark} {self.name}: {self.detail}{hint}"


async def check_telegram(settings: Settings, *, needed: bool = False) -> Result:
    """Call getMe: proves the token and that the Bot API is reachable."""
    if settings.telegram_bot_token is None:
        if needed:  # `briefbot run` cannot start without one
            return Result("telegram", ok=False, detail="no token (briefbot run needs one)",
                          hint="set TELEGRAM_BOT_TOKEN")  # fmt: skip
        # The terminal commands work without Telegram: a missing token is a choice.
        return Result("telegram", ok=True, used=False, detail="not used (no token)",
                      hint="set TELEGRAM_BOT_TOKEN to run the bot")  # fmt: skip
    base = settings.telegram_api_base_url.rstrip("/")
    url = f"{base}{settings.telegram_bot_token.get_secret_value()}/getMe"
    where = safe_url(base)
    try:
        async with httpx.AsyncClient(timeout=CHECK_TIMEOUT_S) as client:
            response = await client.get(url)
    except httpx.HTTPError as exc:  # the message may name the URL: say only what kind
        return Result(
            "telegram", ok=False, detail=f"cannot reach {where} ({type(exc).__name__})",
            hint="check the network, a proxy, or TELEGRAM_API_BASE_URL",
        )  # fmt: skip
    if response.status_code == 401:  # noqa: PLR2004
        return Result(
            "telegram", ok=False, detail="the token was rejected (401 Unauthorized)",
            hint="copy TELEGRAM_BOT_TOKEN again from @BotFather",
        )  # fmt: skip
    try:
        user = response.json()["result"]
        return Result("telegram", ok=True, detail=f"@{user['username']} (id {user['id']})")
    except (ValueError, KeyError, TypeError):
        return Result(
            "telegram", ok=False, detail=f"unexpected answer (HTTP {response.status_code})",
            hint="is TELEGRAM_API_BASE_URL a Bot API server?",
        )  # fmt: skip


async def check_llm(settings: Settings) -> Result:
    """List the server's models: proves the endpoint, the key and that LLM_MODEL is offered."""
    if not settings.llm_configured:
        # The bot answers without one (extractive briefings, labelled): a choice, not a fault.
        return Result("llm", ok=True, used=False,
                      detail="not configured (briefings are extractive until one is)",
                      hint="set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server")  # fmt: skip
    import openai

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "none"
    where = safe_url(settings.llm_base_url)
    client = openai.AsyncOpenAI(
        api_key=key, base_url=settings.llm_base_url, max_retries=0, timeout=CHECK_TIMEOUT_S
    )
    try:
        models = [m.id async for m in client.models.list()]
    except openai.AuthenticationError:
        return Result("llm", ok=False, detail=f"{where} rejected the key",
                      hint="check OPENAI_API_KEY")  # fmt: skip
    except openai.APIStatusError as exc:
        return Result("llm", ok=False, detail=f"{where} answered HTTP {exc.status_code}",
                      hint="check OPENAI_BASE_URL (it usually ends in /v1)")  # fmt: skip
    except openai.APIConnectionError:
        return Result("llm", ok=False, detail=f"cannot reach {where}",
                      hint="is the server running? check OPENAI_BASE_URL")  # fmt: skip
    finally:
        await client.close()
    model = settings.llm_model
    if model not in models:
        offered = ", ".join(sorted(models)[:8]) or "none"
        return Result("llm", ok=False, detail=f"{where} does not offer {model}",
                      hint=f"set LLM_MODEL to one it offers: {offered}")  # fmt: skip
    return Result("llm", ok=True, detail=f"{model} at {where}")


def check_data_dir(settings: Settings) -> Result:
    """Create BOT_DATA_DIR if needed and write a scratch file in it."""
    path = settings.bot_data_dir
    if settings.database is not None:
        return Result("data dir", ok=True, detail="not used: DATABASE_URL holds everything",
                      used=False)  # fmt: skip
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".check-"):
            pass
    except OSError as exc:
        return Result(
            "data dir", ok=False, detail=f"{path} is not writable ({exc.strerror})",
            hint="fix BOT_DATA_DIR or its permissions (in a container: the volume)",
        )  # fmt: skip
    return Result("data dir", ok=True, detail=f"{path.resolve()} is writable")


def check_database(settings: Settings) -> Result:
    """Read the index's schema version without changing the file (the bot upgrades it)."""
    if settings.database is not None:
        from bot.ops.check_postgres import check_postgresql

        found = check_postgresql(settings.database)
        if found.problem is not None:
            return Result("database", ok=False, detail=found.problem.rstrip("."), hint=found.hint)
        if found.version is None:  # an empty database: the first start makes the schema
            empty = f"{found.where}, empty: the schema is made at the first start"
            return Result("database", ok=True, detail=empty)
        return versioned(found.where, found.version)
    path = settings.bot_data_dir / "index.sqlite3"
    if not path.exists():
        return Result("database", ok=True, detail=f"none yet: made at the first start "
                      f"(schema {sqlite_file.HEAD})")  # fmt: skip
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)) as db:
            version = sqlite_file.stamped(db)
    except sqlite3.Error as exc:
        return Result("database", ok=False, detail=f"{path} cannot be read ({exc})",
                      hint="restore it from a backup (docs/operations.md)")  # fmt: skip
    return versioned(f"SQLite {path.resolve()}", version)


def versioned(where: str, version: str | None) -> Result:
    """Say whether the database at `where`, at schema `version`, is current."""
    if version == sqlite_file.HEAD:
        return Result("database", ok=True, detail=f"{where}, schema {version} (current)")
    if version is None or version in sqlite_file.REVISIONS:
        since = "from before schema versions" if version is None else f"schema {version}"
        return Result("database", ok=True, detail=f"{where}, {since}: upgraded in place to "
                      f"{sqlite_file.HEAD} at the next start")  # fmt: skip
    return Result(
        "database", ok=False,
        detail=f"{where}, schema {version}: newer than this briefbot ({sqlite_file.HEAD})",
        hint="upgrade briefbot, or restore a backup made by this version",
    )  # fmt: skip


def check_prompts(settings: Settings) -> Result:
    """Load and validate every prompt file, and require the ones the bot uses."""
    try:
        prompts = load_prompts(settings.prompts_dir)
        for name in REQUIRED_PROMPTS:
            require(prompts, name)
    except BriefbotError as exc:
        return Result(
            "prompts", ok=False, detail=str(exc),
            hint="fix the file, or unset PROMPTS_DIR to use the built-in prompts",
        )  # fmt: skip
    versions = ", ".join(f"{p.name} v{p.version}" for p in prompts.values())
    return Result("prompts", ok=True, detail=versions)


async def run_checks(settings: Settings, *, purpose: str | None = None) -> list[Result]:
    """Run every check after the settings (the network ones concurrently)."""
    telegram, llm = await asyncio.gather(
        check_telegram(settings, needed=purpose == "run"), check_llm(settings)
    )
    return [telegram, llm, check_data_dir(settings), check_database(settings),
            check_prompts(settings)]  # fmt: skip


def main(purpose: str | None = None) -> int:
    """Print one line per check; return 0 when all pass (`purpose` "run": the bot's needs)."""
    try:
        settings = load_settings()
    except ConfigError as exc:
        failed = Result("settings", ok=False, detail=str(exc), hint="fix .env or the environment")
        sys.stdout.write(failed.line() + "\n")
        return EXIT_CONFIG
    checked = asyncio.run(run_checks(settings, purpose=purpose))
    results = [Result("settings", ok=True, detail="loaded"), *checked]
    sys.stdout.write("".join(r.line() + "\n" for r in results))
    if failures := sum(not r.ok for r in results):
        sys.stderr.write(f"{counted(failures, 'check')} failed.\n")
        return EXIT_FAILED
    return 0
