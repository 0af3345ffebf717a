"""What comes back from the OpenAI SDK, in the bot's terms: text, usage, or our error.

A response's answer text (refusals, cut-off and filtered answers raised as ours) and the
tokens it reports, and an SDK exception mapped to one of ours or marked transient (worth
retrying, with the server's Retry-After). This is the boundary with the SDK's types; the
adapter in client.py (prompting, repair, retries) works only with what this module returns.
"""

from __future__ import annotations

from typing import Any

import openai

from bot.errors import (
    LLMAuthError,
    LLMError,
    LLMInvalidOutputError,
    LLMRefusalError,
    LLMRequestError,
    LLMTruncatedError,
    LLMUnavailableError,
)
from bot.models import Usage


class _TransientError(Exception):
    """An attempt failed in a way worth retrying."""

    def __init__(self, cause: Exception, retry_after: float | None) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.retry_after = retry_after


def _retry_after(exc: openai.APIStatusError) -> float | None:
    value = exc.response.headers.get("retry-after")
    try:
        # Honoured as given: stop_before_delay gives up instead when it would exceed the budget.
        return float(value) if value is not None else None
    except ValueError:
        return None  # an HTTP date; rare from LLM servers, so fall back to backoff


def _classify(exc: openai.OpenAIError) -> Exception:
    """Map SDK errors to ours; transient ones become _TransientError."""
    if isinstance(exc, openai.APITimeoutError | openai.APIConnectionError):
        return _TransientError(exc, None)
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return LLMAuthError(
            "The LLM server rejected the credentials: check OPENAI_API_KEY "
            f"(HTTP {exc.status_code})."
        )
    if isinstance(exc, openai.RateLimitError) and exc.code == "insufficient_quota":
        return LLMUnavailableError("The LLM account is out of quota; retrying will not help.")
    if isinstance(exc, openai.APIStatusError):
        if exc.status_code in {408, 409, 429} or exc.status_code >= 500:  # noqa: PLR2004
            return _TransientError(exc, _retry_after(exc))
        return LLMRequestError(
            f"The LLM server refused the request (HTTP {exc.status_code}): {exc.message[:300]}. "
            "If it does not support json_schema, set LLM_RESPONSE_FORMAT=json_object."
        )
    return LLMError(f"LLM client error: {exc}")


def _content(response: Any) -> str:  # noqa: ANN401 - the SDK's ChatCompletion
    if not response.choices:
        raise LLMInvalidOutputError("The LLM server returned no answer (empty choices).")
    choice = response.choices[0]
    if getattr(choice.message, "refusal", None):
        raise LLMRefusalError(f"The model refused: {choice.message.refusal[:200]}")
    if choice.finish_reason == "length":
        raise LLMTruncatedError(
            "The model's answer was cut off at the token limit; raise LLM_MAX_OUTPUT_TOKENS "
            "or use a model with a longer output."
        )
    if choice.finish_reason == "content_filter":
        raise LLMRefusalError("The provider's content filter blocked the answer.")
    return str(choice.message.content or "")


def _usage(response: Any) -> Usage:  # noqa: ANN401 - the SDK's ChatCompletion
    usage = response.usage
    if usage is None:
        return Usage(calls=1)
    details = getattr(usage, "prompt_tokens_details", None)
    return Usage(
        prompt_tokens=usage.prompt_tokens or 0,
        completion_tokens=usage.completion_tokens or 0,
        cached_tokens=(getattr(details, "cached_tokens", None) or 0) if details else 0,
        calls=1,
    )
