"""A fake Telegram Bot API server on loopback for tests.

The real python-telegram-bot talks to it over HTTP (``ApplicationBuilder().base_url(...)``).
Standard library only: a ``ThreadingHTTPServer`` runs in a daemon thread, so a long-polling
``getUpdates`` blocks a server thread, never the test's event loop.

PTB 22 (``HTTPXRequest``) POSTs ``application/x-www-form-urlencoded`` bodies (multipart when
files are uploaded); string values are sent as-is and every other value JSON-encoded, so the
server JSON-decodes each value except for parameters that are always strings (``text``...).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import email.parser
import email.policy
import itertools
import json
import math
import re
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NoReturn, Self, TypeVar, cast
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.fake_bot_api import validation
from tests.fake_bot_api.errors import ApiError

JSON = dict[str, Any]
T = TypeVar("T")

DEFAULT_TOKEN = "123456:TEST-TOKEN"
MAX_TEXT_LENGTH = 4096
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_STRING_PARAMS = frozenset(
    {"text", "caption", "parse_mode", "url", "secret_token", "callback_query_id", "action",
     "language_code", "inline_message_id", "business_connection_id", "message_effect_id",
     "data", "description", "short_description", "name", "title", "query", "emoji",
     "question", "explanation", "address", "first_name", "last_name", "phone_number"}
)  # fmt: skip
_ACTIONS = frozenset(
    {"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
     "upload_document", "choose_sticker", "find_location", "record_video_note",
     "upload_video_note"}
)  # fmt: skip
_DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_MESSAGE_UPDATES = ("message", "edited_message", "channel_post", "edited_channel_post")
_PATH = re.compile(r"/bot([^/]*)/([^/]+)")
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?")
_BOT_COMMAND = re.compile(r"[a-z0-9_]{1,32}")

# --- HTML parse mode ----------------------------------------------------------------------------
_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "a": "text_link", "code": "code", "pre": "pre", "blockquote": "blockquote",
    "tg-spoiler": "spoiler", "span": "spoiler",
}  # fmt: skip
_CHAR_REF = re.compile(r"&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8})|(lt|gt|amp|quot));")
_NAMED_REFS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG = re.compile(r"<(/?)([^\s>]*)([^>]*)>")
_ATTR = re.compile(r"""([A-Za-z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+)))?""")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _decode_ref(match: re.Match[str]) -> str | None:
    dec, hexa, named = match.groups()
    if named:
        return _NAMED_REFS[named]
    code = int(dec) if dec else int(hexa, 16)
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else None


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[JSON]]:
    """Parse Bot API HTML like Telegram: return (visible text, entities with UTF-16 offsets).

    Raises ApiError(400, "Bad Request: can't parse entities: ...") on malformed markup. Telegram
    itself keeps a bare ``&`` literally; with ``strict_ampersand`` the fake rejects it because the
    Bot API docs require ``&amp;`` and a bare ``&`` usually means a missing ``html.escape``.
    """

    def fail(what: str, pos: int, suffix: str = "") -> NoReturn:
        offset = len(text[:pos].encode())
        raise ApiError(
            400, f"Bad Request: can't parse entities: {what} at byte offset {offset}{suffix}"
        )

    out: list[str] = []
    pos16 = 0
    stack: list[tuple[str, int, dict[str, str]]] = []
    entities: list[JSON] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "&":
            ref = _CHAR_REF.match(text, i)
            decoded = _decode_ref(ref) if ref else None
            if ref is None or decoded is None:
                if strict_ampersand:
                    fail('Unescaped "&"', i)
                decoded, end = "&", i + 1
            else:
                end = ref.end()
            out.append(decoded)
            pos16, i = pos16 + _utf16_len(decoded), end
        elif char == "<":
            tag = _TAG.match(text, i)
            if tag is None:
                fail("Unclosed end tag" if text.startswith("</", i) else "Unclosed start tag", i)
            closing, name, rest = tag.group(1) == "/", tag.group(2).lower(), tag.group(3)
            if closing:
                if not stack:
                    fail("Unexpected end tag", i)
                open_name, start, attrs = stack.pop()
                if name != open_name:
                    fail("Unmatched end tag", i, f', expected "</{open_name}>", found "</{name}>"')
                entity = _entity(open_name, attrs, start, pos16 - start, stack)
                if entity is not None:
                    entities.append(entity)
            else:
                if name not in _TAGS:
                    fail(f'Unsupported start tag "{name}"', i)
                attrs = {
                    key.lower(): _CHAR_REF.sub(lambda m: _decode_ref(m) or m.group(), a or b or c)
                    for key, a, b, c in _ATTR.findall(rest)
                }
                if name == "span" and attrs.get("class") != "tg-spoiler":
                    fail('Tag "span" must have class "tg-spoiler"', i)
                if (refused := _nesting_error(name, [open_[0] for open_ in stack])) is not None:
                    fail(refused, i)
                stack.append((name, pos16, attrs))
            i = tag.end()
        else:
            out.append(char)
            pos16, i = pos16 + _utf16_len(char), i + 1
    if stack:
        raise ApiError(
            400,
            "Bad Request: can't parse entities: "
            f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"',
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _entity(
    name: str, attrs: dict[str, str], offset: int, length: int, stack: list[Any]
) -> JSON | None:
    if name == "code" and stack and stack[-1][0] == "pre":
        language = attrs.get("class", "")
        if language.startswith("language-"):  # <pre><code class="language-x"> is one entity
            stack[-1][2][" language"] = language.removeprefix("language-")
            return None
    if length == 0 or (name == "a" and not attrs.get("href")):
        return None
    entity: JSON = {"type": _TAGS[name], "offset": offset, "length": length}
    if name == "a":
        entity["url"] = attrs["href"]
    elif name == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif name == "pre" and attrs.get(" language"):
        entity["language"] = attrs[" language"]
    return entity


# --- groups, channels and topics (issue 10): nesting rules, entity cap, service accounts ---
# Bot API "Formatting options": bold, italic, underline, strikethrough and spoiler may contain
# and be part of any entity except pre and code; blockquotes can't be nested; all other
# entities (code, pre, links...) can't contain each other. <pre><code class=...> is one entity.
_FREELY_NESTED = frozenset({"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span",
                            "tg-spoiler"})  # fmt: skip
_BLOCKQUOTE = "blockquote"
MAX_ENTITIES = 100  # Telegram formats the first 100 entities of a message, the rest is plain
GROUP_ANONYMOUS_BOT: JSON = {"id": 1087968824, "is_bot": True, "first_name": "Group",
                             "username": "GroupAnonymousBot"}  # fmt: skip
CHANNEL_BOT: JSON = {"id": 136817688, "is_bot": True, "first_name": "Channel",
                     "username": "Channel_Bot"}  # fmt: skip
TELEGRAM_SERVICE: JSON = {"id": 777000, "is_bot": False, "first_name": "Telegram"}
THREAD_NOT_FOUND = "Bad Request: message thread not found"


def _nesting_error(name: str, open_tags: list[str]) -> str | None:
    """Return why Telegram refuses to open tag ``name`` inside ``open_tags``, or None."""
    if not open_tags:
        return None
    inner = name in {"code", "pre"}
    for outer in open_tags:
        if outer == "pre" and name == "code":
            continue  # <pre><code class="language-x">: one entity with a language
        if outer in {"code", "pre"}:
            return f'Can\'t nest "{name}" inside "{outer}"'
        if inner and outer != "pre":
            return f'Can\'t nest "{name}" inside "{outer}"'
        if name == _BLOCKQUOTE and outer == _BLOCKQUOTE:
            return "Blockquote entities can't be nested"
        if name not in _FREELY_NESTED and outer not in _FREELY_NESTED and outer != _BLOCKQUOTE:
            return f'Can\'t nest "{name}" inside "{outer}"'
    return None


def utf16_entity(kind: str, text: str, part: str, **extra: Any) -> JSON:
    """Return an entity of ``kind`` covering ``part`` of ``text``, offsets in UTF-16 units."""
    start = text.index(part)
    return {"type": kind, "offset": _utf16_len(text[:start]), "length": _utf16_len(part)} | extra


# --- request decoding ---------------------------------------------------------------------------
@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the fake saw it; ``params`` values are JSON-decoded."""

    method: str
    params: JSON
    at: float  # time.monotonic() (or the injected clock) when the request arrived
    status: int
    result: Any  # the "result" of a successful answer (a JSON copy), else None


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(name)


def _decode_value(name: str, raw: str) -> Any:
    if name in _STRING_PARAMS:
        return raw
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except ValueError:
        return raw


def _parse_params(query: str, content_type: str, body: bytes) -> JSON:
    params: JSON = {k: _decode_value(k, v) for k, v in parse_qsl(query, keep_blank_values=True)}
    kind = content_type.split(";", maxsplit=1)[0].strip().lower()
    if kind == "application/json" and body:
        params.update(json.loads(body))
    elif kind == "multipart/form-data":
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        for part in cast("Any", message).iter_parts():
            name = str(part.get_param("name", header="content-disposition"))
            content = part.get_payload(decode=True) or b""
            if part.get_filename() is not None:
                params[name] = UploadedFile(part.get_filename(), content, part.get_content_type())
            else:
                params[name] = _decode_value(name, content.decode())
    elif body:
        params.update({k: _decode_value(k, v) for k, v in parse_qsl(body.decode(), True)})
    return params


def _chat_key(value: Any) -> int | str | None:
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    return cast("int | str | None", value)


def _opt(**fields: Any) -> JSON:
    return {key: value for key, value in fields.items() if value is not None}


def _user(user_id: int, first_name: str, username: str | None = None) -> JSON:
    return {"id": user_id, "is_bot": False, "first_name": first_name} | _opt(username=username)


def _ago(date: int | None, seconds: int = 3600) -> int:
    return date if date is not None else int(time.time()) - seconds


# --- HTTP plumbing ------------------------------------------------------------------------------
class _Handler(BaseHTTPRequestHandler):
    # Like Telegram, keep idle keep-alive connections open for long; stop() closes them.
    # HTTP/1.1: BaseHTTPRequestHandler speaks HTTP/1.0 unless told, hanging up after every
    # answer, so each request paid for a new TCP connection and a new server thread.
    protocol_version = "HTTP/1.1"
    timeout = 300
    # TCP_NODELAY: with keep-alive, Nagle + delayed ACK add ~40 ms to answers on loopback,
    # which would hide the bot's own latency in the benchmarks.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        fake = cast("_Server", self.server).fake
        if len(body) < length:
            # The client hung up mid-request (a cancelled "typing…"): Telegram never gets a
            # whole request, so it neither answers nor acts on one. Nor does the fake.
            self.close_connection = True
            return
        if url.path.startswith("/file/"):  # file downloads (see the files block below)
            self._send_file(*fake._file_download(url.path))
            return
        status, data = fake._handle(url.path, url.query, self.headers.get("Content-Type", ""), body)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_file(self, status: int, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Log nothing."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # and block_on_close (the default): server_close() joins handlers

    request_queue_size = 1024  # bursts of new connections must not be refused

    def __init__(self, fake: FakeTelegram) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake
        self.connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Hang up on every open connection so handler threads end now, not at their timeout."""
        with self._connections_lock:
            for conn in list(self.connections):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: object, client_address: object) -> None:  # noqa: ARG002
        error = sys.exc_info()[1]
        if error is not None and not isinstance(error, ConnectionError | TimeoutError):
            self.fake.errors.append(error)  # a client hanging up is not an error


@dataclass
class _Fault:
    method: str
    status: int
    retry_after: int
    description: str | None
    remaining: int
    chat_id: int | str | None
    skip: int = 0
    migrate_to: int | None = None

    def error(self) -> ApiError:
        if self.migrate_to is not None:
            text = "Bad Request: group chat was upgraded to a supergroup chat"
            return ApiError(400, text, migrate_to=self.migrate_to)
        if self.status == 429:
            retry = f"Too Many Requests: retry after {self.retry_after}"
            return ApiError(429, self.description or retry, self.retry_after)
        if self.status == 400:
            text = self.description or "fault injected"
            return ApiError(400, text if text.startswith("Bad Request") else f"Bad Request: {text}")
        if self.status == 403:
            return ApiError(403, self.description or "Forbidden: bot was blocked by the user")
        return ApiError(self.status, self.description or f"Error {self.status}")


class FakeTelegram:
    """The fake server; see the module docstring. Start with ``start()`` or ``with``."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        rate_limits: bool = False,
        global_per_second: float = 30,
        group_per_minute: float = 20,
        per_chat_per_second: float | None = None,
        rate_limited_methods: Iterable[str] = (
            "sendMessage", "editMessageText", "editMessageReplyMarkup",
        ),
        strict_ampersand: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:  # fmt: skip
        self.token = token
        self.bot_user: JSON = {
            "id": int(bot_id) if (bot_id := token.partition(":")[0]).isdigit() else 123456,
            "is_bot": True, "first_name": "BriefBot", "username": "briefbot_test_bot",
        }  # fmt: skip
        self.rate_limits, self.global_per_second = rate_limits, global_per_second
        self.group_per_minute, self.per_chat_per_second = group_per_minute, per_chat_per_second
        self.rate_limited_methods = frozenset(m.lower() for m in rate_limited_methods)
        self.strict_ampersand, self.clock = strict_ampersand, clock
        self.rate_limited = 0  # 429s caused by the rate checks (not by fail_next)
        self.errors: list[BaseException] = []  # bugs in the fake itself; should stay empty
        self.webhook_url = ""
        self.pollers = 0  # getUpdates calls currently waiting
        self.handed_out: dict[int, float] = {}  # update_id -> time.monotonic() first handed out
        self._cond = threading.Condition(threading.RLock())
        self._stopping = threading.Event()
        self._requests: list[RecordedRequest] = []
        self._updates: list[JSON] = []
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._open_queries: set[str] = set()
        self._allowed_updates: set[str] | None = None
        self._last_message_id: dict[int | str, int] = {}
        self._messages: dict[tuple[int | str, int], JSON] = {}
        self._chats: dict[int | str, JSON] = {}
        self._known: set[int | str] = set()  # chats met before this fake started (add_chat)
        self._faults: list[_Fault] = []
        self._blocked: set[int | str] = set()
        self._latency: dict[str, float] = {}
        self._commands: dict[tuple[str, str], list[JSON]] = {}
        self._topics: dict[int | str, set[int]] = {}  # forum chat -> its open topics
        self._media_groups = itertools.count(13_000_000_000)
        self.entities_dropped = 0  # entities beyond MAX_ENTITIES that lost their formatting
        self._global_hits: deque[float] = deque()
        self._chat_hits: dict[int | str | None, deque[float]] = {}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._files: dict[str, _StoredFile] = {}
        self._photo_ids: set[str] = set()  # photos uploaded so far: sendPhoto may reuse them
        self._file_ids = itertools.count(1)
        handlers: dict[str, Callable[[JSON], Any]] = {
            "getMe": lambda _: {**self.bot_user, "can_join_groups": True},
            "deleteWebhook": self._delete_webhook, "setWebhook": self._set_webhook,
            "getWebhookInfo": lambda _: {"url": self.webhook_url, "has_custom_certificate": False,
                                         "pending_update_count": len(self._updates)},
            "getUpdates": self._get_updates, "sendMessage": self._send_message,
            "sendPhoto": lambda p: self._send_media("photo", p),
            "sendDocument": self._send_document,
            "sendChatAction": self._send_chat_action, "editMessageText": self._edit_text,
            "editMessageReplyMarkup": self._edit_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands, "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getFile": self._get_file, "getChatMember": self._get_chat_member,
        }  # fmt: skip
        self.chat_admins: dict[int | str, set[int]] = {}  # chat -> its admins (getChatMember)
        self._methods = {name.lower(): (name, fn) for name, fn in handlers.items()}

    # --- lifecycle ------------------------------------------------------------------------------
    def start(self) -> Self:
        """Bind 127.0.0.1 on an ephemeral port and serve in a daemon thread."""
        self._stopping.clear()
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Wake waiting long polls, stop serving and join every server thread."""
        if self._server is None or self._thread is None:
            return
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
        if exc_info[0] is None:
            self.check_no_errors()

    def check_no_errors(self) -> None:
        """Fail when the fake itself raised (a bug in it would otherwise be a quiet HTTP 500)."""
        if self.errors:
            errors, self.errors = self.errors, []
            raise AssertionError(f"the fake Bot API failed inside: {errors!r}") from errors[0]

    @property
    def port(self) -> int:
        """The bound port (only while running)."""
        if self._server is None:
            raise RuntimeError("FakeTelegram is not running; call start() first")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """Pass to ``ApplicationBuilder().base_url()``; PTB appends the token."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Pass to ``ApplicationBuilder().base_file_url()``."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # --- recorded state -------------------------------------------------------------------------
    def requests(self, method: str | None = None) -> list[RecordedRequest]:
        """Return recorded requests, optionally only those of one method (case-insensitive)."""
        with self._cond:
            return [
                r for r in self._requests if method is None or r.method.lower() == method.lower()
            ]

    def _ok_params(self, method: str, chat_id: int | str | None) -> list[JSON]:
        return [
            r.params
            for r in self.requests(method)
            if r.status == 200
            and (chat_id is None or _chat_key(r.params.get("chat_id")) == chat_id)
        ]

    def sent_messages(self, chat_id: int | str | None = None) -> list[JSON]:
        """Return the params of successful sendMessage calls (optionally to one chat)."""
        return self._ok_params("sendMessage", chat_id)

    def sent_photos(self, chat_id: int | str | None = None) -> list[JSON]:
        """Return the params of successful sendPhoto calls; an upload's bytes: ``photo_bytes``."""
        return self._ok_params("sendPhoto", chat_id)

    @staticmethod
    def photo_bytes(params: JSON) -> bytes:
        """Return the bytes of the photo a sendPhoto call uploaded."""
        photo = params["photo"]
        assert isinstance(photo, UploadedFile), "the photo was sent by file id, not uploaded"
        return photo.content

    def chat_actions(self, chat_id: int | str | None = None) -> list[str]:
        """Return the actions ("typing", ...) of successful sendChatAction calls."""
        return [p["action"] for p in self._ok_params("sendChatAction", chat_id)]

    def bot_messages(self, chat_id: int | str) -> list[JSON]:
        """Return the current state (after edits) of the messages the bot sent to a chat."""
        with self._cond:
            return [
                copy.deepcopy(msg)
                for (chat, _), msg in sorted(self._messages.items(), key=lambda kv: kv[0][1])
                if chat == chat_id and msg.get("from", {}).get("id") == self.bot_user["id"]
            ]

    @property
    def pending_updates(self) -> int:
        """Updates queued and not yet confirmed by a getUpdates offset."""
        with self._cond:
            return len(self._updates)

    def clear_requests(self) -> None:
        """Forget recorded requests (state such as messages and updates is kept)."""
        with self._cond:
            self._requests.clear()

    async def wait_for(
        self,
        predicate: Callable[[], T],
        timeout: float = 5.0,
        *,
        message: str = "",
    ) -> T:
        """Poll ``predicate`` until it returns something truthy and return that."""
        deadline = time.monotonic() + timeout
        while not (value := predicate()):
            if time.monotonic() > deadline:
                raise AssertionError(self._timeout_message(predicate, timeout, message))
            await asyncio.sleep(0.005)
        return value

    def wait_for_sync(
        self, predicate: Callable[[], T], timeout: float = 5.0, *, message: str = ""
    ) -> T:
        """Blocking version of ``wait_for``."""
        deadline = time.monotonic() + timeout
        while not (value := predicate()):
            if time.monotonic() > deadline:
                raise AssertionError(self._timeout_message(predicate, timeout, message))
            time.sleep(0.005)
        return value

    def _timeout_message(self, predicate: Callable[[], Any], timeout: float, message: str) -> str:
        recent = ", ".join(f"{r.method}->{r.status}" for r in self.requests()[-12:])
        what = message or getattr(predicate, "__qualname__", repr(predicate))
        return f"not satisfied within {timeout}s: {what}; last requests: [{recent}]"

    # --- faults ---------------------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 1,
        description: str | None = None,
        count: int = 1,
        chat_id: int | str | None = None,
        skip: int = 0,
        migrate_to: int | None = None,
    ) -> None:
        """Fail ``count`` calls of ``method`` (to ``chat_id``, if given) after ``skip`` pass.

        ``migrate_to`` answers like Telegram for a group upgraded to that supergroup id.
        """
        with self._cond:
            self._faults.append(
                _Fault(
                    method.lower(),
                    status,
                    retry_after,
                    description,
                    count,
                    chat_id,
                    skip,
                    migrate_to,
                )
            )

    def block_chat(self, chat_id: int | str) -> None:
        """Make every call for this chat fail with 403 (blocked by the user / kicked)."""
        with self._cond:
            self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: int | str) -> None:
        """Undo ``block_chat``."""
        with self._cond:
            self._blocked.discard(chat_id)

    def set_latency(self, method: str, seconds: float) -> None:
        """Delay answers to ``method`` ("*" for every method); interrupted by ``stop()``."""
        with self._cond:
            self._latency[method.lower()] = seconds

    # --- update builders ------------------------------------------------------------------------
    def add_chat(self, *chat_ids: int) -> None:
        """Let the bot write to chats it has heard nothing from here (it met them before)."""
        with self._cond:
            self._known.update(chat_ids)

    def push_update(self, update: JSON) -> JSON:
        """Queue an update for getUpdates (assigning ``update_id`` if missing); return it."""
        with self._cond:
            queued = copy.deepcopy(update)
            if "update_id" not in queued:
                queued["update_id"] = next(self._update_ids)
            for key in _MESSAGE_UPDATES:
                if isinstance(msg := queued.get(key), dict) and "chat" in msg:
                    chat = cast("int | str", _chat_key(msg["chat"]["id"]))
                    self._chats.setdefault(chat, msg["chat"])
                    self._messages[chat, msg["message_id"]] = copy.deepcopy(msg)
                    self._learn_topic(chat, msg)
                    last = self._last_message_id.get(chat, 0)
                    self._last_message_id[chat] = max(last, msg["message_id"])
            self._updates.append(queued)
            self._cond.notify_all()
            return copy.deepcopy(queued)

    def user_message(
        self,
        chat_id: int,
        user_id: int,
        text: str | None = None,
        *,
        chat_type: str | None = None,
        reply_to_message_id: int | None = None,
        forward_origin: JSON | None = None,
        caption: str | None = None,
        entities: list[JSON] | None = None,
        first_name: str = "Alice",
        username: str | None = None,
        chat_title: str = "Test Group",
    ) -> JSON:
        """Push a message update from a user and return it.

        Texts starting with "/" get a ``bot_command`` entity unless ``entities`` is given. A
        ``caption`` makes it a photo message (``entities`` then become ``caption_entities``).
        """
        if (text is None) == (caption is None):
            raise ValueError("give exactly one of text and caption")
        with self._cond:
            user = _user(user_id, first_name, username)
            if chat_id not in self._chats or chat_type is not None:
                self._chats[chat_id] = self._make_chat(chat_id, chat_type, user, chat_title)
            fields: JSON = {}
            if text is not None:
                fields["text"] = text
                command = _COMMAND.match(text)
                if entities is None and command:
                    length = _utf16_len(command.group())
                    entities = [{"type": "bot_command", "offset": 0, "length": length}]
                if entities:
                    fields["entities"] = entities
            else:
                fields["caption"] = caption
                fields["photo"] = [
                    {"file_id": f"photo{user_id}", "file_unique_id": f"u{user_id}",
                     "width": 320, "height": 240, "file_size": 1024}
                ]  # fmt: skip
                if entities:
                    fields["caption_entities"] = entities
            if forward_origin is not None:
                fields["forward_origin"] = forward_origin
            if reply_to_message_id is not None:
                fields["reply_to_message"] = self._reply_copy(chat_id, reply_to_message_id)
            return self.push_update({"message": self._new_message(chat_id, user, fields)})

    def command(self, chat_id: int, user_id: int, command: str, args: str = "", **kw: Any) -> JSON:
        """Push "/command args" (with its bot_command entity) and return the update."""
        text = "/" + command.lstrip("/") + (f" {args}" if args else "")
        return self.user_message(chat_id, user_id, text, **kw)

    def callback_query(
        self,
        chat_id: int,
        user_id: int,
        message_id: int,
        data: str,
        *,
        first_name: str = "Alice",
        username: str | None = None,
    ) -> JSON:
        """Push a button press on a message the bot sent earlier and return the update."""
        with self._cond:
            msg = self._messages.get((chat_id, message_id))
            if msg is None or msg.get("from", {}).get("id") != self.bot_user["id"]:
                raise ValueError(f"the bot sent no message {message_id} to chat {chat_id}")
            query_id = str(next(self._callback_ids))
            self._open_queries.add(query_id)
            query = {
                "id": query_id, "from": _user(user_id, first_name, username),
                "message": copy.deepcopy(msg), "chat_instance": f"ci{chat_id}", "data": data,
            }  # fmt: skip
            return self.push_update({"callback_query": query})

    @staticmethod
    def origin_channel(
        chat_id: int = -1001234567890,
        title: str = "News Channel",
        *,
        username: str | None = None,
        message_id: int = 1,
        date: int | None = None,
        author_signature: str | None = None,
    ) -> JSON:
        """Return a MessageOriginChannel dict (a post forwarded from a channel)."""
        chat = {"id": chat_id, "type": "channel", "title": title} | _opt(username=username)
        origin = {"type": "channel", "chat": chat, "message_id": message_id, "date": _ago(date)}
        return origin | _opt(author_signature=author_signature)

    @staticmethod
    def origin_user(
        user_id: int, first_name: str, *, username: str | None = None, date: int | None = None
    ) -> JSON:
        """Return a MessageOriginUser dict."""
        return {
            "type": "user",
            "sender_user": _user(user_id, first_name, username),
            "date": _ago(date),
        }

    @staticmethod
    def origin_hidden_user(sender_user_name: str, *, date: int | None = None) -> JSON:
        """Return a MessageOriginHiddenUser dict (user hides their account in forwards)."""
        return {"type": "hidden_user", "sender_user_name": sender_user_name, "date": _ago(date)}

    @staticmethod
    def origin_chat(
        chat_id: int, title: str, *, chat_type: str = "supergroup", date: int | None = None
    ) -> JSON:
        """Return a MessageOriginChat dict (a message sent on behalf of a chat)."""
        chat = {"id": chat_id, "type": chat_type, "title": title}
        return {"type": "chat", "sender_chat": chat, "date": _ago(date)}

    # --- groups, channels, topics and albums (issue 10) ------------------------------------------
    def create_topic(self, chat_id: int, name: str = "Topic") -> int:
        """Open a forum topic in a supergroup (made a forum) and return its message_thread_id."""
        with self._cond:
            chat = self._chats.setdefault(chat_id, self._make_chat(chat_id, "supergroup", None, ""))
            chat["is_forum"] = True
            created = {"forum_topic_created": {"name": name, "icon_color": 7322096}}
            thread = self._new_message(chat_id, _user(1, "Admin"), created)["message_id"]
            self._messages[chat_id, thread] |= {"message_thread_id": thread,
                                                "is_topic_message": True}  # fmt: skip
            self._topics.setdefault(chat_id, set()).add(thread)
            return int(thread)

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """Delete a forum topic: sends to it now fail with "message thread not found"."""
        with self._cond:
            self._topics.get(chat_id, set()).discard(thread_id)

    def message_in(
        self,
        chat_id: int,
        sender: JSON | None,
        text: str | None = None,
        *,
        caption: str | None = None,
        photo: bool = False,
        kind: str = "message",
        **fields: Any,
    ) -> JSON:
        """Push any message shape (``fields`` as Telegram names them) and return the update.

        ``sender`` None sends without ``from`` (a channel post). ``message_thread_id`` makes it
        a topic message; without ``reply_to_message`` it replies to the topic's first message,
        as Telegram does. ``caption`` (or ``photo``) makes it a photo; neither text nor
        photo makes a service message (``migrate_to_chat_id``...).
        """
        with self._cond:
            if chat_id not in self._chats:
                self._chats[chat_id] = self._make_chat(chat_id, None, sender, "Test Group")
            body: JSON = {k: v for k, v in fields.items() if v is not None}
            if text is not None:
                body["text"] = text
                if (command := _COMMAND.match(text)) and "entities" not in body:
                    length = _utf16_len(command.group())
                    body["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
            if caption is not None or photo:
                body |= {"caption": caption} if caption is not None else {}
                body["photo"] = [{"file_id": f"photo{next(self._media_groups)}",
                                  "file_unique_id": "p", "width": 320, "height": 240}]  # fmt: skip
            if isinstance(reply := body.pop("reply_to_message_id", None), int):
                body["reply_to_message"] = self._reply_copy(chat_id, reply)
            if (thread := body.get("message_thread_id")) is not None:
                body["is_topic_message"] = True
                body.setdefault("reply_to_message", self._reply_copy(chat_id, thread))
            msg = self._new_message(chat_id, sender or {}, body)
            if sender is None:
                del msg["from"]
                del self._messages[chat_id, msg["message_id"]]["from"]
            return self.push_update({kind: msg})

    def topic_message(
        self, chat_id: int, user_id: int, thread_id: int, text: str, **kw: Any
    ) -> JSON:
        """Push a user's message in a forum topic."""
        return self.message_in(chat_id, _user(user_id, "Alice"), text, message_thread_id=thread_id,
                               **kw)  # fmt: skip

    def anonymous_admin_message(self, chat_id: int, text: str, **kw: Any) -> JSON:
        """Push a message from an anonymous admin: GroupAnonymousBot, sender_chat the group."""
        chat = self._chats.get(chat_id) or self._make_chat(chat_id, None, None, "Test Group")
        self._chats.setdefault(chat_id, chat)
        return self.message_in(chat_id, GROUP_ANONYMOUS_BOT, text, sender_chat=chat, **kw)

    def as_channel_message(self, chat_id: int, channel: JSON, text: str, **kw: Any) -> JSON:
        """Push a message a user sent in a group "as" a channel (Channel_Bot, sender_chat)."""
        return self.message_in(chat_id, CHANNEL_BOT, text, sender_chat=channel, **kw)

    def auto_forward(self, group_id: int, channel: JSON, text: str, **kw: Any) -> JSON:
        """Push a linked channel's post as Telegram auto-forwards it into the discussion group."""
        origin = {"type": "channel", "chat": channel, "message_id": kw.pop("channel_message_id", 1),
                  "date": int(time.time())}  # fmt: skip
        return self.message_in(group_id, TELEGRAM_SERVICE, text, sender_chat=channel,
                               is_automatic_forward=True, forward_origin=origin, **kw)  # fmt: skip

    @staticmethod
    def channel(chat_id: int = -1009876543210, title: str = "Desk Channel",
                username: str | None = None) -> JSON:  # fmt: skip
        """Return a channel Chat dict."""
        return {"id": chat_id, "type": "channel", "title": title} | _opt(username=username)

    def channel_post(self, channel: JSON, text: str | None = None, **kw: Any) -> JSON:
        """Push a post in a channel the bot administers (no ``from``; sender_chat the channel)."""
        self._chats.setdefault(channel["id"], channel)
        return self.message_in(channel["id"], None, text, kind="channel_post",
                               sender_chat=channel, **kw)  # fmt: skip

    def album(
        self, chat_id: int, user_id: int, captions: list[str | None], **kw: Any
    ) -> list[JSON]:
        """Push an album: one photo message per caption (None: no caption), one media_group_id."""
        group = str(next(self._media_groups))
        sender = _user(user_id, "Alice")
        return [
            self.message_in(
                chat_id, sender, None, caption=c, photo=True, media_group_id=group, **kw
            )
            for c in captions
        ]

    def forward_with_comment(
        self, chat_id: int, user_id: int, comment: str, text: str, origin: JSON
    ) -> tuple[JSON, JSON]:
        """Push what a client sends for "forward with comment": the comment, then the forward."""
        sender = _user(user_id, "Alice")
        first = self.message_in(chat_id, sender, comment)
        return first, self.message_in(chat_id, sender, text, forward_origin=origin)

    def _learn_topic(self, chat: int | str, msg: JSON) -> None:
        # A message pushed in a topic proves the topic exists (tests may build it by hand).
        if msg.get("is_topic_message") and msg.get("message_thread_id") is not None:
            self._topics.setdefault(chat, set()).add(int(msg["message_thread_id"]))
        elif msg.get("forum_topic_created") is not None:
            self._topics.setdefault(chat, set()).add(int(msg["message_id"]))

    def _check_thread(self, chat: int | str | None, params: JSON) -> None:
        thread = params.get("message_thread_id")
        if thread is None or chat is None:
            return
        if int(thread) not in self._topics.get(chat, set()):
            raise ApiError(400, THREAD_NOT_FOUND)

    def _thread_fields(self, chat: int | str, params: JSON, replied: JSON | None) -> JSON:
        # Telegram puts a reply into its original's topic; anything else without
        # message_thread_id lands in the General topic.
        thread = params.get("message_thread_id")
        if thread is None and replied is not None and replied.get("is_topic_message"):
            thread = replied.get("message_thread_id")
        if thread is None or chat not in self._topics:
            return {}
        return {"message_thread_id": int(thread), "is_topic_message": True}

    # --- issue 8: any message shape (media without text, polls, edits) ----------------------
    def user_message_with(
        self, chat_id: int, user_id: int, fields: JSON, *, edited: bool = False
    ) -> JSON:
        """Push a message from a user carrying exactly ``fields`` (a sticker, a poll, …).

        With ``edited``, push it as an ``edited_message`` of a new message id.
        """
        with self._cond:
            user = _user(user_id, "Alice")
            if chat_id not in self._chats:
                self._chats[chat_id] = self._make_chat(chat_id, None, user, "Test Group")
            message = self._new_message(chat_id, user, fields)
        if edited:
            message["edit_date"] = message["date"] + 1
            return self.push_update({"edited_message": message})
        return self.push_update({"message": message})

    # --- internals ------------------------------------------------------------------------------
    @staticmethod
    def _make_chat(
        chat_id: int | str, chat_type: str | None, user: JSON | None, title: str
    ) -> JSON:
        if chat_type is None:
            negative = str(chat_id).startswith("-")
            chat_type = "private" if not negative else "group"
            chat_type = "supergroup" if str(chat_id).startswith("-100") else chat_type
        if chat_type != "private":
            return {"id": chat_id, "type": chat_type, "title": title}
        chat = {"id": chat_id, "type": "private", "first_name": "User"}
        if user is not None:
            chat |= {k: user[k] for k in ("first_name", "username") if k in user}
        return chat

    def _new_message(self, chat_id: int | str, sender: JSON, fields: JSON) -> JSON:
        message_id = self._last_message_id.get(chat_id, 0) + 1
        self._last_message_id[chat_id] = message_id
        chat = self._chats.get(chat_id) or self._make_chat(chat_id, None, None, "Test Group")
        msg = {"message_id": message_id, "from": sender, "chat": chat, "date": int(time.time())}
        self._messages[chat_id, message_id] = msg | fields
        return copy.deepcopy(msg | fields)

    def _reply_copy(self, chat_id: int | str, message_id: int) -> JSON:
        stored = self._messages.get((chat_id, message_id))
        if stored is None:
            chat = self._chats.get(chat_id) or self._make_chat(chat_id, None, None, "Test Group")
            stored = {"message_id": message_id, "chat": chat, "date": int(time.time()), "text": ""}
        return {k: copy.deepcopy(v) for k, v in stored.items() if k != "reply_to_message"}

    def _handle(self, path: str, query: str, content_type: str, body: bytes) -> tuple[int, bytes]:
        """Answer one HTTP request (runs in a server thread)."""
        at = self.clock()
        match = _PATH.fullmatch(path)
        method = match.group(2) if match else path
        params: JSON = {}
        try:
            params = _parse_params(query, content_type, body)
            if match is None:
                raise ApiError(404, "Not Found")
            name, handler = self._methods.get(method.lower(), (method, None))
            method = name
            if match.group(1) != self.token:
                raise ApiError(401, "Unauthorized")
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            delay = self._latency.get(method.lower(), self._latency.get("*", 0.0))
            if delay:
                self._stopping.wait(delay)
            with self._cond:
                self._preflight(method, params)
                status, payload = 200, {"ok": True, "result": handler(params)}
                data = json.dumps(payload).encode()
        except ApiError as error:
            status, payload = error.status, error.payload()
            data = json.dumps(payload).encode()
        except Exception as error:  # a bug in the fake: answer 500 and keep it for the test
            self.errors.append(error)
            status, payload = 500, {"ok": False, "error_code": 500, "description": repr(error)}
            data = json.dumps(payload).encode()
        result = json.loads(data).get("result")
        with self._cond:
            self._requests.append(RecordedRequest(method, params, at, status, result))
        return status, data

    def _preflight(self, method: str, params: JSON) -> None:
        chat = _chat_key(params.get("chat_id"))
        for fault in self._faults:
            if fault.method == method.lower() and fault.chat_id in (None, chat):
                if fault.skip > 0:
                    fault.skip -= 1
                    break
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                if fault.migrate_to is not None:  # the supergroup the group became
                    self._known.add(fault.migrate_to)
                raise fault.error()
        if chat in self._blocked:
            kind = self._chats.get(chat, self._make_chat(chat, None, None, ""))["type"]
            kicked = {"group": "group chat", "supergroup": "supergroup chat", "channel": "channel"}
            reason = f"kicked from the {kicked[kind]}" if kind in kicked else "blocked by the user"
            raise ApiError(403, f"Forbidden: bot was {reason}")
        self._check_thread(chat, params)
        if self.rate_limits and method.lower() in self.rate_limited_methods:
            self._check_rate(chat)

    def _check_rate(self, chat: int | str | None) -> None:
        now = self.clock()
        windows = [(self._global_hits, 1.0, self.global_per_second)]
        per_chat = self._chat_hits.setdefault(chat, deque())
        if isinstance(chat, int) and chat < 0:
            windows.append((per_chat, 60.0, self.group_per_minute))
        if self.per_chat_per_second is not None:
            windows.append((per_chat, 1.0, self.per_chat_per_second))
        for hits, span, limit in windows:
            recent = [t for t in hits if t > now - span]
            if len(recent) >= limit:
                self.rate_limited += 1
                retry = max(1, math.ceil(recent[-math.ceil(limit)] + span - now))
                raise ApiError(429, f"Too Many Requests: retry after {retry}", retry)
        for hits in {id(h): h for h, _, _ in windows}.values():
            hits.append(now)
            while hits and hits[0] <= now - 60.0:
                hits.popleft()

    def _chat_of(self, params: JSON) -> int | str:
        chat = _chat_key(params.get("chat_id"))
        if chat in (None, ""):
            raise ApiError(400, "Bad Request: chat_id is empty")
        if isinstance(chat, str) or (chat not in self._chats and chat not in self._known):
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _text_of(self, params: JSON) -> tuple[str, list[JSON]]:
        text = str(params.get("text") or "")
        if str(params.get("parse_mode") or "").lower() == "html":
            text, entities = parse_html(text, strict_ampersand=self.strict_ampersand)
        else:
            entities = list(params.get("entities") or [])
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > MAX_TEXT_LENGTH:
            raise ApiError(400, "Bad Request: message is too long")
        if len(entities) > MAX_ENTITIES:  # silently, like Telegram: the rest shows as plain text
            self.entities_dropped += len(entities) - MAX_ENTITIES
            entities = entities[:MAX_ENTITIES]
        return text, entities

    def _editable(self, params: JSON) -> JSON:
        chat = self._chat_of(params)
        if "message_id" not in params:
            raise ApiError(400, "Bad Request: message identifier is not specified")
        msg = self._messages.get((chat, int(params["message_id"])))
        if msg is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if msg["from"]["id"] != self.bot_user["id"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        return msg

    # --- Bot API methods (called with the lock held) --------------------------------------------
    def _delete_webhook(self, params: JSON) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _get_chat_member(self, params: JSON) -> JSON:
        user_id = int(params["user_id"])
        user = {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}
        if user_id not in self.chat_admins.get(_chat_key(params["chat_id"]) or 0, set()):
            return {"status": "member", "user": user}
        rights = ("can_be_edited", "is_anonymous", "can_delete_messages", "can_manage_video_chats",
                  "can_restrict_members", "can_promote_members", "can_change_info",
                  "can_invite_users", "can_post_stories", "can_edit_stories", "can_delete_stories")  # fmt: skip
        return {"status": "administrator", "user": user, "can_manage_chat": True} | dict.fromkeys(
            rights, False
        )

    def _set_webhook(self, params: JSON) -> bool:
        self.webhook_url = str(params.get("url", ""))
        return True

    def _get_updates(self, params: JSON) -> list[JSON]:
        if self.webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset, limit = int(params.get("offset", 0)), int(params.get("limit", 100))
        if "allowed_updates" in params:
            self._allowed_updates = set(params["allowed_updates"]) or None
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        deadline = time.monotonic() + float(params.get("timeout", 0))
        self.pollers += 1
        try:
            while True:
                self._updates = [u for u in self._updates if self._allowed(u)]
                remaining = deadline - time.monotonic()
                if self._updates or remaining <= 0 or self._stopping.is_set():
                    handed = self._updates[: max(1, min(limit, 100))]
                    self._note_handed_out(handed)
                    return handed
                self._cond.wait(remaining)
        finally:
            self.pollers -= 1

    # --- Benchmarks: when each update was first handed out by getUpdates -----------------------
    def _note_handed_out(self, updates: list[JSON]) -> None:
        now = time.monotonic()
        for update in updates:
            self.handed_out.setdefault(int(update["update_id"]), now)

    def _allowed(self, update: JSON) -> bool:
        kind = next(k for k in update if k != "update_id")
        if self._allowed_updates is None:
            return kind not in _DEFAULT_EXCLUDED_UPDATES
        return kind in self._allowed_updates

    def _send_message(self, params: JSON) -> JSON:
        chat = self._chat_of(params)
        text, entities = self._text_of(params)
        fields: JSON = {"text": text} | ({"entities": entities} if entities else {})
        fields |= self._replied(chat, params)
        if markup := validation.reply_markup(params.get("reply_markup")):
            fields["reply_markup"] = markup
        fields |= self._thread_fields(chat, params, fields.get("reply_to_message"))
        return self._new_message(chat, self.bot_user, fields)

    def _replied(self, chat: int | str, params: JSON) -> JSON:
        """Return the ``reply_to_message`` field a send's reply parameters give, if any."""
        given = params.get("reply_parameters")
        reply: JSON = given if isinstance(given, dict) else {}
        reply_id = reply.get("message_id", params.get("reply_to_message_id"))
        if reply_id is not None:
            if (chat, int(reply_id)) in self._messages:
                return {"reply_to_message": self._reply_copy(chat, int(reply_id))}
            if not reply.get("allow_sending_without_reply"):
                raise ApiError(400, "Bad Request: message to be replied not found")
        return {}

    def _send_media(self, kind: str, params: JSON) -> JSON:
        chat = self._chat_of(params)
        media = params.get(kind)
        size: JSON = {}
        if isinstance(media, UploadedFile):
            file_id = f"{kind}-{len(self._messages)}"
            if kind == "photo":
                width, height = validation.photo(media.content)
                size = {"width": width, "height": height, "file_size": len(media.content)}
                self._photo_ids.add(file_id)
        elif isinstance(media, str) and media:
            if kind == "photo" and media not in self._photo_ids:  # no URL fetching here
                raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
            file_id = media
        else:
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        caption, entities = (
            str(params.get("caption") or ""),
            list(params.get("caption_entities") or []),
        )
        if str(params.get("parse_mode") or "").lower() == "html":
            caption, entities = parse_html(caption, strict_ampersand=self.strict_ampersand)
        validation.caption_length(caption)
        shown: JSON = {"file_id": file_id, "file_unique_id": f"u{file_id}"} | size
        fields: JSON = {kind: [shown] if kind == "photo" else shown}
        fields |= {"caption": caption} if caption else {}
        fields |= {"caption_entities": entities} if entities else {}
        fields |= self._replied(chat, params)
        if markup := validation.reply_markup(params.get("reply_markup")):
            fields["reply_markup"] = markup
        fields |= self._thread_fields(chat, params, fields.get("reply_to_message"))
        return self._new_message(chat, self.bot_user, fields)

    def _send_chat_action(self, params: JSON) -> bool:
        self._chat_of(params)
        if params.get("action") not in _ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    def _edit_text(self, params: JSON) -> JSON | bool:
        if "inline_message_id" in params:
            self._text_of(params)
            return True
        msg = self._editable(params)
        text, entities = self._text_of(params)
        markup = validation.reply_markup(params.get("reply_markup"))
        new: JSON = {"text": text, "entities": entities or None, "reply_markup": markup}
        if all(msg.get(k) == v for k, v in new.items()):
            raise ApiError(400, NOT_MODIFIED)
        msg.update({k: v for k, v in new.items() if v is not None}, edit_date=int(time.time()))
        for key in [k for k, v in new.items() if v is None and k in msg]:
            del msg[key]
        return copy.deepcopy(msg)

    def _edit_markup(self, params: JSON) -> JSON | bool:
        if "inline_message_id" in params:
            return True
        msg = self._editable(params)
        markup = validation.reply_markup(params.get("reply_markup"))
        if markup == msg.get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        msg.pop("reply_markup", None)
        msg.update({"reply_markup": markup} if markup else {}, edit_date=int(time.time()))
        return copy.deepcopy(msg)

    def _answer_callback_query(self, params: JSON) -> bool:
        validation.callback_answer(params)
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._open_queries:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._open_queries.discard(query_id)
        return True

    @staticmethod
    def _commands_key(params: JSON) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    def _set_my_commands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: commands must be an array of at most 100 items")
        for command in commands:
            if not _BOT_COMMAND.fullmatch(str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self._commands[self._commands_key(params)] = commands
        return True

    def _get_my_commands(self, params: JSON) -> list[JSON]:
        return self._commands.get(self._commands_key(params), [])

    def _delete_my_commands(self, params: JSON) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    def _send_document(self, params: JSON) -> JSON:
        # As Telegram: a multipart upload (named, non-empty, at most 50 MB) or a known file_id;
        # the caption as sendMessage's text (its HTML checked), at most 1024 characters shown.
        chat = self._chat_of(params)
        caption = str(params.get("caption") or "")
        entities = list(params.get("caption_entities") or [])
        if str(params.get("parse_mode") or "").lower() == "html":
            caption, entities = parse_html(caption, strict_ampersand=self.strict_ampersand)
        validation.caption_length(caption)
        given = params.get("document")
        if isinstance(given, UploadedFile):
            validation.document_upload(given.filename, len(given.content))
            shown = self.add_file(
                given.content, file_name=given.filename, mime_type=given.content_type or None
            )
        elif isinstance(given, str) and given in self._files:
            stored = self._files[given]
            shown = {"file_id": given, "file_unique_id": stored.unique_id, "file_size": stored.size}
        elif isinstance(given, str) and given:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        else:
            raise ApiError(400, "Bad Request: there is no document in the request")
        fields: JSON = {"document": shown} | ({"caption": caption} if caption else {})
        fields |= {"caption_entities": entities} if entities else {}
        reply = params.get("reply_parameters")
        reply_id = reply.get("message_id") if isinstance(reply, dict) else None
        if reply_id is not None:
            if (chat, int(reply_id)) in self._messages:
                fields["reply_to_message"] = self._reply_copy(chat, int(reply_id))
            elif not (isinstance(reply, dict) and reply.get("allow_sending_without_reply")):
                raise ApiError(400, "Bad Request: message to be replied not found")
        if markup := validation.reply_markup(params.get("reply_markup")):
            fields["reply_markup"] = markup
        fields |= self._thread_fields(chat, params, fields.get("reply_to_message"))
        return self._new_message(chat, self.bot_user, fields)

    def file_content(self, file_id: str) -> bytes:
        """Return the bytes of a file the fake holds (a document the bot sent, say)."""
        with self._cond:
            return self._files[file_id].content

    # --- files: getFile, downloads, document messages -------------------------------------------
    # Telegram lets bots download files up to 20 MB; getFile refuses bigger ones and unknown ids.
    def add_file(
        self,
        content: bytes,
        *,
        file_name: str,
        mime_type: str | None,
        declared_size: int | None = None,
    ) -> JSON:
        """Store a file the fake can serve; return its ``Document`` dict for a message.

        ``declared_size`` stands for a file too big to hold in a test (Telegram's file_size).
        """
        with self._cond:
            number = next(self._file_ids)
            file_id = f"BQACAgIAAxkBAAI{number:06d}"
            dot = file_name.rfind(".")
            stored = _StoredFile(
                file_id, f"AgAD{number:04d}", content, declared_size or len(content),
                f"documents/file_{number}{file_name[dot:] if dot > 0 else ''}",
            )  # fmt: skip
            self._files[file_id] = stored
        document = {"file_id": file_id, "file_unique_id": stored.unique_id,
                    "file_name": file_name, "file_size": stored.size}  # fmt: skip
        return document | _opt(mime_type=mime_type)

    def user_document(
        self,
        chat_id: int,
        user_id: int,
        document: JSON,
        *,
        caption: str | None = None,
        forward_origin: JSON | None = None,
        chat_type: str | None = None,
        first_name: str = "Alice",
    ) -> JSON:
        """Push a message carrying a document (from ``add_file``) and return the update."""
        with self._cond:
            user = _user(user_id, first_name)
            if chat_id not in self._chats or chat_type is not None:
                self._chats[chat_id] = self._make_chat(chat_id, chat_type, user, "Test Group")
            fields: JSON = {"document": document}
            fields |= _opt(caption=caption, forward_origin=forward_origin)
            return self.push_update({"message": self._new_message(chat_id, user, fields)})

    def _get_file(self, params: JSON) -> JSON:
        stored = self._files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if stored.size > MAX_DOWNLOAD_BYTES:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": stored.file_id, "file_unique_id": stored.unique_id,
            "file_size": stored.size, "file_path": stored.file_path,
        }  # fmt: skip

    def _file_download(self, path: str) -> tuple[int, bytes]:
        """Serve ``/file/bot<token>/<file_path>`` like Telegram's file server."""
        prefix = f"/file/bot{self.token}/"
        path = unquote(path)  # clients percent-encode the token's colon
        with self._cond:
            found = next((f for f in self._files.values() if path == prefix + f.file_path), None)
            status = 200 if found else (404 if path.startswith(prefix) else 401)
            self._requests.append(
                RecordedRequest("fileDownload", {"path": path}, self.clock(), status, None)
            )
        return (200, found.content) if found else (status, b"Not Found")


MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024


@dataclass
class _StoredFile:
    file_id: str
    unique_id: str
    content: bytes
    size: int  # what Telegram reports; may exceed len(content) to stand for a huge file
    file_path: str
