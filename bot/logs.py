"""Logging set-up that keeps secrets out of every log line."""

from __future__ import annotations

import logging
from collections.abc import Iterable
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


def setup_logging(level: str, secrets: Iterable[str]) -> None:
    """Configure the root logger and silence per-request chatter from HTTP clients."""
    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("httpx", "httpx2", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    install_redaction(secrets)
