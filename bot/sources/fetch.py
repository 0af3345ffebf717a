"""The SSRF-safe fetcher: resolve once, check, connect to that very address, cap everything.

Each hop: the URL is checked (guard.py), the host resolved once through an injectable resolver,
every address checked, and the request sent to the checked address itself, with the host name
in the Host header and in TLS SNI, so the certificate is still verified against the name and
a second DNS answer (rebinding) never matters. A fresh connection pool per hop keeps one
host's TLS connection from serving another. No proxy from the environment (it would connect
elsewhere), no cookies across hosts, at most five redirects.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from bot.errors import FetchFailedError
from bot.sources.guard import IPAddress, Target, check_address, check_url
from bot.sources.response_body import _content_type, _Decoder, _sniff, _status_reason, _too_large
from bot.sources.urls import host_label

log = logging.getLogger(__name__)

Resolver = Callable[[str, int], Awaitable[list[str]]]
MAX_REDIRECTS = 5
USER_AGENT = "Mozilla/5.0 (compatible; briefbot/0.1; +https://github.com/briefbot)"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


async def system_resolver(host: str, port: int) -> list[str]:
    """Resolve a host name to its addresses with the system resolver."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return []
    return [str(info[4][0]) for info in infos]


@dataclass(frozen=True)
class Limits:
    """Caps on one fetch: body bytes (after decompression) and total seconds."""

    max_bytes: int = 5_000_000
    timeout_s: float = 20.0


@dataclass(frozen=True)
class Fetched:
    """A fetched body and what the server said about it."""

    url: str  # after redirects
    kind: str  # "html", "text" or "pdf"
    charset: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False  # a 304 to a conditional request: nothing changed, no body


@dataclass(frozen=True)
class Validators:
    """What a previous answer said about its version, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None


def _ssl_context() -> ssl.SSLContext:
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


class Fetcher:
    """Fetch public web pages, and nothing else."""

    def __init__(
        self,
        limits: Limits | None = None,
        *,
        allow_private: bool = False,
        resolver: Resolver = system_resolver,
        transport: httpx.AsyncBaseTransport | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.limits = limits or Limits()
        self._allow_private = allow_private
        self._resolver = resolver
        self._transport = transport  # injected in tests; otherwise one per hop
        self._ssl = ssl_context  # default: certifi's CAs, hostname checked

    async def fetch(
        self, url: str, *, validators: Validators | None = None, feeds: bool = False
    ) -> Fetched:
        """Fetch a URL, following checked redirects; raise a SourceError saying why not.

        With `validators`, ask conditionally: an unchanged resource answers 304 with no body.
        With `feeds`, RSS/Atom/XML are accepted too (as kind "feed").
        """
        try:
            async with asyncio.timeout(self.limits.timeout_s):
                return await self._follow(url, validators or Validators(), feeds=feeds)
        except TimeoutError:
            raise FetchFailedError(
                f"The page took too long to load (over {self.limits.timeout_s:g} s)."
            ) from None
        except httpx.InvalidURL:
            raise FetchFailedError("That link is not a valid web address.") from None
        except httpx.TransportError as exc:
            # The host only: a shared link's path and query may carry the user's own tokens.
            log.info("fetch from %s failed: %r", host_label(url), exc)
            if "CERTIFICATE_VERIFY_FAILED" in str(exc):
                raise FetchFailedError("That site's security certificate is not valid.") from None
            raise FetchFailedError("I couldn't connect to that site.") from None

    async def _follow(self, url: str, validators: Validators, *, feeds: bool) -> Fetched:
        cookies: dict[str, dict[str, str]] = {}  # per host: never sent to another one
        for _hop in range(MAX_REDIRECTS + 1):
            target = check_url(url, allow_private=self._allow_private)
            address = target.address or await self._resolve(target)
            async with self._opened() as transport:
                request = self._request(target, address, cookies.get(target.host, {}))
                _conditional(request, validators, feeds=feeds)
                response = await transport.handle_async_request(request)
                try:
                    jar = cookies.setdefault(target.host, {})
                    for header in response.headers.get_list("set-cookie"):
                        name, _, value = header.partition(";")[0].partition("=")
                        if name.strip():
                            jar[name.strip()] = value.strip()
                    location = response.headers.get("location")
                    if response.status_code in _REDIRECTS and location:
                        url = urljoin(url, location.strip())
                        continue
                    conditional = bool(validators.etag or validators.last_modified)
                    return await self._read(url, response, feeds=feeds, conditional=conditional)
                finally:
                    await response.aclose()
        raise FetchFailedError(f"That link redirects more than {MAX_REDIRECTS} times.")

    async def _resolve(self, target: Target) -> IPAddress:
        answers = await self._resolver(target.host, target.port)
        addresses = []
        for answer in answers:
            with contextlib.suppress(ValueError):
                addresses.append(ipaddress.ip_address(answer.split("%", 1)[0]))
        if not addresses:
            raise FetchFailedError(f"I couldn't find the site {target.host}.")
        for address in addresses:  # one private answer is enough to refuse the name
            check_address(address, allow_private=self._allow_private)
        return addresses[0]

    @contextlib.asynccontextmanager
    async def _opened(self) -> AsyncIterator[httpx.AsyncBaseTransport]:
        if self._transport is not None:
            yield self._transport
            return
        if self._ssl is None:
            self._ssl = _ssl_context()
        transport = httpx.AsyncHTTPTransport(verify=self._ssl, trust_env=False, retries=0)
        try:
            yield transport
        finally:
            await transport.aclose()

    def _request(self, target: Target, address: IPAddress, jar: dict[str, str]) -> httpx.Request:
        shown = f"[{address}]" if address.version == 6 else str(address)  # noqa: PLR2004
        default = {"http": 80, "https": 443}[target.scheme]
        host = f"[{target.host}]" if ":" in target.host else target.host
        headers = {
            "Host": host if target.port == default else f"{host}:{target.port}",
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,application/pdf;q=0.8",
            "Accept-Encoding": "gzip, deflate",  # decoded here, under the size cap
            "Accept-Language": "en;q=0.9, *;q=0.5",
        }
        if jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        timeout = min(10.0, self.limits.timeout_s)
        extensions: dict[str, object] = {
            "timeout": {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}
        }
        if target.scheme == "https" and target.address is None:
            extensions["sni_hostname"] = target.host  # verify the certificate for the name
        return httpx.Request(
            "GET",
            f"{target.scheme}://{shown}:{target.port}{target.path}",
            headers=headers,
            extensions=extensions,
        )

    async def _read(
        self, url: str, response: httpx.Response, *, feeds: bool, conditional: bool = False
    ) -> Fetched:
        status = response.status_code
        etag = response.headers.get("etag")
        last_modified = response.headers.get("last-modified")
        if status == 304 and conditional:  # noqa: PLR2004
            return Fetched(url, "feed", None, b"", etag, last_modified, not_modified=True)
        if status != 200:  # noqa: PLR2004
            raise FetchFailedError(_status_reason(status))
        kind, charset = _content_type(response.headers.get("content-type"), feeds=feeds)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.limits.max_bytes:
            raise _too_large(self.limits.max_bytes)
        decoder = _Decoder(response.headers.get("content-encoding"), self.limits.max_bytes)
        raw = 0
        async for chunk in response.aiter_raw():
            raw += len(chunk)
            if raw > self.limits.max_bytes:
                raise _too_large(self.limits.max_bytes)
            decoder.feed(chunk)
        body = decoder.finish()
        if kind is None:
            kind = _sniff(body, feeds=feeds)
        return Fetched(url, kind, charset, body, etag, last_modified)


def _conditional(request: httpx.Request, validators: Validators, *, feeds: bool) -> None:
    if feeds:
        request.headers["Accept"] = (
            "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
            "text/xml;q=0.9, text/html;q=0.8"
        )
    if validators.etag:
        request.headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        request.headers["If-Modified-Since"] = validators.last_modified
