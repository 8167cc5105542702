"""The lean send path for alerts: one HTTP request per message, nothing more.

python-telegram-bot builds request and response objects for every call:
about 3 ms of CPU per message, so one process could not send more than a few
hundred messages per second. Alerts need none of that: the body is plain
JSON, and the answer only matters for `ok`, `error_code`, `description` and
`parameters` (retry_after, migrate_to_chat_id). The conversation keeps using
the library.

The HTTP client is a minimal HTTP/1.1 keep-alive pool on asyncio's protocol
layer, written for exactly two requests (POST sendMessage and
editMessageText with a JSON body), because the general clients cost most of
the CPU of a send. Measured on the project's 2-core machine (CPU of the
sending process per POST, 32 at a time, a few thousand POSTs, the server in
another process), against a keep-alive HTTP/1.1 server like Telegram's, and
against the fake Bot API, which closes every connection (HTTP/1.0, so each
send also connects):

    client                        keep-alive    new connection each send
    httpx 0.28 (before)           ~5.5 ms       ~2.9 ms
    aiohttp 3.14 (tuned session)  ~0.24 ms      ~0.84–0.96 ms
    this module                   ~0.07 ms      ~0.67 ms

aiohttp was tried first (one ClientSession, TCPConnector(limit=pool), no
auto headers, bytes bodies); the raw pool is 3× cheaper with keep-alive and
needs no new dependency, so it is what is used (aiohttp is not a dependency). It speaks
only what these two calls need: a request is one write (head and body), an
answer is read by Content-Length, chunked transfer coding or until the
server closes; a connection goes back to the pool only after a complete
answer that allows keep-alive, and is dropped when the server closes it or
after KEEPALIVE_EXPIRY idle seconds. `https` uses ssl's default context
(certificates and host name verified), built off the event loop. No proxy
support: the environment's HTTP(S)_PROXY is ignored (httpx honoured it).

Errors: a timeout is Transient("timeout"); a refused, reset or unresolvable
connection, a TLS failure or an answer that is not HTTP is
Transient("network error: <exception class>") — never the exception's text,
which can hold the URL and so the bot token. A 2xx means Telegram took the
message: it is Sent even when its body cannot be read, or is cut off.
"""

from __future__ import annotations

import asyncio
import json
import re
import ssl
from typing import Any
from urllib.parse import urlsplit

from bot.core.models import OutboxRow
from bot.delivery.worker import ChatGone, Migrated, Outcome, Rejected, RetryAfter, Sent, Transient

_CHAT_GONE = re.compile(
    r"chat not found|user is deactivated|bot was kicked|bot was blocked|not enough rights|have no rights|group chat was deleted",
    re.I,
)
TEXT_CACHE = 10_000
CONNECT_TIMEOUT = 5.0
# Idle keep-alive connections older than this are not reused (servers close
# theirs after 60–75 s; reusing one the server is closing would fail a send).
KEEPALIVE_EXPIRY = 30.0
MAX_HEAD = 64 * 1024  # an answer's status line and headers
MAX_BODY = 4 * 1024 * 1024  # Telegram's answers to these two calls are a few kB


class BadResponse(Exception):
    """The server's answer is not HTTP/1.x we can read."""


class HttpSender:
    def __init__(self, token: str, base_url: str, *, pool: int = 64, timeout: float = 15.0, paid_broadcast: bool = False) -> None:
        self._paid = paid_broadcast  # allow_paid_broadcast on every alert (telegram.limits.paid_broadcast)
        # The token is in the URL: never let it reach an error text (errors are stored in the outbox).
        self._send_head = _Endpoint(f"{base_url}{token}/sendMessage")
        self._edit_head = _Endpoint(f"{base_url}{token}/editMessageText")
        self._pool = _Pool(self._send_head, pool, timeout)
        # Pre-serialised parts: a rendering's text is JSON-encoded once for all
        # the chats it goes to, the options once per combination.
        self._texts: dict[int, tuple[str, bytes]] = {}  # alert id → (html, its JSON string)
        self._tails: dict[tuple[bool, bool, int | None], bytes] = {}

    def body(self, row: OutboxRow) -> bytes:
        """The request body for `row`, assembled from cached parts (the same bytes `_body` would give)."""
        if row.alert_id is None:
            return _body(row, self._paid)
        cached = self._texts.get(row.alert_id)
        if cached is None or (cached[0] is not row.html and cached[0] != row.html):  # a rendering may be edited (update_alert)
            if len(self._texts) >= TEXT_CACHE:
                self._texts.clear()
            cached = self._texts[row.alert_id] = (row.html, json.dumps(row.html, ensure_ascii=False).encode())
        opts = (row.preview, row.silent, row.thread_id)
        tail = self._tails.get(opts)
        if tail is None:
            tail = self._tails[opts] = _tail(row, self._paid)
        return b'{"chat_id": %d, "text": %s%s' % (row.chat_id, cached[1], tail)

    async def send(self, row: OutboxRow) -> Outcome:
        return await self._pool.post(self._send_head.request(self.body(row)))

    async def edit(self, chat_id: int, message_id: int, html: str) -> Outcome:
        """Bring a sent alert up to date (a story's new outlet, fuller text, topics)."""
        payload = {"chat_id": chat_id, "message_id": message_id, "text": html, "parse_mode": "HTML",
                   "link_preview_options": {"is_disabled": True}}
        return await self._pool.post(self._edit_head.request(json.dumps(payload, ensure_ascii=False).encode()))

    async def close(self) -> None:
        await self._pool.close()


class _Endpoint:
    """One URL: where to connect, and the request head up to the body's length."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("telegram base_url must be an http:// or https:// URL")
        self.tls = parts.scheme == "https"
        self.host = parts.hostname
        self.port = parts.port or (443 if self.tls else 80)
        default_port = parts.port is None or parts.port == (443 if self.tls else 80)
        host = f"[{self.host}]" if ":" in self.host else self.host
        authority = host if default_port else f"{host}:{self.port}"
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._head = (f"POST {target} HTTP/1.1\r\nHost: {authority}\r\n"
                      "Content-Type: application/json\r\nContent-Length: ").encode()

    def request(self, body: bytes) -> bytes:
        return b"%s%d\r\n\r\n%s" % (self._head, len(body), body)


class _Pool:
    """Up to `size` HTTP/1.1 connections to one host, reused while the server keeps them open."""

    def __init__(self, endpoint: _Endpoint, size: int, timeout: float) -> None:
        self._endpoint = endpoint  # both URLs share scheme, host and port
        self._size = size
        self._timeout = timeout
        self._idle: list[_Connection] = []  # last in, first out: the warmest connection first
        self._open: set[_Connection] = set()
        self._slots: asyncio.Semaphore | None = None  # made on first use, on the loop that sends
        self._ssl: asyncio.Task[ssl.SSLContext] | None = None
        self._closed = False

    async def post(self, request: bytes) -> Outcome:
        conn: _Connection | None = None
        try:
            async with asyncio.timeout(self._timeout):
                if self._slots is None:
                    self._slots = asyncio.Semaphore(self._size)
                async with self._slots:
                    conn = self._take_idle() or await self._connect()
                    status, body, reusable = await conn.exchange(request)
                    if reusable and not self._closed:
                        conn.idle_since = asyncio.get_running_loop().time()
                        self._idle.append(conn)
                        conn = None  # pooled: not dropped below
                    return outcome(status, body)
        except TimeoutError:
            return self._failed(conn, "timeout")
        except (OSError, BadResponse) as exc:  # the class only: the text may hold the URL
            return self._failed(conn, f"network error: {type(exc).__name__}")
        finally:
            if conn is not None:  # done without keep-alive, failed, or cancelled mid-exchange
                self._drop(conn)

    def _failed(self, conn: _Connection | None, error: str) -> Outcome:
        status = conn.status if conn is not None else 0
        if 200 <= status <= 299:  # Telegram took the message; only the answer was lost
            return Sent(None)
        return Transient(error)

    def _take_idle(self) -> _Connection | None:
        now = asyncio.get_running_loop().time()
        while self._idle:
            conn = self._idle.pop()
            if not conn.lost and now - conn.idle_since < KEEPALIVE_EXPIRY:
                return conn
            self._drop(conn)
        return None

    async def _connect(self) -> _Connection:
        if self._closed:
            raise ConnectionAbortedError("sender closed")
        endpoint = self._endpoint
        context = await self._ssl_context() if endpoint.tls else None
        loop = asyncio.get_running_loop()
        conn = _Connection(loop)
        async with asyncio.timeout(CONNECT_TIMEOUT):
            await loop.create_connection(lambda: conn, endpoint.host, endpoint.port, ssl=context,
                                         server_hostname=endpoint.host if context is not None else None)
        self._open.add(conn)
        return conn

    async def _ssl_context(self) -> ssl.SSLContext:
        if self._ssl is None:  # loading the CA store reads files: not on the loop
            self._ssl = asyncio.ensure_future(asyncio.to_thread(ssl.create_default_context))
        return await asyncio.shield(self._ssl)

    def _drop(self, conn: _Connection) -> None:
        self._open.discard(conn)
        conn.close()

    async def close(self) -> None:
        self._closed = True
        conns, self._idle = list(self._open), []
        self._open.clear()
        for conn in conns:
            conn.close()
        if conns:  # let the transports finish closing their sockets before the loop may end
            await asyncio.wait([conn.gone for conn in conns], timeout=1.0)
            for conn in conns:
                conn.abort()


class _Connection(asyncio.Protocol):
    """One HTTP/1.1 connection: one request at a time, its answer parsed as it arrives."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._transport: asyncio.Transport | None = None
        self._buf = bytearray()
        self._waiter: asyncio.Future[tuple[int, bytes, bool]] | None = None
        self.gone: asyncio.Future[None] = loop.create_future()  # set by connection_lost
        self.lost = False  # the server closed it (or we did)
        self.idle_since = 0.0
        self.status = 0  # of the answer being read, once its head is in

    # -- asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        if self._waiter is None or self._waiter.done():  # nothing (more) was asked: out of turn, never reuse it
            self.close()
            return
        self._buf += data
        self._parse(eof=False)

    def eof_received(self) -> bool:
        self.lost = True
        if self._waiter is not None:
            self._parse(eof=True)
        return False  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        if self._waiter is not None and not self._waiter.done():
            self._parse(eof=True)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(ConnectionResetError("connection closed before the answer was complete"))
        if not self.gone.done():
            self.gone.set_result(None)

    # -- use
    async def exchange(self, request: bytes) -> tuple[int, bytes, bool]:
        """Send `request`; (status, body, whether the connection may be reused)."""
        if self.lost or self._transport is None or self._transport.is_closing():
            raise ConnectionResetError("connection closed")
        self._buf.clear()
        self.status = 0
        waiter: asyncio.Future[tuple[int, bytes, bool]] = self._loop.create_future()
        self._waiter = waiter
        self._transport.write(request)
        try:
            return await waiter
        finally:
            self._waiter = None

    def close(self) -> None:
        self.lost = True
        if self._transport is not None:
            self._transport.close()

    def abort(self) -> None:
        if self._transport is not None and not self.gone.done():
            self._transport.abort()

    # -- the answer
    def _parse(self, *, eof: bool) -> None:
        waiter = self._waiter
        assert waiter is not None
        if waiter.done():
            return
        try:
            answer = _parse_response(self._buf, eof)
        except BadResponse as exc:
            waiter.set_exception(exc)
            self.close()
            return
        if answer is None:
            return
        status, body, reusable = answer
        if status >= 0:
            waiter.set_result((status, body, reusable and not self.lost))
        else:  # only the head so far: remember the status (a 2xx is Sent even if the body never comes)
            self.status = -status


def _parse_response(buf: bytearray, eof: bool) -> tuple[int, bytes, bool] | None:
    """A complete answer in `buf` as (status, body, keep-alive); (-status, b"", False) when only its
    head is complete; None when nothing useful yet. `eof`: the server has closed its side."""
    start = 0
    while True:
        end = buf.find(b"\r\n\r\n", start)
        if end < 0:
            if len(buf) - start > MAX_HEAD:
                raise BadResponse("head too long")
            if eof:
                raise BadResponse("closed before an answer")
            return None
        lines = bytes(buf[start:end]).split(b"\r\n")
        version, _, rest = lines[0].partition(b" ")
        code = rest[:3]
        if not (version.startswith(b"HTTP/1.") and code.isdigit() and len(code) == 3 and code[0] != 0x30):
            raise BadResponse("not an HTTP/1.x status line")
        status = int(code)
        if 100 <= status < 200:  # "100 Continue" and the like: the answer follows
            start = end + 4
            continue
        break
    length = -1
    chunked = False
    keep_alive = version != b"HTTP/1.0"
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            value = value.strip()
            if not value.isdigit():
                raise BadResponse("bad Content-Length")
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            tokens = value.lower()
            if b"close" in tokens:
                keep_alive = False
            elif b"keep-alive" in tokens:
                keep_alive = True
    body_at = end + 4
    if chunked:
        chunks = _dechunk(buf, body_at)
        if chunks is None:  # not all in yet (or cut off)
            return (-status, b"", False)
        body, after = chunks
        return (status, body, keep_alive and after == len(buf))
    if length >= 0:
        if length > MAX_BODY:
            raise BadResponse("body too long")
        if len(buf) - body_at < length:  # not all in yet (or cut off: the caller sees the close)
            return (-status, b"", False)
        return (status, bytes(buf[body_at:body_at + length]), keep_alive and len(buf) == body_at + length)
    if status in (204, 304):
        return (status, b"", keep_alive and len(buf) == body_at)
    if not eof:  # no length: the body ends when the server closes
        if len(buf) - body_at > MAX_BODY:
            raise BadResponse("body too long")
        return (-status, b"", False)
    return (status, bytes(buf[body_at:]), False)


def _dechunk(buf: bytearray, at: int) -> tuple[bytes, int] | None:
    """The body of a chunked answer starting at `at`, and where it ends; None if not all in yet."""
    parts: list[bytes] = []
    size_total = 0
    while True:
        line_end = buf.find(b"\r\n", at)
        if line_end < 0:
            break
        size_text = bytes(buf[at:line_end]).split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise BadResponse("bad chunk size") from None
        if size == 0:  # trailers, then an empty line
            trailer_end = buf.find(b"\r\n\r\n", line_end)
            if trailer_end == line_end:  # no trailers: the size line's CRLF then CRLF
                return b"".join(parts), line_end + 4
            if trailer_end < 0:
                break
            return b"".join(parts), trailer_end + 4
        size_total += size
        if size_total > MAX_BODY:
            raise BadResponse("body too long")
        data_at = line_end + 2
        if len(buf) < data_at + size + 2:
            break
        parts.append(bytes(buf[data_at:data_at + size]))
        at = data_at + size + 2
    return None


def _body(row: OutboxRow, paid_broadcast: bool = False) -> bytes:
    payload: dict[str, Any] = {"chat_id": row.chat_id, "text": row.html, **_options(row, paid_broadcast)}
    return json.dumps(payload, ensure_ascii=False).encode()


def _tail(row: OutboxRow, paid_broadcast: bool) -> bytes:
    """Everything after the text, closing brace included, as `json.dumps` writes it."""
    options = json.dumps(_options(row, paid_broadcast), ensure_ascii=False)
    return (", " + options[1:]).encode() if options != "{}" else b"}"


def _options(row: OutboxRow, paid_broadcast: bool) -> dict[str, Any]:
    payload: dict[str, Any] = {"parse_mode": "HTML"}
    if paid_broadcast:
        payload["allow_paid_broadcast"] = True
    if not row.preview:  # the chat's setting (/settings); off by default
        payload["link_preview_options"] = {"is_disabled": True}
    if row.silent:  # quiet hours, or "always silent"
        payload["disable_notification"] = True
    if row.thread_id is not None:
        payload["message_thread_id"] = row.thread_id
    return payload


def outcome(status: int, payload: bytes) -> Outcome:
    """What Telegram's answer means for the outbox. Pure."""
    data = _json(payload)
    if 200 <= status <= 299:
        # A 2xx means Telegram took the message, even if the body cannot be read.
        result = data.get("result")
        mid = result.get("message_id") if isinstance(result, dict) else None
        return Sent(mid if isinstance(mid, int) else None)
    params = data.get("parameters") if isinstance(data.get("parameters"), dict) else {}
    assert isinstance(params, dict)
    if params.get("migrate_to_chat_id"):
        return Migrated(int(params["migrate_to_chat_id"]))
    if params.get("retry_after") is not None or status == 429:
        return RetryAfter(float(params.get("retry_after") or 1))
    description = str(data.get("description") or f"HTTP {status}")[:300]
    if status == 403:
        return ChatGone(description)
    if status == 400:
        return ChatGone(description) if _CHAT_GONE.search(description) else Rejected(description)
    return Transient(description)


def _json(payload: bytes) -> dict[str, Any]:
    try:
        data = json.loads(payload.decode("utf-8", "replace"))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
