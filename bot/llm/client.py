"""The OpenAI-compatible LLM adapter: structured output, repair, retries, usage."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import openai
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    stop_before_delay,
    wait_random_exponential,
)

from bot.config import OPENAI_DEFAULT_BASE_URL, ResponseFormat, Settings
from bot.errors import (
    LLMError,
    LLMInvalidOutputError,
    LLMNotConfiguredError,
    LLMUnavailableError,
)
from bot.llm.port import Completion, T
from bot.llm.responses import _classify, _content, _TransientError, _usage
from bot.models import Usage
from bot.runtime.loop_turns import take_turn

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.IGNORECASE)


async def warm_up() -> None:
    """Load what the SDK and its HTTP stack import lazily on the first request.

    `briefbot run` does it once at start-up: done by the first briefing instead, these
    imports held the event loop for up to half a second while every other chat waited.
    """
    client = openai.AsyncOpenAI(api_key="none", base_url="http://127.0.0.1:9/v1")
    _ = client.chat.completions  # the resource and its parameter types
    for name in ("anyio._backends._asyncio", "jiter", "openai.lib.streaming.chat"):
        with contextlib.suppress(ImportError):  # a later SDK may arrange them differently
            importlib.import_module(name)
    await client.close()


def safe_url(url: str) -> str:
    """Drop credentials and query from a URL before it is shown or logged."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


@functools.cache
def json_schema(schema: type[BaseModel]) -> dict[str, Any]:
    """Return the model's JSON schema, built once per class (pydantic rebuilds it per call)."""
    return schema.model_json_schema()


@functools.cache
def schema_text(schema: type[BaseModel]) -> str:
    """Return the model's JSON schema as prompt text, built once per class."""
    return json.dumps(json_schema(schema), ensure_ascii=False)


@functools.cache
def response_format(schema: type[BaseModel]) -> dict[str, Any]:
    """Return the strict `json_schema` response format asking for `schema`, built once."""
    return {
        "type": "json_schema",
        "json_schema": {"name": schema.__name__, "strict": True, "schema": json_schema(schema)},
    }


def _strip_fences(content: str) -> str:
    text = _FENCE.sub("", content.strip())
    start, end = text.find("{"), text.rfind("}")
    return text[start : end + 1] if 0 <= start < end else text


class OpenAIAdapter:
    """An LLMPort on any OpenAI-compatible Chat Completions server."""

    def __init__(
        self,
        settings: Settings,
        *,
        sleep: Sleep = asyncio.sleep,
        backoff_base_s: float = 1.0,
        backoff_max_s: float = 30.0,
    ) -> None:
        if not settings.llm_configured:
            raise LLMNotConfiguredError
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "none"
        self._settings = settings
        # The SDK's own retries are off: tenacity below owns retrying, so they don't multiply.
        self._client = openai.AsyncOpenAI(
            api_key=key,
            base_url=settings.llm_base_url,
            max_retries=0,
            timeout=settings.llm_timeout_s,
        )
        self._semaphore = asyncio.Semaphore(settings.llm_max_concurrency)
        self._sleep = sleep
        self._wait = wait_random_exponential(multiplier=backoff_base_s, max=backoff_max_s)
        # OpenAI's newer models reject max_tokens; many local servers only know max_tokens.
        self._limit_key = (
            "max_completion_tokens"
            if settings.llm_base_url.rstrip("/") == OPENAI_DEFAULT_BASE_URL
            else "max_tokens"
        )

    @property
    def model(self) -> str:
        """Return the configured model name."""
        return self._settings.llm_model

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.close()

    async def complete(self, *, system: str, user: str, schema: type[T]) -> Completion[T]:
        """Ask for `schema`, repair (REPAIR_ROUNDS) invalid output, retry transient failures."""
        mode = self._settings.llm_response_format
        if mode is not ResponseFormat.JSON_SCHEMA:
            system += (
                "\n\nReply with one JSON object only, no prose, matching this JSON schema:\n"
                + schema_text(schema)
            )
        messages: list[dict[str, str]] = [
            {"role": "system", "content": system},
            {"role": "user", "content": user},
        ]
        content, usage = await self._call(messages, schema)
        try:
            return Completion(schema.model_validate_json(_strip_fences(content)), usage)
        except ValidationError as exc:
            error = _short_errors(exc)
        log.warning("LLM output failed validation; asking for a repair: %s", error)
        messages += [
            {"role": "assistant", "content": content},
            {
                "role": "user",
                "content": "Your reply is not valid for the required JSON schema:\n"
                f"{error}\nReply again with the complete, corrected JSON object only.",
            },
        ]
        try:
            content, repair_usage = await self._call(messages, schema)
        except LLMError as exc:
            exc.usage = usage + (exc.usage or Usage())  # the first answer was billed too
            raise
        usage += repair_usage
        try:
            return Completion(schema.model_validate_json(_strip_fences(content)), usage)
        except ValidationError as exc:
            invalid = LLMInvalidOutputError(
                "The model's answer did not match the briefing format, even after a repair "
                f"attempt ({_short_errors(exc)[:200]})."
            )
            invalid.usage = usage  # both calls were billed; budgets and stats count them
            raise invalid from None

    async def _call(
        self, messages: list[dict[str, str]], schema: type[BaseModel]
    ) -> tuple[str, Usage]:
        started = time.monotonic()
        attempts = 0
        retrying = AsyncRetrying(
            retry=retry_if_exception(lambda e: isinstance(e, _TransientError)),
            stop=stop_after_attempt(self._settings.llm_max_attempts)
            | stop_before_delay(self._settings.llm_max_retry_time_s),
            wait=self._wait_for,
            sleep=self._sleep,
            reraise=True,
            before_sleep=_log_retry,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    attempts += 1
                    return await self._attempt(messages, schema)
        except _TransientError as exc:
            raise LLMUnavailableError(
                f"The LLM server at {safe_url(self._settings.llm_base_url)} kept failing "
                f"({_describe(exc.cause)}); gave up after {attempts} "
                f"attempt{'s' * (attempts != 1)} in "
                f"{time.monotonic() - started:.0f} s."
            ) from None
        raise AssertionError("unreachable")  # pragma: no cover - tenacity reraises

    def _wait_for(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _TransientError) and exc.retry_after is not None:
            return exc.retry_after  # the server knows best when it can take us again
        return float(self._wait(state))

    async def _attempt(
        self, messages: list[dict[str, str]], schema: type[BaseModel]
    ) -> tuple[str, Usage]:
        body: dict[str, Any] = {
            "model": self._settings.llm_model,
            "messages": messages,
            self._limit_key: self._settings.llm_max_output_tokens,
        }
        mode = self._settings.llm_response_format
        if mode is ResponseFormat.JSON_SCHEMA:
            body["response_format"] = response_format(schema)
        elif mode is ResponseFormat.JSON_OBJECT:
            body["response_format"] = {"type": "json_object"}
        async with self._semaphore:
            await take_turn()  # 32 calls start at once in a burst: one per loop iteration
            try:
                # The client's own POST, not `chat.completions.create`: same request, same
                # errors, same parsed ChatCompletion, but create() first walks every argument
                # against its type hints (~0.7 ms of the event loop per call) to send this JSON.
                response = await self._client.post(
                    "/chat/completions",
                    body=body,
                    cast_to=ChatCompletion,
                    options={"security": {"bearer_auth": True}},
                )
            except openai.OpenAIError as exc:
                raise _classify(exc) from exc
        try:
            return _content(response), _usage(response)
        except LLMError as exc:
            exc.usage = _usage(response)  # a refused or cut-off answer is billed all the same
            raise


def _short_errors(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in exc.errors()[:8]
    )


def _describe(exc: Exception) -> str:
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}"
    if isinstance(exc, openai.APITimeoutError):
        return "timed out"
    if isinstance(exc, openai.APIConnectionError):
        return "could not connect"
    return type(exc).__name__


def _log_retry(state: RetryCallState) -> None:
    exc = state.outcome.exception() if state.outcome else None
    cause = exc.cause if isinstance(exc, _TransientError) else exc
    delay = state.next_action.sleep if state.next_action else 0.0
    log.warning(
        "LLM attempt %d failed (%s); retrying in %.1f s",
        state.attempt_number,
        _describe(cause) if isinstance(cause, Exception) else cause,
        delay,
    )
