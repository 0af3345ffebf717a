"""A fake web on loopback for fetch tests: pages, redirects, hostile bodies, a hit log.

Also the two seams the fetcher exposes: a scripted DNS resolver that records every lookup,
and an httpx transport that routes made-up public addresses to this server (recording which
address each request dialled), so "a public host" can be served from 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self, cast

import httpx

HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Hit:
    """One request the fake web answered."""

    path: str
    host: str  # the Host header
    headers: dict[str, str]


@dataclass
class Route:
    """What one path answers."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drip: tuple[bytes, float, int] | None = None  # (chunk, seconds between, count; -1 = forever)
    etag: str | None = None  # feeds: answer 304 to a request whose If-None-Match matches it


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        web = cast("_Server", self.server).web
        path = self.path.split("?", 1)[0]
        web.record(Hit(self.path, self.headers.get("Host", ""), dict(self.headers.items())))
        route = web.routes.get(path) or web.routes.get(self.path)
        if route is None and web.generate is not None:  # pages made on demand (the soak test)
            route = web.generate(self.path)
        if route is None:
            route = Route(
                404, b"<html><body><h1>Not found</h1></body></html>", {"Content-Type": HTML}
            )
        # --- conditional GET (feeds): an unchanged resource answers 304 with no body ---
        if route.etag is not None and self.headers.get("If-None-Match") == route.etag:
            route = Route(304, b"", {"ETag": route.etag})
        self.send_response(route.status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.drip is None:
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)
            return
        self.send_header("Connection", "close")
        self.end_headers()
        chunk, every, count = route.drip
        sent = 0
        with contextlib.suppress(OSError):
            while (count < 0 or sent < count) and not web.stopping.is_set():
                self.wfile.write(chunk)
                self.wfile.flush()
                sent += 1
                if every:
                    web.stopping.wait(every)
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Log nothing."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, web: FakeWeb) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.web = web

    def handle_error(self, request: object, client_address: object) -> None:
        """A client hanging up on a dripping body is expected."""


class FakeWeb:
    """The server; ``add``/``redirect``/``drip`` set routes, ``hits`` is the log."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.tls = tls  # serve HTTPS with this server context
        self.routes: dict[str, Route] = {}
        # Paths no route serves may be answered by this (path with query → Route or None).
        self.generate: Callable[[str], Route | None] | None = None
        self.hits: list[Hit] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Self:
        self._server = _Server(self)
        if self.tls is not None:
            self._server.socket = self.tls.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    def url(self, path: str = "/") -> str:
        """Return the loopback URL of a path (only fetchable with private networks allowed)."""
        return f"http://127.0.0.1:{self.port}{path}"

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def paths(self) -> list[str]:
        """Return the paths requested so far."""
        with self._lock:
            return [h.path for h in self.hits]

    # --- routes ---------------------------------------------------------------------------------
    def add(
        self,
        path: str,
        body: bytes | str,
        content_type: str | None = HTML,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        etag: str | None = None,
    ) -> None:
        """Serve a body at a path (with `etag`, a matching If-None-Match gets a 304)."""
        data = body.encode() if isinstance(body, str) else body
        all_headers = ({"Content-Type": content_type} if content_type else {}) | (headers or {})
        all_headers |= {"ETag": etag} if etag else {}
        self.routes[path] = Route(status, data, all_headers, etag=etag)

    def redirect(self, path: str, location: str, status: int = 302, **headers: str) -> None:
        """Redirect a path to a location (absolute or relative)."""
        self.routes[path] = Route(status, b"", {"Location": location} | headers)

    def drip(self, path: str, chunk: bytes, every: float, count: int = -1) -> None:
        """Send a body in chunks with a pause between them; count=-1 never ends."""
        self.routes[path] = Route(200, b"", {"Content-Type": HTML}, (chunk, every, count))

    def gzip_bomb(self, path: str, inflated: int) -> int:
        """Serve a small gzip body that inflates to `inflated` bytes; return its real size."""
        body = gzip.compress(b"<p>" + b"A" * inflated, compresslevel=9)
        self.add(path, body, HTML, headers={"Content-Encoding": "gzip"})
        return len(body)


class FakeResolver:
    """DNS as a script: each name answers from its list of answers, one per lookup."""

    def __init__(self, answers: dict[str, list[list[str]]] | None = None) -> None:
        self.answers = answers or {}
        self.lookups: list[str] = []

    def set(self, host: str, *answers: list[str]) -> None:
        """Script the successive answers for a host (the last one repeats)."""
        self.answers[host] = list(answers)

    async def __call__(self, host: str, port: int) -> list[str]:  # noqa: ARG002 - DNS ignores it
        self.lookups.append(host)
        script = self.answers.get(host)
        if not script:
            return []  # NXDOMAIN
        return script.pop(0) if len(script) > 1 else script[0]


class RoutingTransport(httpx.AsyncBaseTransport):
    """Send requests for made-up public addresses to the fake web; record what was dialled."""

    def __init__(self, web: FakeWeb, public: tuple[str, ...] = ("93.184.216.34", "2606:2800::1")):
        self._inner = httpx.AsyncHTTPTransport(retries=0, trust_env=False)
        self._web = web
        self._public = set(public)
        self.dialled: list[str] = []
        self.sni: list[str | None] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        self.dialled.append(host)
        self.sni.append(request.extensions.get("sni_hostname"))
        if host in self._public:
            request.url = request.url.copy_with(
                scheme="http", host="127.0.0.1", port=self._web.port
            )
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def free_port_refusing() -> int:
    """Return a loopback port nothing listens on (connections to it are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(predicate: Any, timeout: float = 5.0) -> None:
    """Wait for a condition in a server thread (never a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.005)
