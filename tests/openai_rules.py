"""OpenAI's documented request rules, as the fake LLM enforces them (400 like the real API).

Structured outputs with ``strict: true`` accept a subset of JSON Schema: the root is an object;
every object (nested ones and those under ``$defs`` included) has ``additionalProperties: false``
and lists every property in ``required`` (an optional field is a union with null, never left
out); only the supported keywords appear. OpenAI's own reasoning-era models take
``max_completion_tokens``; the servers the client sends ``max_tokens`` to know only that one.
"""

from __future__ import annotations

import re
from typing import Any

# The keywords strict mode supports (structured outputs guide, "Supported schemas").
_SUPPORTED = frozenset({
    "type", "properties", "required", "additionalProperties", "items", "enum", "const",
    "anyOf", "$ref", "$defs", "definitions", "description", "title",
    "pattern", "format", "multipleOf", "maximum", "exclusiveMaximum", "minimum",
    "exclusiveMinimum", "minItems", "maxItems",
})  # fmt: skip
_OPENAI_MODEL = re.compile(r"(gpt-4o|gpt-4\.1|o1|o3|o4|gpt-5)(\b|-|$)")
MAX_NESTING = 10
MAX_PROPERTIES = 5000


class RequestRejectedError(ValueError):
    """What OpenAI answers 400 to; the message is the API's kind of message."""

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param


def is_openai_model(name: str) -> bool:
    """Tell whether `name` is one of OpenAI's own models (those that take max_completion_tokens)."""
    return _OPENAI_MODEL.match(name) is not None


def check_request(body: dict[str, Any]) -> None:
    """Raise RequestRejectedError for a Chat Completions body OpenAI would refuse."""
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise RequestRejectedError("you must provide a model parameter", "model")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise RequestRejectedError("'messages' must be a non-empty array", "messages")
    _check_token_limit(model, body)
    fmt = body.get("response_format")
    if fmt is None:
        return
    kind = fmt.get("type")
    if kind == "json_object":
        if not any("json" in str(m.get("content", "")).lower() for m in messages):
            raise RequestRejectedError(
                "'messages' must contain the word 'json' in some form, to use "
                "'response_format' of type 'json_object'.",
                "messages",
            )
    elif kind == "json_schema":
        spec = fmt.get("json_schema") or {}
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", str(spec.get("name", ""))):
            raise RequestRejectedError("Invalid 'response_format.json_schema.name'", "name")
        if spec.get("strict") is True:
            check_strict_schema(spec.get("schema"), str(spec["name"]))
    elif kind != "text":
        raise RequestRejectedError(f"Invalid value: '{kind}'.", "response_format.type")


def _check_token_limit(model: str, body: dict[str, Any]) -> None:
    if is_openai_model(model) and "max_tokens" in body:
        raise RequestRejectedError(
            "Unsupported parameter: 'max_tokens' is not supported with this model. "
            "Use 'max_completion_tokens' instead.",
            "max_tokens",
        )
    if not is_openai_model(model) and "max_completion_tokens" in body:
        # The servers the client sends max_tokens to (Ollama, llama.cpp, vLLM…) know only that.
        raise RequestRejectedError("Unrecognized request argument: max_completion_tokens")


def check_strict_schema(schema: Any, name: str) -> None:
    """Raise RequestRejectedError unless `schema` follows strict mode's rules."""
    if not isinstance(schema, dict) or schema.get("type") != "object" or "anyOf" in schema:
        raise RequestRejectedError(
            f"Invalid schema for response_format '{name}': schema must be a JSON Schema of "
            "'type: \"object\"', got something else.",
            "response_format",
        )
    counted = [0]
    _walk(schema, (), name, counted, 0)
    for key in ("$defs", "definitions"):
        for def_name, sub in (schema.get(key) or {}).items():
            _walk(sub, (key, def_name), name, counted, 1)


def _fail(name: str, where: tuple[str, ...], what: str) -> RequestRejectedError:
    return RequestRejectedError(
        f"Invalid schema for response_format '{name}': In context={where!r}, {what}",
        "response_format",
    )


def _walk(node: Any, where: tuple[str, ...], name: str, counted: list[int], depth: int) -> None:
    if not isinstance(node, dict):
        raise _fail(name, where, "schema must be an object.")
    if depth > MAX_NESTING:
        raise _fail(name, where, f"schema nesting exceeds {MAX_NESTING} levels.")
    for key in node:
        if key not in _SUPPORTED:
            raise _fail(name, where, f"'{key}' is not permitted.")
    if "$ref" in node and len(set(node) - {"$ref", "description"}) > 0:
        raise _fail(name, where, "$ref cannot have keywords {'" + "', '".join(sorted(node)) + "'}.")
    if node.get("type") == "object" or "properties" in node:
        properties = node.get("properties") or {}
        if node.get("additionalProperties") is not False:
            raise _fail(name, where, "'additionalProperties' is required to be supplied and to be false.")  # fmt: skip
        missing = [p for p in properties if p not in (node.get("required") or [])]
        if missing or set(node.get("required") or []) - set(properties):
            raise _fail(
                name,
                where,
                "'required' is required to be supplied and to be an array including every key "
                f"in properties. Missing '{(missing or ['?'])[0]}'.",
            )
        counted[0] += len(properties)
        if counted[0] > MAX_PROPERTIES:
            raise _fail(name, where, f"more than {MAX_PROPERTIES} properties in total.")
        for prop, sub in properties.items():
            _walk(sub, (*where, "properties", prop), name, counted, depth + 1)
    if "items" in node:
        _walk(node["items"], (*where, "items"), name, counted, depth + 1)
    for i, sub in enumerate(node.get("anyOf") or []):
        _walk(sub, (*where, "anyOf", str(i)), name, counted, depth + 1)
