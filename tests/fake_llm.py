"""A fake OpenAI-compatible Chat Completions server on loopback, for the real openai client.

Scripted replies, recorded requests and faults on demand. It runs in a thread so that a slow
reply holds a server thread, not the test's event loop. Every completion request is first held
to OpenAI's rules (tests/openai_rules.py): what OpenAI refuses, the fake answers 400 and keeps
in `rejected`, before any scripted reply is spent.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

from tests.openai_rules import RequestRejectedError, check_request


@dataclass
class Reply:
    """One scripted answer: a completion, or an HTTP error."""

    content: str | dict[str, Any] | None = None
    finish_reason: str = "stop"
    refusal: str | None = None
    status: int = 200
    error: str = "error"
    error_code: str | None = None
    retry_after: str | None = None
    delay_s: float = 0.0
    prompt_tokens: int = 100
    completion_tokens: int = 50
    cached_tokens: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    # Fault: hang up with a TCP reset instead of answering.
    reset: bool = False


@dataclass
class Request:
    """One request the server received."""

    path: str
    body: dict[str, Any]
    headers: dict[str, str]
    at: float
    answered_at: float | None = None  # when the answer was written (benchmarks: the LLM's time)

    @property
    def system(self) -> str:
        """Return the system message."""
        return str(self.body["messages"][0]["content"])

    @property
    def user(self) -> str:
        """Return the first user message."""
        return str(self.body["messages"][1]["content"])


Responder = Callable[[Request], Reply]


class FakeLLM:
    """The server: `script(...)` queues replies; `responder` answers when the queue is empty."""

    def __init__(self, responder: Responder | None = None, model: str = "fake-model") -> None:
        self.model = model
        self.responder = responder
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self.requests: list[Request] = []
        self.rejected: list[str] = []  # why each request OpenAI would refuse was refused
        self.in_flight = 0
        self.max_in_flight = 0
        # GET /v1/models (what `briefbot check` calls): the ids offered, or an HTTP error.
        self.models: list[str] = [model]
        self.models_status = 200
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        """Return the OpenAI-compatible base URL (what OPENAI_BASE_URL is set to)."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    @property
    def calls(self) -> int:
        """Count chat completion requests received."""
        with self._lock:
            return sum(r.path.endswith("/chat/completions") for r in self.requests)

    def script(self, *replies: Reply) -> None:
        """Queue replies, answered in order before the responder is consulted."""
        with self._lock:
            self._queue.extend(replies)

    def start(self) -> Self:
        """Start serving."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _next_reply(self, request: Request) -> Reply:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        if self.responder is None:
            return Reply(status=500, error="no scripted reply")
        return self.responder(request)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # TCP_NODELAY: keep-alive answers would otherwise wait ~40 ms for delayed ACKs.
            disable_nagle_algorithm = True

            def log_message(self, *_: object) -> None:
                pass

            # --- GET /v1/models, as OpenAI answers it (added for `briefbot check`) ---
            def do_GET(self) -> None:
                with fake._lock:
                    fake.requests.append(
                        Request(self.path, {}, dict(self.headers.items()), time.monotonic())
                    )
                payload: dict[str, Any]
                if not self.path.rstrip("/").endswith("/models"):
                    status, payload = 404, {"error": {"message": "not found", "type": "fake"}}
                elif fake.models_status != 200:
                    status = fake.models_status
                    payload = {"error": {"message": "models failed", "type": "fake_error"}}
                else:
                    data = [{"id": m, "object": "model", "created": 0, "owned_by": "fake"}
                            for m in fake.models]  # fmt: skip
                    status, payload = 200, {"object": "list", "data": data}
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                request = Request(self.path, body, dict(self.headers.items()), time.monotonic())
                with fake._lock:
                    fake.requests.append(request)
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                try:
                    try:
                        if self.path.endswith("/chat/completions"):
                            check_request(body)
                    except RequestRejectedError as exc:
                        with fake._lock:
                            fake.rejected.append(str(exc))
                        reply = Reply(status=400, error=str(exc))
                        self._send(reply, body, "invalid_request_error")
                        return
                    reply = fake._next_reply(request)
                    if reply.delay_s:
                        time.sleep(reply.delay_s)
                    if reply.reset:
                        self._reset()
                        return
                    self._send(reply, body)
                    request.answered_at = time.monotonic()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and hung up; that is the point of some tests
                finally:
                    with fake._lock:
                        fake.in_flight -= 1

            def _reset(self) -> None:
                # SO_LINGER 0: close() sends RST, which the client sees as a connection reset.
                linger = struct.pack("ii", 1, 0)
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                self.close_connection = True
                self.connection.close()

            def _send(self, reply: Reply, body: dict[str, Any], kind: str = "fake_error") -> None:
                if reply.status != 200:
                    payload: dict[str, Any] = {
                        "error": {
                            "message": reply.error,
                            "type": kind,
                            "code": reply.error_code,
                        }
                    }
                else:
                    payload = _completion(reply, body.get("model", fake.model))
                data = json.dumps(payload).encode()
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                if reply.retry_after is not None:
                    self.send_header("retry-after", reply.retry_after)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler


def _completion(reply: Reply, model: str) -> dict[str, Any]:
    content = reply.content
    if isinstance(content, dict):
        content = json.dumps(content, ensure_ascii=False)
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": reply.refusal},
                "finish_reason": reply.finish_reason,
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": reply.prompt_tokens,
            "completion_tokens": reply.completion_tokens,
            "total_tokens": reply.prompt_tokens + reply.completion_tokens,
            "prompt_tokens_details": {"cached_tokens": reply.cached_tokens},
        },
    }
