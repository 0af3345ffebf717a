"""Typed errors. Each carries a message fit to show a user as it is."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from bot.models import Usage


class BriefbotError(Exception):
    """Base of every error briefbot raises on purpose."""

    # What an operator may change about it (a setting's name): the terminal shows it, a chat
    # never does.
    operator_note: ClassVar[str] = ""


class ConfigError(BriefbotError):
    """A setting is missing or invalid."""


class ArticleError(BriefbotError):
    """The input is not an article we can brief (empty, too short, not text)."""


class ArticleTooLongError(ArticleError):
    """The article is longer than the configured hard cap."""

    operator_note = "the limit is MAX_ARTICLE_CHARS"


class PromptError(ConfigError):
    """A prompt file is malformed, or rendered without a variable it needs."""


class LLMError(BriefbotError):
    """The LLM could not produce a briefing."""

    # How /stats and the events table name this failure ("budget", "invalid_output"…).
    kind: ClassVar[str] = "llm"

    # Tokens the provider billed before the failure (a rejected answer, a failed repair):
    # budgets and stats book them too. None when no call got an answer.
    usage: Usage | None = None

    @property
    def user_message(self) -> str:
        """Say what went wrong to a chat user: no endpoints, server bodies or setting names."""
        # str(self) is for the operator's log: it may name a setting to change.
        return "the language model could not answer."


class LLMNotConfiguredError(LLMError, ConfigError):
    """No LLM server or key is configured."""

    kind = "not_configured"

    def __init__(
        self,
        message: str = "No LLM configured: set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL "
        "(a local OpenAI-compatible server such as Ollama).",
    ) -> None:
        super().__init__(message)

    @property
    def user_message(self) -> str:
        """Say what is missing without naming settings (those are for the operator)."""
        return "this bot has no language model set up."


class LLMAuthError(LLMError):
    """The LLM server rejected our credentials."""

    kind = "auth"

    @property
    def user_message(self) -> str:
        """Point the operator at the key without echoing anything about it."""
        return "the language model rejected the bot's credentials (its log says more)."


class LLMRefusalError(LLMError):
    """The model refused to answer."""

    kind = "refusal"


class LLMTruncatedError(LLMError):
    """The answer was cut off at the token limit."""

    kind = "truncated"


class LLMInvalidOutputError(LLMError):
    """The answer did not match the schema, even after a repair attempt."""

    kind = "invalid_output"


class LLMUnavailableError(LLMError):
    """The server kept failing with transient errors until we gave up."""

    kind = "unavailable"

    @property
    def user_message(self) -> str:
        """Say it is temporary, without naming the server."""
        return "the language model is not answering right now. Please try again later."


class LLMRequestError(LLMError):
    """The server rejected the request itself (bad model name, unsupported option)."""

    kind = "request"

    @property
    def user_message(self) -> str:
        """Keep the server's own words for the log."""
        return "the language model server refused the request (the bot's log says why)."


# Sources: why a link or a document yielded no article; each message is fit to show a user.
PASTE_HINT = "Forward the post or paste the article's text instead."


class SourceError(ArticleError):
    """A link or document gave no article; the message says why and what to do."""

    def __init__(self, reason: str, *, hint: bool = True) -> None:
        super().__init__(f"{reason} {PASTE_HINT}" if hint else reason)
        self.reason = reason


class RefusedURLError(SourceError):
    """The link points somewhere the bot will not go (not http(s), a private address…)."""


class FetchFailedError(SourceError):
    """The page could not be fetched: timeout, HTTP error, too large, wrong type."""


class NoArticleError(SourceError):
    """The page or document was fetched but holds no article text."""


class QueryError(BriefbotError):
    """A search query we cannot read (an unknown filter, a bad date)."""


class SchemaError(ConfigError):
    """The database's schema is one this briefbot cannot use (newer, or no way to upgrade)."""


class MigrateError(BriefbotError):
    """`briefbot migrate` could not copy the store, or the copy differs from its source."""


class MigrateUsageError(MigrateError, ConfigError):
    """`briefbot migrate` was pointed at something it cannot copy from or to (a bad URL)."""
