"""The lean send path for alerts: one HTTP request per message, nothing more.

python-telegram-bot builds request and response objects for every call:
about 3 ms of CPU per message, so one process could not send more than a few
hundred messages per second. Alerts need none of that: the body is plain
JSON, and the answer only matters for `ok`, `error_code`, `description` and
`parameters` (retry_after, migrate_to_chat_id). The conversation keeps using
the library.

The HTTP client is aiohttp: one ClientSession (made on first use, on the loop
that sends) over a TCPConnector that keeps up to `pool` HTTP/1.1 connections
open to Telegram, bodies pre-serialised to bytes, no automatic headers but
Host, Content-Type and Content-Length. Why aiohttp: the project prefers a
well-kept library to hand-written code, and an HTTP client is exactly where a
hand-written one goes wrong (framing, chunked answers, half-closed
connections, TLS, proxies). It honours HTTP_PROXY / HTTPS_PROXY / NO_PROXY
from the environment, as httpx did, looked up once when the sender is made
(aiohttp's trust_env would look them up, and read ~/.netrc, in a worker
thread on every request: twice the CPU per send in bench-fanout). Measured
on the project's 2-core machine (CPU of the sending process per POST, 32 at a time, a few thousand
POSTs, the server in another process), against a keep-alive HTTP/1.1 server
like Telegram's, and against a server that closes every connection (so each
send also connects):

    client                          keep-alive    new connection each send
    httpx 0.28 (before)             ~5.5 ms       ~2.9 ms
    aiohttp 3.14 (this module)      ~0.24 ms      ~0.84–0.96 ms
    a hand-written asyncio pool     ~0.07 ms      ~0.67 ms

The hand-written pool (commit 38e9d87, replaced) was ~3× cheaper with
keep-alive, but 0.24 ms per send is already 20× below httpx and leaves one
core room for ~4,000 sends a second, far above Telegram's limits (30/s, or
1,000/s with paid broadcasts); it did not speak proxies and was 300 lines of
HTTP parsing to maintain. In bench-fanout (the whole bot process, pipeline
and worker included, under load on the shared 2-core machine) aiohttp costs
0.68–0.77 ms of CPU per send with keep-alive (the pool: 0.46 ms) and
1.16–1.30 ms connecting each time (the pool: 0.78–1.08 ms); README, Benchmarks.

Errors: a timeout is Transient("timeout"); a refused, reset or unresolvable
connection, a TLS failure or an answer that is not HTTP is
Transient("network error: <exception class>") — never the exception's text,
which can hold the URL and so the bot token. A 2xx means Telegram took the
message: it is Sent even when its body cannot be read, or is cut off (a retry
would send it twice). A POST on a kept-alive connection the server has just
closed is not retried by aiohttp (POST is not idempotent): it comes back as
Transient("network error: ServerDisconnectedError") and the outbox retries it.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

import aiohttp
from yarl import URL

from bot.core.models import OutboxRow
from bot.delivery.worker import ChatGone, Migrated, Outcome, Rejected, RetryAfter, Sent, Transient

log = logging.getLogger(__name__)

_CHAT_GONE = re.compile(
    r"chat not found|user is deactivated|bot was kicked|bot was blocked|not enough rights|have no rights|group chat was deleted",
    re.I,
)
TEXT_CACHE = 10_000
CONNECT_TIMEOUT = 5.0
# Idle keep-alive connections older than this are closed (servers close
# theirs after 60–75 s; reusing one the server is closing would fail a send).
KEEPALIVE_EXPIRY = 30.0
DNS_CACHE_TTL = 300  # seconds
_JSON_HEADERS = {"Content-Type": "application/json"}
# Not needed by the Bot API; Accept-Encoding off also spares decompressing a few hundred bytes.
_SKIP_HEADERS = ("User-Agent", "Accept", "Accept-Encoding")


class HttpSender:
    def __init__(self, token: str, base_url: str, *, pool: int = 64, timeout: float = 15.0, paid_broadcast: bool = False) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("telegram base_url must be an http:// or https:// URL")
        self._paid = paid_broadcast  # allow_paid_broadcast on every alert (telegram.limits.paid_broadcast)
        # The token is in the URL: never let it reach an error text (errors are stored in the outbox).
        self._send_url = URL(f"{base_url}{token}/sendMessage")
        self._edit_url = URL(f"{base_url}{token}/editMessageText")
        self._pool = pool
        self._timeout = timeout
        self._proxy, self._proxy_auth = _env_proxy(self._send_url)
        self._session: aiohttp.ClientSession | None = None  # made on first use, on the loop that sends
        self._closed = False
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
        return await self._post(self._send_url, self.body(row))

    async def edit(self, chat_id: int, message_id: int, html: str) -> Outcome:
        """Bring a sent alert up to date (a story's new outlet, fuller text, topics)."""
        payload = {"chat_id": chat_id, "message_id": message_id, "text": html, "parse_mode": "HTML",
                   "link_preview_options": {"is_disabled": True}}
        return await self._post(self._edit_url, json.dumps(payload, ensure_ascii=False).encode())

    async def close(self) -> None:
        """Close the session and wait for its connections to close (no "Unclosed …" warnings)."""
        self._closed = True
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    def _open(self) -> aiohttp.ClientSession:
        session = self._session
        if session is None:
            connector = aiohttp.TCPConnector(limit=self._pool, keepalive_timeout=KEEPALIVE_EXPIRY, ttl_dns_cache=DNS_CACHE_TTL)
            session = self._session = aiohttp.ClientSession(
                connector=connector,
                timeout=aiohttp.ClientTimeout(total=self._timeout, connect=CONNECT_TIMEOUT),
                headers=_JSON_HEADERS,
                skip_auto_headers=_SKIP_HEADERS,
                # The environment's proxy, looked up once: trust_env=True would look
                # it up, and read ~/.netrc, in a worker thread on every request
                # (measured: 0.78 → 1.3–1.6 ms of CPU per send).
                proxy=self._proxy,
                proxy_auth=self._proxy_auth,
                auto_decompress=False,
            )
        return session

    async def _post(self, url: URL, body: bytes) -> Outcome:
        if self._closed:
            return Transient("network error: sender closed")
        try:
            async with self._open().post(url, data=body) as resp:
                status = resp.status
                try:
                    payload = await resp.read()
                except (TimeoutError, aiohttp.ClientError, OSError):
                    if 200 <= status <= 299:  # Telegram took the message; only the answer was lost
                        return Sent(None)
                    raise
                return outcome(status, payload)
        except TimeoutError:  # aiohttp's own timeouts are TimeoutError too
            return Transient("timeout")
        except (aiohttp.ClientError, OSError) as exc:  # the class only: the text may hold the URL
            return Transient(f"network error: {type(exc).__name__}")


def _env_proxy(url: URL) -> tuple[URL | None, aiohttp.BasicAuth | None]:
    """The proxy HTTP_PROXY / HTTPS_PROXY (or ALL_PROXY) name for `url`, unless NO_PROXY exempts its host;
    credentials in the proxy URL become its auth, as aiohttp's trust_env does."""
    raw = getproxies().get(url.scheme) or getproxies().get("all")
    if not raw or (url.host is not None and proxy_bypass(url.host)):
        return None, None
    proxy = URL(raw if "://" in raw else f"http://{raw}")
    if proxy.scheme != "http":  # aiohttp takes proxies from the environment only over plain HTTP
        log.warning("ignoring the %s proxy from the environment: only http:// proxies are supported", proxy.scheme)
        return None, None
    return proxy.with_user(None), aiohttp.BasicAuth.from_url(proxy)


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


# The head of a successful sendMessage answer, as Telegram writes it: the
# message id is the result's first field. The rest (the whole message, its
# text and entities echoed back: most of the answer) is not parsed for it.
_SENT_HEAD = re.compile(rb'\s*\{\s*"ok"\s*:\s*true\s*,\s*"result"\s*:\s*\{\s*"message_id"\s*:\s*(\d{1,19})\s*[,}]')


def outcome(status: int, payload: bytes) -> Outcome:
    """What Telegram's answer means for the outbox. Pure."""
    if 200 <= status <= 299 and (head := _SENT_HEAD.match(payload)):
        return Sent(int(head[1]))
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
