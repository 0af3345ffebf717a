"""Logging set-up that keeps secrets out of every log line."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

_REDACTED = "[REDACTED]"
_FORMATTER = logging.Formatter()


def _redact(text: str, needles: list[str]) -> str:
    for needle in needles:
        text = text.replace(needle, _REDACTED)
    return text


def install_redaction(secrets: Iterable[str]) -> None:
    """Redact secrets from every log record, whichever logger or handler sees it."""
    needles = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)  # noqa: PLR2004
    if not needles:
        return
    previous = logging.getLogRecordFactory()

    # A record factory, not a handler filter: it also covers handlers added later (pytest's
    # caplog, an operator's own) and records that propagate from library loggers such as httpx,
    # which logs request URLs, and Telegram's URLs contain the bot token.
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:  # noqa: ANN401
        record = previous(*args, **kwargs)
        message = record.getMessage()
        if any(n in message for n in needles):
            record.msg, record.args = _redact(message, needles), None
        if record.exc_info:
            # Formatters reuse a preset exc_text, so the traceback is redacted too.
            record.exc_text = _redact(_FORMATTER.formatException(record.exc_info), needles)
        return record

    logging.setLogRecordFactory(factory)


class JsonFormatter(logging.Formatter):
    """One JSON object per line for log shippers (LOG_FORMAT=json)."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record's (already redacted) message and fields as JSON."""
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            entry["exc"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def setup_logging(level: str, secrets: Iterable[str], *, fmt: str = "text") -> None:
    """Configure the root logger and silence per-request chatter from HTTP clients."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter()
        if fmt == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    logging.basicConfig(level=level.upper(), handlers=[handler])
    for noisy in ("httpx", "httpx2", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    install_redaction(secrets)


@dataclass
class UpdateTrace:
    """What happened while one update was handled: filled in along the way, logged once."""

    chat_id: int | None
    kind: str
    outcome: str = "handled"  # handlers that matter say more: briefed, cached, failed:…
    cache_hit: bool | None = None
    llm_ms: int = 0
    llm_tokens: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    # Set when the update's article went to a worker: the worker logs the line when done.
    deferred: bool = False

    def add_llm(self, ms: int, tokens: int) -> None:
        """Add one LLM call's time and tokens."""
        self.llm_ms += ms
        self.llm_tokens += tokens

    def fields(self) -> dict[str, Any]:
        """Return the trace as flat fields (the JSON log line's keys)."""
        return {
            "chat_id": self.chat_id,
            "kind": self.kind,
            "outcome": self.outcome,
            "cache_hit": self.cache_hit,
            "llm_ms": self.llm_ms,
            "llm_tokens": self.llm_tokens,
            **self.extra,
        }


_trace: ContextVar[UpdateTrace | None] = ContextVar("briefbot_trace", default=None)


def current_trace() -> UpdateTrace | None:
    """Return the trace of the update being handled, if any."""
    return _trace.get()


def set_outcome(outcome: str, *, cache_hit: bool | None = None) -> None:
    """Record how the current update ended (no-op outside an update)."""
    if (trace := _trace.get()) is not None:
        trace.outcome = outcome
        if cache_hit is not None:
            trace.cache_hit = cache_hit


def start_trace(trace: UpdateTrace) -> object:
    """Make `trace` the current one; return a token for end_trace."""
    return _trace.set(trace)


def end_trace(token: object) -> None:
    """Restore the trace that was current before start_trace."""
    _trace.reset(token)  # type: ignore[arg-type]


def log_update(trace: UpdateTrace) -> None:
    """Log one update's line: ids, kinds and numbers only (no text, no names, no secrets)."""
    logging.getLogger("bot.updates").info(
        "update chat=%s kind=%s outcome=%s cache_hit=%s llm_ms=%d llm_tokens=%d",
        trace.chat_id,
        trace.kind,
        trace.outcome,
        "-" if trace.cache_hit is None else str(trace.cache_hit).lower(),
        trace.llm_ms,
        trace.llm_tokens,
        extra={"fields": trace.fields()},
    )
