"""Settings: the only place the environment is read."""

from __future__ import annotations

import re
from datetime import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.config_jobs import JobSettings
from bot.errors import ConfigError

OFFICIAL_TELEGRAM_API = "https://api.telegram.org/bot"
OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1"

IdList = Annotated[frozenset[int], NoDecode]
# COMMAND_LIMITS: command → (uses, minutes), written "who=30/10,overview=6/60".
LimitMap = Annotated[dict[str, tuple[int, int]], NoDecode]
_LIMIT = re.compile(r"([a-z_]+)=([0-9]+)/([0-9]+)")
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class ResponseFormat(StrEnum):
    """How the LLM is asked for JSON."""

    JSON_SCHEMA = "json_schema"  # strict structured outputs: OpenAI, Ollama, vLLM, llama.cpp
    JSON_OBJECT = "json_object"  # JSON mode; the schema goes into the prompt
    PROMPT = "prompt"  # no response_format at all; the schema goes into the prompt


class LogFormat(StrEnum):
    """How log lines are written."""

    TEXT = "text"
    JSON = "json"  # one JSON object per line, for log shippers


class Settings(JobSettings, BaseSettings):
    """Everything configurable, from the environment and `.env` (jobs: config_jobs.py)."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
        # `cp .env.example .env` leaves many `NAME=` lines: empty means "not set", so a
        # value from a lower-priority source (or the default) applies.
        env_ignore_empty=True,
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = OFFICIAL_TELEGRAM_API
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"  # noqa: S104 - a webhook server must accept outside traffic
    webhook_port: int = Field(default=8443, ge=1, le=65535)

    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_response_format: ResponseFormat = ResponseFormat.JSON_SCHEMA
    llm_max_concurrency: int = Field(default=4, ge=1, le=256)
    llm_timeout_s: float = Field(default=120.0, gt=0)
    llm_max_attempts: int = Field(default=4, ge=1, le=20)
    llm_max_retry_time_s: float = Field(default=300.0, gt=0)
    llm_max_output_tokens: int = Field(default=4000, ge=256)
    briefing_language: str | None = None

    bot_data_dir: Path = Path("./summaries")
    # PostgreSQL for everything the data directory holds (docs/operations.md, "PostgreSQL"):
    # several processes share it, and none needs a disk. A secret: it carries a password.
    database_url: SecretStr | None = None
    prompts_dir: Path | None = None
    max_article_chars: int = Field(default=1_000_000, ge=1000)
    min_article_chars: int = Field(default=200, ge=1)
    show_unverified_quotes: bool = True

    allowed_user_ids: IdList = frozenset()
    allowed_chat_ids: IdList = frozenset()
    admin_user_ids: IdList = frozenset()
    group_settings_by_members: bool = False  # /follow, /digest on... for every member, not admins
    user_rate_limit_per_hour: int = Field(default=30, ge=1)
    # Hostile but allowed users (docs/security.md, "Limits").
    user_hourly_fetches: int = Field(default=30, ge=1)  # pages and files, failed ones too
    user_jobs_in_flight: int = Field(default=10, ge=1)
    fetches_per_host: int = Field(default=2, ge=1)
    command_limits: LimitMap = {}

    digest_default_time: time = time(8, 0)
    digest_default_tz: str = "UTC"
    digest_grace_hours: float = Field(default=3.0, ge=0)
    digest_send_empty: bool = False
    digest_tick_s: float = Field(default=30.0, gt=0)
    story_window_hours: float = Field(default=72.0, gt=0, le=24 * 30)
    telegram_messages_per_second: float = Field(default=28.0, gt=0)

    log_level: str = "INFO"

    # Operations: budgets, prices, long articles, log format.
    user_daily_token_budget: int = Field(default=0, ge=0)
    global_daily_token_budget: int = Field(default=0, ge=0)
    budget_tz: str = "UTC"
    llm_price_per_mtok_in: float | None = Field(default=None, ge=0)
    llm_price_per_mtok_out: float | None = Field(default=None, ge=0)
    llm_price_per_mtok_cached: float | None = Field(default=None, ge=0)
    llm_max_input_tokens: int = Field(default=10_000, ge=1000)
    log_format: LogFormat = LogFormat.TEXT

    # --- links and documents: fetching pages users share (bot/sources/) ---
    # DANGEROUS outside tests and local development: lets users make the bot fetch from the
    # operator's own network (loopback, LAN, cloud metadata).
    fetch_allow_private_networks: bool = False
    fetch_max_bytes: int = Field(default=5_000_000, ge=10_000, le=100_000_000)
    fetch_timeout_s: float = Field(default=20.0, gt=0, le=300)
    fetch_cache_hours: float = Field(default=24.0, ge=0)

    # Groups, channels and albums: a chat-wide quota for posts no single person sent (a
    # channel's posts, auto-forwards into its discussion group), and how long the parts of an
    # album (or a comment and its forward) are collected before they are answered as one.
    chat_rate_limit_per_hour: int = Field(default=60, ge=1)
    album_window_s: float = Field(default=1.0, gt=0, le=30)

    # --- feeds: following RSS/Atom feeds, sites and public channels (bot/feeds/) ---
    feed_poll_interval_s: float = Field(default=900.0, ge=10)
    feed_backfill_hours: float = Field(default=24.0, ge=0)
    feed_daily_items_per_chat: int = Field(default=50, ge=1)
    feed_max_items: int = Field(default=100, ge=1, le=1000)
    feed_max_bytes: int = Field(default=2_000_000, ge=10_000, le=50_000_000)
    feed_pause_after_hours: float = Field(default=72.0, gt=0)
    feed_max_sources_per_chat: int = Field(default=50, ge=1)
    # Pages fetched for one source in one poll; the rest of a long feed waits for later polls.
    feed_max_fetches_per_poll: int = Field(default=10, ge=1, le=1000)
    # Sources polled at once, and at once on one host: a slow host holds its own slots only.
    feed_poll_concurrency: int = Field(default=8, ge=1, le=256)
    feed_poll_per_host: int = Field(default=2, ge=1, le=64)
    # Retention of bookkeeping (briefings and stances, the product, are never pruned): an item
    # gone from its feed this long is forgotten with its deliveries; events older than this go.
    feed_history_days: float = Field(default=30.0, ge=2)
    events_days: float = Field(default=400.0, ge=2)
    housekeeping_interval_s: float = Field(default=3600.0, ge=60)
    # Processes sharing a database (docs/operations.md, "Once across processes"): how long one
    # holds a digest or a feed's poll without renewing it, so how soon another takes over
    # from a process that died.
    lease_s: float = Field(default=120.0, ge=10, le=3600)

    # --- PostgreSQL going away (docs/operations.md): how long a unit of work waits for it ---
    database_retry_s: float = Field(default=60.0, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_unset(cls, values: object) -> object:
        # Whitespace-only values (and blanks passed directly) mean "not set" for every field:
        # `PROMPTS_DIR= ` must not become the current directory, nor `OPENAI_API_KEY=` a key.
        if isinstance(values, dict):
            return {k: v for k, v in values.items() if not (isinstance(v, str) and not v.strip())}
        return values

    @field_validator("allowed_user_ids", "allowed_chat_ids", "admin_user_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        # Operators write "1,2,3"; pydantic-settings would try JSON, so NoDecode + this.
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",")]
            return frozenset(int(p) for p in parts if p)
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("command_limits", mode="before")
    @classmethod
    def _limits(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        limits = {}
        for part in filter(None, (p.strip() for p in value.replace(";", ",").split(","))):
            match = _LIMIT.fullmatch(part.replace(" ", "").lower())
            if match is None or int(match[2]) < 1 or int(match[3]) < 1:
                raise ValueError(f"{part!r}: write command=USES/MINUTES, e.g. who=30/10")
            limits[match[1]] = (int(match[2]), int(match[3]))
        return limits

    @field_validator("database_url")
    @classmethod
    def _postgresql_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            url = value.get_secret_value().strip()
            if not url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
                # Never echoed: the URL may carry a password.
                raise ValueError("write postgresql://user:password@host:5432/database")
            value = SecretStr(url)
        return value

    @field_validator("openai_base_url", "webhook_url", "briefing_language", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_telegram_accepts(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram's setWebhook takes 1-256 of these; anything else fails only at start-up.
        if value is not None and not _WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("Telegram accepts 1 to 256 characters A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("briefing_language")
    @classmethod
    def _a_known_language(cls, value: str | None) -> str | None:
        # Stored as a tag ("English" → "en"): free text never reaches a prompt.
        from bot.briefing.languages import AUTO, LanguageError, parse_language

        if value is None or value.strip().casefold() == AUTO:
            return None
        try:
            return parse_language(value).tag
        except LanguageError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("telegram_api_base_url", mode="before")
    @classmethod
    def _blank_is_official(cls, value: object) -> object:
        return OFFICIAL_TELEGRAM_API if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_api_base_url", "openai_base_url", "webhook_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None:
            parts = urlsplit(value)
            if parts.scheme not in {"http", "https"} or not parts.hostname:
                raise ValueError("must be an http:// or https:// URL")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("use DEBUG, INFO, WARNING or ERROR")
        return value.upper()

    @field_validator("digest_default_tz", "budget_tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from bot.digest.schedule import parse_timezone

        return parse_timezone(value).key  # ScheduleError is a ValueError: a clear message

    @field_validator(
        "llm_price_per_mtok_in",
        "llm_price_per_mtok_out",
        "llm_price_per_mtok_cached",
        mode="before",
    )
    @classmethod
    def _blank_price(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    def secrets(self) -> list[str]:
        """List every secret value, for log redaction (the base URL may carry a password)."""
        values = [
            s.get_secret_value()
            for s in (self.telegram_bot_token, self.openai_api_key, self.webhook_secret)
            if s is not None
        ]
        passwords = [urlsplit(self.openai_base_url or "").password, self.database_password]
        return [*values, *(p for p in passwords if p)]

    @property
    def database(self) -> str | None:
        """Return DATABASE_URL (PostgreSQL), or None for the data directory's SQLite file."""
        return None if self.database_url is None else self.database_url.get_secret_value()

    @property
    def database_password(self) -> str | None:
        """Return DATABASE_URL's password, if it has one (for log redaction)."""
        return urlsplit(self.database or "").password

    @property
    def llm_base_url(self) -> str:
        """Return the OpenAI-compatible endpoint in use."""
        return self.openai_base_url or OPENAI_DEFAULT_BASE_URL

    @property
    def llm_configured(self) -> bool:
        """Tell whether an LLM can be called: a key, or a local server that needs none."""
        return self.openai_api_key is not None or self.openai_base_url is not None


def load_settings(**overrides: object) -> Settings:
    """Load settings, turning validation errors into one readable ConfigError."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "settings"
        raise ConfigError(f"{field.upper()}: {first['msg']}") from None
