"""The lean send path for alerts: one HTTP request per message, nothing more.

python-telegram-bot builds request and response objects for every call:
about 3 ms of CPU per message, so one process could not send more than a few
hundred messages per second. Alerts need none of that: the body is plain
JSON, and the answer only matters for `ok`, `error_code`, `description` and
`parameters` (retry_after, migrate_to_chat_id). One shared HTTP client with
keep-alive serves every send. The conversation keeps using the library.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from bot.core.models import OutboxRow
from bot.delivery.worker import ChatGone, Migrated, Outcome, Rejected, RetryAfter, Sent, Transient

_CHAT_GONE = re.compile(
    r"chat not found|user is deactivated|bot was kicked|bot was blocked|not enough rights|have no rights|group chat was deleted",
    re.I,
)
_HEADERS = {"Content-Type": "application/json"}
TEXT_CACHE = 10_000


class HttpSender:
    def __init__(self, token: str, base_url: str, *, pool: int = 64, timeout: float = 15.0, paid_broadcast: bool = False) -> None:
        self._paid = paid_broadcast  # allow_paid_broadcast on every alert (telegram.limits.paid_broadcast)
        # The token is in the URL: never let it reach an error text (errors are stored in the outbox).
        self._url = f"{base_url}{token}/sendMessage"
        self._edit_url = f"{base_url}{token}/editMessageText"
        limits = httpx.Limits(max_connections=pool, max_keepalive_connections=pool, keepalive_expiry=60.0)
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=5.0), limits=limits)
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
        try:
            response = await self._client.post(self._url, content=self.body(row), headers=_HEADERS)
        except httpx.TimeoutException:
            return Transient("timeout")
        except httpx.HTTPError as exc:  # the message names the exception class only: its text may hold the URL
            return Transient(f"network error: {type(exc).__name__}")
        return outcome(response.status_code, response.content)

    async def edit(self, chat_id: int, message_id: int, html: str) -> Outcome:
        """Bring a sent alert up to date (a story's new outlet, fuller text, topics)."""
        payload = {"chat_id": chat_id, "message_id": message_id, "text": html, "parse_mode": "HTML",
                   "link_preview_options": {"is_disabled": True}}
        try:
            response = await self._client.post(self._edit_url, content=json.dumps(payload, ensure_ascii=False).encode(),
                                               headers=_HEADERS)
        except httpx.TimeoutException:
            return Transient("timeout")
        except httpx.HTTPError as exc:
            return Transient(f"network error: {type(exc).__name__}")
        return outcome(response.status_code, response.content)

    async def close(self) -> None:
        await self._client.aclose()


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
