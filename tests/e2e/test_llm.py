"""The OpenAI adapter, through the real openai client, against the fake server."""

import asyncio
import json
from typing import Any

import openai
import pytest
from pydantic import BaseModel, ConfigDict

from bot.briefing.longform import MergeDraft
from bot.config import ResponseFormat
from bot.digest.models import DigestDraft
from bot.errors import (
    LLMAuthError,
    LLMInvalidOutputError,
    LLMNotConfiguredError,
    LLMRefusalError,
    LLMRequestError,
    LLMTruncatedError,
    LLMUnavailableError,
)
from bot.llm.client import OpenAIAdapter, response_format, schema_text
from bot.models import BriefingDraft
from tests.briefings import korea_briefing
from tests.conftest import SleepRecorder
from tests.fake_llm import FakeLLM, Reply
from tests.openai_rules import RequestRejectedError, check_request


async def complete(adapter: OpenAIAdapter) -> BriefingDraft:
    return (await adapter.complete(system="S", user="U", schema=BriefingDraft)).value


@pytest.fixture
async def adapter(settings, sleeps):
    adapter = OpenAIAdapter(settings, sleep=sleeps, backoff_base_s=0.01)
    yield adapter
    await adapter.aclose()


async def test_strict_json_schema_request_and_usage(adapter, fake_llm: FakeLLM) -> None:
    fake_llm.script(
        Reply(content=korea_briefing(), prompt_tokens=900, completion_tokens=300, cached_tokens=512)
    )
    result = await adapter.complete(system="S", user="U", schema=BriefingDraft)
    assert result.value.actors[0].name == "Kim Jong Un"
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (900, 300)
    assert (result.usage.cached_tokens, result.usage.calls) == (512, 1)
    body = fake_llm.requests[0].body
    assert body["model"] == "fake-model"
    assert body["response_format"]["type"] == "json_schema"
    schema = body["response_format"]["json_schema"]
    assert schema["strict"] is True
    assert schema["schema"]["additionalProperties"] is False
    assert set(schema["schema"]["required"]) == set(schema["schema"]["properties"])
    assert fake_llm.requests[0].headers["authorization"] == "Bearer sk-test-secret"
    assert fake_llm.rejected == []  # strict mode's rules hold at every level (the fake checks)
    assert body["max_tokens"] == adapter._settings.llm_max_output_tokens  # a non-OpenAI server


async def test_openais_own_models_get_max_completion_tokens(make_settings, fake_llm) -> None:
    # The adapter picks the key from the base URL (OpenAI's own), then talks to the fake there.
    settings = make_settings(
        openai_base_url=None, llm_model="gpt-4o-mini", llm_max_output_tokens=700
    )
    adapter = OpenAIAdapter(settings)
    await adapter.aclose()
    adapter._client = openai.AsyncOpenAI(
        api_key="sk-test", base_url=fake_llm.base_url, max_retries=0
    )
    fake_llm.script(Reply(content=korea_briefing()))
    assert (await complete(adapter)).headline
    body = fake_llm.requests[0].body
    assert body["model"] == "gpt-4o-mini"
    assert body["max_completion_tokens"] == 700
    assert "max_tokens" not in body
    await adapter.aclose()


class _Inner(BaseModel):
    model_config = ConfigDict(extra="forbid")
    said: str
    note: str = ""  # optional: strict mode refuses it (not in "required")


class _Outer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    inner: _Inner


async def test_the_fake_answers_400_to_a_nested_optional_field_like_openai(
    adapter, fake_llm: FakeLLM
) -> None:
    fake_llm.script(Reply(content={"inner": {"said": "x", "note": ""}}))
    with pytest.raises(LLMRequestError):
        await adapter.complete(system="S", user="U", schema=_Outer)
    [why] = fake_llm.rejected
    assert "'required' is required" in why
    assert "Missing 'note'" in why


def _body(schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    strict = {"type": "json_schema", "json_schema": {"name": "X", "strict": True, "schema": schema}}
    return {"model": "local", "messages": [{"role": "user", "content": "hi"}],
            "max_tokens": 10, "response_format": strict, **extra}  # fmt: skip


_OBJ = {"type": "object", "additionalProperties": False}


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (
            _body(
                {
                    **_OBJ,
                    "properties": {
                        "a": {
                            "type": "object",
                            "properties": {"b": {"type": "string"}},
                            "required": ["b"],
                        }
                    },
                    "required": ["a"],
                }
            ),
            "'additionalProperties' is required",
        ),
        (
            _body(
                {**_OBJ, "properties": {"a": {"type": "string", "minLength": 2}}, "required": ["a"]}
            ),
            "'minLength' is not permitted",
        ),
        (
            _body(
                {**_OBJ, "properties": {"a": {"type": "string", "default": ""}}, "required": ["a"]}
            ),
            "'default' is not permitted",
        ),
        (_body({"anyOf": [_OBJ]}), "must be a JSON Schema of 'type: \"object\"'"),
        (_body(_OBJ, model=""), "you must provide a model"),
        ({**_body(_OBJ), "model": "o3-mini"}, "Use 'max_completion_tokens' instead"),
        ({**_body(_OBJ), "max_completion_tokens": 10}, "Unrecognized request argument"),
        ({**_body(_OBJ), "response_format": {"type": "json_object"}}, "the word 'json'"),
    ],
)
def test_the_fake_holds_requests_to_openais_rules(body: dict[str, Any], why: str) -> None:
    with pytest.raises(RequestRejectedError, match=None) as raised:
        check_request(body)
    assert why in str(raised.value)


def test_a_strict_schema_with_every_rule_kept_passes() -> None:
    inner = {**_OBJ, "properties": {"b": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
             "required": ["b"]}  # fmt: skip
    body = _body({**_OBJ, "properties": {"a": {"$ref": "#/$defs/I"}}, "required": ["a"],
                  "$defs": {"I": inner}}, model="gpt-5-mini")  # fmt: skip
    del body["max_tokens"]
    check_request({**body, "max_completion_tokens": 10})


def _objects(node: Any, path: str = "$") -> list[tuple[str, dict[str, Any]]]:
    """Every object schema in a JSON schema, nested ones and $defs included, with its path."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        if node.get("type") == "object" or "properties" in node:
            found.append((path, node))
        for key, value in node.items():
            found += _objects(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _objects(value, f"{path}[{i}]")
    return found


@pytest.mark.parametrize("model", [BriefingDraft, MergeDraft, DigestDraft])
def test_every_nested_object_is_strict(model: type[BaseModel]) -> None:
    # OpenAI's strict mode checks every object, not only the top: all keys required and no
    # others allowed, in key points, stances and actors alike.
    objects = _objects(response_format(model)["json_schema"]["schema"])
    assert len(objects) > 1 or model is MergeDraft
    for path, node in objects:
        assert node.get("additionalProperties") is False, path
        assert set(node.get("required", [])) == set(node["properties"]), path


def test_key_points_ask_for_their_source_sentence() -> None:
    defs = response_format(BriefingDraft)["json_schema"]["schema"]["$defs"]
    assert set(defs["KeyPoint"]["properties"]) == {"text", "source"}
    assert "issue" in defs["Stance"]["required"]


async def test_retry_after_is_honoured_then_success(
    adapter, fake_llm: FakeLLM, sleeps: SleepRecorder
) -> None:
    fake_llm.script(
        Reply(status=429, retry_after="7", error="slow down"),
        Reply(status=500),
        Reply(status=503),
        Reply(content=korea_briefing()),
    )
    await complete(adapter)
    assert fake_llm.calls == 4
    assert sleeps.waits[0] == 7.0  # Retry-After wins over backoff
    assert all(0 <= w <= 30 for w in sleeps.waits[1:])
    assert len(sleeps.waits) == 3


async def test_gives_up_after_bounded_attempts_with_clear_error(
    make_settings, fake_llm: FakeLLM, sleeps
) -> None:
    adapter = OpenAIAdapter(make_settings(llm_max_attempts=3), sleep=sleeps, backoff_base_s=0.01)
    fake_llm.script(*[Reply(status=502)] * 10)
    with pytest.raises(
        LLMUnavailableError, match=r"kept failing \(HTTP 502\); gave up after 3 attempts"
    ):
        await complete(adapter)
    assert fake_llm.calls == 3  # the SDK's own retries are off: no multiplication
    await adapter.aclose()


async def test_timeouts_are_retried(make_settings, fake_llm: FakeLLM, sleeps) -> None:
    adapter = OpenAIAdapter(make_settings(llm_timeout_s=0.2), sleep=sleeps, backoff_base_s=0.01)
    fake_llm.script(Reply(content=korea_briefing(), delay_s=1.0), Reply(content=korea_briefing()))
    draft = await complete(adapter)
    assert draft.headline.startswith("North Korea")
    assert fake_llm.calls == 2
    await adapter.aclose()


async def test_connection_refused_gives_up_clearly(make_settings, sleeps) -> None:
    adapter = OpenAIAdapter(
        make_settings(openai_base_url="http://127.0.0.1:9/v1", llm_max_attempts=2), sleep=sleeps
    )
    with pytest.raises(LLMUnavailableError, match="could not connect"):
        await complete(adapter)
    await adapter.aclose()


async def test_invalid_json_is_repaired_once_showing_the_error(adapter, fake_llm: FakeLLM) -> None:
    fake_llm.script(Reply(content="{not json"), Reply(content=korea_briefing()))
    result = await adapter.complete(system="S", user="U", schema=BriefingDraft)
    assert result.usage.calls == 2
    repair = fake_llm.requests[1].body["messages"]
    assert repair[2] == {"role": "assistant", "content": "{not json"}
    assert "not valid for the required JSON schema" in repair[3]["content"]
    assert "json" in repair[3]["content"].lower()


async def test_schema_mismatch_twice_is_a_typed_error(adapter, fake_llm: FakeLLM) -> None:
    bad = korea_briefing()
    del bad["actors"]
    fake_llm.script(Reply(content=bad), Reply(content=bad))
    with pytest.raises(LLMInvalidOutputError, match="even after a repair"):
        await complete(adapter)
    assert "actors" in fake_llm.requests[1].body["messages"][3]["content"]


@pytest.mark.parametrize(
    ("reply", "error", "message"),
    [
        (Reply(refusal="I can't help with that."), LLMRefusalError, "refused: I can't help"),
        (
            Reply(content='{"headline": "cut', finish_reason="length"),
            LLMTruncatedError,
            "LLM_MAX_OUTPUT_TOKENS",
        ),
        (Reply(content="", finish_reason="content_filter"), LLMRefusalError, "content filter"),
        (Reply(status=401, error="bad key"), LLMAuthError, "OPENAI_API_KEY"),
        (
            Reply(status=400, error="response_format json_schema unsupported"),
            LLMRequestError,
            "LLM_RESPONSE_FORMAT",
        ),
        (
            Reply(status=429, error="quota", error_code="insufficient_quota"),
            LLMUnavailableError,
            "quota",
        ),
    ],
)
async def test_non_transient_failures_are_not_retried(
    adapter, fake_llm: FakeLLM, reply, error, message
) -> None:
    fake_llm.script(reply, Reply(content=korea_briefing()))
    with pytest.raises(error, match=message):
        await complete(adapter)
    assert fake_llm.calls == 1


@pytest.mark.parametrize("mode", [ResponseFormat.JSON_OBJECT, ResponseFormat.PROMPT])
async def test_servers_without_json_schema_get_the_schema_in_the_prompt(
    make_settings, fake_llm, mode
) -> None:
    adapter = OpenAIAdapter(make_settings(llm_response_format=mode))
    fenced = "```json\n" + json.dumps(korea_briefing()) + "\n```"
    fake_llm.script(Reply(content=fenced))
    draft = await complete(adapter)
    assert len(draft.actors) == 4
    body = fake_llm.requests[0].body
    assert '"stances"' in body["messages"][0]["content"]
    if mode is ResponseFormat.JSON_OBJECT:
        assert body["response_format"] == {"type": "json_object"}
    else:
        assert "response_format" not in body
    await adapter.aclose()


async def test_concurrency_is_capped(make_settings, fake_llm: FakeLLM) -> None:
    adapter = OpenAIAdapter(make_settings(llm_max_concurrency=2))
    fake_llm.script(*[Reply(content=korea_briefing(), delay_s=0.15) for _ in range(6)])
    await asyncio.gather(*(complete(adapter) for _ in range(6)))
    assert fake_llm.max_in_flight == 2
    await adapter.aclose()


def test_unconfigured_llm_says_what_to_set(make_settings) -> None:
    with pytest.raises(LLMNotConfiguredError, match=r"OPENAI_API_KEY.*OPENAI_BASE_URL"):
        OpenAIAdapter(make_settings(openai_api_key=None, openai_base_url=None))


async def test_no_retry_starts_after_the_time_budget(
    make_settings, fake_llm: FakeLLM, sleeps
) -> None:
    adapter = OpenAIAdapter(make_settings(llm_max_retry_time_s=50), sleep=sleeps)
    fake_llm.script(Reply(status=429, retry_after="100"), Reply(content=korea_briefing()))
    with pytest.raises(LLMUnavailableError, match="gave up after 1 attempt in"):
        await complete(adapter)
    assert fake_llm.calls == 1
    assert sleeps.waits == []  # it did not wait 100 s to try once more
    await adapter.aclose()


@pytest.mark.parametrize("mode", list(ResponseFormat))
async def test_the_request_is_the_one_chat_completions_create_sends(
    make_settings, fake_llm: FakeLLM, mode: ResponseFormat
) -> None:
    # The adapter posts its JSON through the client directly (create() walks every argument
    # against its type hints first); the old call, verbatim, is the reference.
    settings = make_settings(llm_response_format=mode)
    adapter = OpenAIAdapter(settings)
    fake_llm.script(Reply(content=korea_briefing()), Reply(content=korea_briefing()))
    await adapter.complete(system="S “quoted”", user="U\nline two", schema=BriefingDraft)
    system = "S “quoted”"
    if mode is not ResponseFormat.JSON_SCHEMA:
        system += (
            "\n\nReply with one JSON object only, no prose, matching this JSON schema:\n"
            + schema_text(BriefingDraft)
        )
    kwargs: dict[str, Any] = {"max_tokens": settings.llm_max_output_tokens}
    if mode is ResponseFormat.JSON_SCHEMA:
        kwargs["response_format"] = {
            "type": "json_schema",
            "json_schema": {
                "name": BriefingDraft.__name__,
                "strict": True,
                "schema": BriefingDraft.model_json_schema(),
            },
        }
    elif mode is ResponseFormat.JSON_OBJECT:
        kwargs["response_format"] = {"type": "json_object"}
    client = openai.AsyncOpenAI(
        api_key="sk-test-secret", base_url=settings.llm_base_url, max_retries=0
    )
    await client.chat.completions.create(
        model=settings.llm_model,
        messages=[
            {"role": "system", "content": system},
            {"role": "user", "content": "U\nline two"},
        ],
        **kwargs,
    )
    await client.close()
    await adapter.aclose()
    ours, reference = fake_llm.requests
    assert ours.path == reference.path == "/v1/chat/completions"
    assert ours.body == reference.body
    assert list(ours.body) == list(reference.body)  # same keys, same order
    for header in ("authorization", "content-type", "accept"):
        assert ours.headers[header] == reference.headers[header]
