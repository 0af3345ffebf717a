"""Typed errors. Each carries a message fit to show a user as it is."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.models import Usage


class BriefbotError(Exception):
    """Base of every error briefbot raises on purpose."""


class ConfigError(BriefbotError):
    """A setting is missing or invalid."""


class ArticleError(BriefbotError):
    """The input is not an article we can brief (empty, too short, not text)."""


class PromptError(ConfigError):
    """A prompt file is malformed, or rendered without a variable it needs."""


class LLMError(BriefbotError):
    """The LLM could not produce a briefing."""

    # Tokens the provider billed before the failure (a rejected answer, a failed repair):
    # budgets and stats book them too. None when no call got an answer.
    usage: Usage | None = None

    @property
    def user_message(self) -> str:
        """Say what went wrong to a chat user: no endpoints, no server bodies."""
        return str(self)


class LLMNotConfiguredError(LLMError, ConfigError):
    """No LLM server or key is configured."""

    def __init__(
        self,
        message: str = "No LLM configured: set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL "
        "(a local OpenAI-compatible server such as Ollama).",
    ) -> None:
        super().__init__(message)


class LLMAuthError(LLMError):
    """The LLM server rejected our credentials."""

    @property
    def user_message(self) -> str:
        """Point the operator at the key without echoing anything about it."""
        return "the language model rejected the bot's credentials (operator: check OPENAI_API_KEY)."


class LLMRefusalError(LLMError):
    """The model refused to answer."""


class LLMTruncatedError(LLMError):
    """The answer was cut off at the token limit."""


class LLMInvalidOutputError(LLMError):
    """The answer did not match the schema, even after a repair attempt."""


class LLMUnavailableError(LLMError):
    """The server kept failing with transient errors until we gave up."""

    @property
    def user_message(self) -> str:
        """Say it is temporary, without naming the server."""
        return "the language model is not answering right now. Please try again later."


class LLMRequestError(LLMError):
    """The server rejected the request itself (bad model name, unsupported option)."""

    @property
    def user_message(self) -> str:
        """Keep the server's own words for the log."""
        return "the language model server refused the request (operator: see the bot's log)."
