"""A fake Telegram Bot API server for end-to-end tests.

It speaks the real Bot API over HTTP on 127.0.0.1, so the real python-telegram-bot
client can be pointed at it with ``base_url=fake.base_url``.  Tests inject user
updates (messages, button presses), inspect what the bot sent, and inject faults
(429/403/migrations/...) to exercise the bot's error handling.  It is deliberately
strict where Telegram is strict (HTML entities, message length, flood limits), so
bugs that would only show up in production fail here instead.

Only the standard library is used so the fake cannot drift with a dependency.
"""

from __future__ import annotations

import copy
import email.parser
import email.policy
import json
import math
import re
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

__all__ = ["FakeTelegram", "HtmlParseError", "SentMessage", "parse_html", "utf16_len"]

JSON = dict[str, Any]

MAX_MESSAGE_UTF16 = 4096
FAULT_KINDS = frozenset({"429", "403", "400_not_found", "migrate", "500", "slow", "garbage_2xx"})
# "garbage_2xx": the message is accepted (recorded in ``sent``) but the answer is
# HTTP 200 with a body the client cannot parse (``body=`` picks it; default below).
GARBAGE_2XX_BODY = b'{"ok": true, "result": {"message_id": '


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class SentMessage:
    """One sendMessage (or, with ``edited=True``, editMessageText) the bot made."""

    chat_id: int
    message_id: int
    text: str  # exactly as the bot sent it (HTML included); see ``plain``
    parse_mode: str | None
    reply_markup: JSON | None
    message_thread_id: int | None
    at: float  # time.monotonic() when the fake accepted it
    edited: bool = False
    disable_notification: bool = False  # sent without a sound
    link_preview_options: JSON | None = None  # as sent (None: not sent, Telegram shows a preview)

    @property
    def plain(self) -> str:
        """The text a user would see (tags stripped, entities decoded)."""
        return render_text(self.text, self.parse_mode)[0]

    @property
    def callback_data(self) -> list[str]:
        """callback_data of every inline button, row by row."""
        return _callback_data(self.reply_markup)


class _ApiError(Exception):
    """An error answer, shaped exactly like Telegram's JSON error body."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad_request(reason: str) -> _ApiError:
    return _ApiError(400, f"Bad Request: {reason}")


def _too_many_requests(retry_after: int) -> _ApiError:
    return _ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})


@dataclass
class _Fault:
    chat_id: int | None
    kind: str
    times: int
    retry_after: int
    migrate_to: int | None
    delay: float
    body: bytes | None = None  # "garbage_2xx": the raw 200 body

    def matches(self, chat_id: int) -> bool:
        return self.chat_id is None or self.chat_id == chat_id

    def error(self) -> _ApiError:
        if self.kind == "429":
            return _too_many_requests(self.retry_after)
        if self.kind == "403":
            return _ApiError(403, "Forbidden: bot was blocked by the user")
        if self.kind == "400_not_found":
            return _bad_request("chat not found")
        if self.kind == "migrate":
            return _ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self.migrate_to},
            )
        return _ApiError(500, "Internal Server Error")


# --------------------------------------------------------------------------- HTML


class HtmlParseError(ValueError):
    """Telegram would answer "Bad Request: can't parse entities: <message>"."""


def utf16_len(text: str) -> int:
    """Telegram measures lengths and entity offsets in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


# Telegram's HTML mode is a tiny grammar, not real HTML; html.parser is too lenient
# for it (it silently swallows "</>" and a trailing "&T"), so tokenise it ourselves.
_ATTR = r"""[^\s=>/"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?"""
_HTML_TOKEN = re.compile(
    r"(?P<entity>&(?:\#[0-9]+|\#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);)"
    r"|(?P<end></(?P<end_name>[a-zA-Z][a-zA-Z0-9-]*)\s*>)"
    rf"|(?P<start><(?P<start_name>[a-zA-Z][a-zA-Z0-9-]*)(?P<attrs>(?:\s+{_ATTR})*)\s*>)"
    r"|(?P<special>[<&])"
)
_ATTR_ITEM = re.compile(r"""([^\s=>/"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>"']+))?""")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic",
    "u": "underline", "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "span": "spoiler", "tg-spoiler": "spoiler", "a": "text_link",
    "code": "code", "pre": "pre", "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}  # fmt: skip


def _decode_entity(entity: str) -> str | None:
    """Decode one ``&...;``; None when Telegram would not accept it."""
    body = entity[1:-1]
    if not body.startswith("#"):
        return _NAMED_ENTITIES.get(body)
    code = int(body[2:], 16) if body[1:2] in ("x", "X") else int(body[1:])
    if code <= 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


@dataclass
class _OpenTag:
    tag: str
    entity: JSON
    order: int
    language: str | None = None  # <code class="language-x"> inside <pre>


class _HtmlRenderer:
    """Turns Telegram HTML into (visible text, entities) or raises HtmlParseError."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.utf16 = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[tuple[int, JSON]] = []
        self.opened = 0

    def run(self) -> tuple[str, list[JSON]]:
        pos = 0
        for match in _HTML_TOKEN.finditer(self.source):
            self._text(self.source[pos : match.start()])
            self._token(match)
            pos = match.end()
        self._text(self.source[pos:])
        if self.stack:
            raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"')
        ordered = sorted(self.entities, key=lambda item: (item[1]["offset"], -item[1]["length"], item[0]))
        return "".join(self.parts), [entity for _, entity in ordered]

    def _byte_offset(self, pos: int) -> int:
        # Telegram reports positions as UTF-8 byte offsets into the sent text.
        return len(self.source[:pos].encode("utf-8"))

    def _text(self, chunk: str) -> None:
        self.parts.append(chunk)
        self.utf16 += utf16_len(chunk)

    def _token(self, match: re.Match[str]) -> None:
        where = self._byte_offset(match.start())
        if match.group("entity"):
            self._entity(match.group("entity"), where)
        elif match.group("end"):
            self._end(match.group("end_name").lower(), where)
        elif match.group("start"):
            self._start(match.group("start_name").lower(), match.group("attrs"), where)
        elif match.group("special") == "<":
            raise HtmlParseError(f"Unexpected character '<' at byte offset {where}; escape it as &lt;")
        else:
            raise HtmlParseError(f"Unexpected character '&' at byte offset {where}; escape it as &amp;")

    def _entity(self, entity: str, where: int) -> None:
        decoded = _decode_entity(entity)
        if decoded is None:
            raise HtmlParseError(f'Unsupported HTML entity "{entity}" at byte offset {where}')
        self._text(decoded)

    def _attrs(self, raw: str, where: int) -> dict[str, str]:
        attrs: dict[str, str] = {}
        for name, value in _ATTR_ITEM.findall(raw):
            value = value[1:-1] if value[:1] in ("'", '"') else value
            attrs[name.lower()] = _decode_attr(value, where)
        return attrs

    def _start(self, tag: str, raw_attrs: str, where: int) -> None:
        if tag not in _TAG_TYPES:
            raise HtmlParseError(f'Unsupported start tag "{tag}" at byte offset {where}')
        attrs = self._attrs(raw_attrs, where)
        entity: JSON = {"type": _TAG_TYPES[tag], "offset": self.utf16, "length": 0}
        opened = _OpenTag(tag, entity, self.opened)
        self.opened += 1
        _apply_tag_attrs(opened, attrs, where, self.stack[-1] if self.stack else None)
        self.stack.append(opened)

    def _end(self, tag: str, where: int) -> None:
        if not self.stack:
            raise HtmlParseError(f'Unexpected end tag "{tag}" at byte offset {where}')
        top = self.stack[-1]
        if top.tag != tag:
            raise HtmlParseError(
                f'Unmatched end tag at byte offset {where}, expected "</{top.tag}>", found "</{tag}>"'
            )
        self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        if top.language and parent is not None and parent.tag == "pre":
            # Telegram folds <pre><code class="language-x"> into one pre entity.
            parent.entity["language"] = top.language
            return
        top.entity["length"] = self.utf16 - top.entity["offset"]
        if top.entity["length"] > 0:  # Telegram drops empty entities
            self.entities.append((top.order, top.entity))


def _decode_attr(value: str, where: int) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group("entity"):
            decoded = _decode_entity(match.group("entity"))
            if decoded is not None:
                return decoded
        if match.group(0) == "<" or match.group("start") or match.group("end"):
            return match.group(0)  # '<' is harmless inside a quoted attribute
        raise HtmlParseError(f"Unexpected character '&' in an attribute at byte offset {where}")

    return _HTML_TOKEN.sub(replace, value)


def _apply_tag_attrs(opened: _OpenTag, attrs: dict[str, str], where: int, parent: _OpenTag | None) -> None:
    """Check the attributes each tag needs and copy them onto the entity."""
    tag, entity = opened.tag, opened.entity
    if tag == "span" and attrs.get("class") != "tg-spoiler":
        raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {where}')
    if tag == "a":
        if not attrs.get("href"):
            raise HtmlParseError(f'Tag "a" must have non-empty attribute "href" at byte offset {where}')
        entity["url"] = attrs["href"]
    if tag == "tg-emoji":
        if not attrs.get("emoji-id"):
            raise HtmlParseError(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {where}')
        entity["custom_emoji_id"] = attrs["emoji-id"]
    if tag == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    language = attrs.get("class", "")
    if tag == "code" and parent is not None and parent.tag == "pre" and language.startswith("language-"):
        opened.language = language.removeprefix("language-")


def parse_html(text: str) -> tuple[str, list[JSON]]:
    """Parse Telegram-flavoured HTML into (visible text, MessageEntity dicts)."""
    return _HtmlRenderer(text).run()


def render_text(text: str, parse_mode: str | None) -> tuple[str, list[JSON]]:
    """Visible text + entities; MarkdownV2/Markdown are passed through unparsed."""
    if parse_mode is not None and parse_mode.lower() == "html":
        return parse_html(text)
    return text, []


# --------------------------------------------------------------------------- params

# Parameters that are plain strings on the wire; everything else PTB JSON-encodes
# (ints, bools, reply_markup, ...), so those are decoded with json.loads.
_STRING_PARAMS = frozenset(
    {
        "text", "caption", "parse_mode", "callback_query_id", "language_code", "url",
        "title", "description", "short_description", "name", "query", "emoji", "action",
        "inline_message_id", "business_connection_id", "secret_token", "data",
        "message_effect_id", "custom_title", "question", "invite_link", "file_id",
    }
)  # fmt: skip


def _decode_form(pairs: list[tuple[str, str]]) -> JSON:
    params: JSON = {}
    for key, value in pairs:
        params[key] = value if key in _STRING_PARAMS else _maybe_json(value)
    return params


def _maybe_json(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value  # e.g. chat_id="@channel"


def _parse_multipart(body: bytes, content_type: str) -> list[tuple[str, str]]:
    """Form fields of a multipart body; uploaded files become a short placeholder."""
    raw = b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
    pairs: list[tuple[str, str]] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        value = f"<file {filename} {len(payload)} bytes>" if filename else payload.decode("utf-8")
        pairs.append((str(name), value))
    return pairs


def _int_param(params: JSON, key: str, *, missing: str) -> int:
    value = params.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad_request(missing)
    return value


def _opt_int(params: JSON, key: str) -> int | None:
    value = params.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# --------------------------------------------------------------------------- markup


_BUTTON_ACTIONS = (
    "callback_data", "url", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
    "copy_text", "callback_game", "pay",
)  # fmt: skip


def _check_markup(markup: Any) -> JSON | None:
    """Validate reply_markup like Telegram does for the mistakes bots really make."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise _bad_request("can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard") or []:
        for button in row:
            _check_inline_button(button)
    return markup


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not button.get("text"):
        raise _bad_request("can't parse inline keyboard button: Text must be non-empty")
    if not any(key in button for key in _BUTTON_ACTIONS):
        raise _bad_request("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
    data = button.get("callback_data")
    # 64 *bytes*: Arabic callback_data overflows this quickly.
    if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
        raise _bad_request("BUTTON_DATA_INVALID")


def _callback_data(markup: JSON | None) -> list[str]:
    rows = (markup or {}).get("inline_keyboard") or []
    return [button["callback_data"] for row in rows for button in row if "callback_data" in button]


# --------------------------------------------------------------------------- rate limits


def _whole_seconds(seconds: float) -> int:
    """Telegram's retry_after is a whole number of seconds, never 0."""
    return max(1, math.ceil(seconds))


class _RateLimiter:
    """Telegram's documented flood limits; a limit of 0/None is switched off."""

    def __init__(self, per_second: float | None, per_chat: float | None, group_per_minute: int | None) -> None:
        self.per_second = per_second or 0
        self.per_chat = per_chat or 0
        self.group_per_minute = group_per_minute or 0
        self.recent: deque[float] = deque()
        self.last_to_chat: dict[int, float] = {}
        self.group_recent: dict[int, deque[float]] = {}

    def check(self, chat_id: int, now: float) -> int | None:
        """retry_after if this send breaks a limit; otherwise record it and return None."""
        waits = [self._global_wait(now), self._chat_wait(chat_id, now), self._group_wait(chat_id, now)]
        wait = max((w for w in waits if w is not None), default=None)
        if wait is not None:
            return _whole_seconds(wait)
        self._record(chat_id, now)
        return None

    def _global_wait(self, now: float) -> float | None:
        _expire(self.recent, now - 1.0)
        if self.per_second and len(self.recent) >= self.per_second:
            return self.recent[0] + 1.0 - now
        return None

    def _chat_wait(self, chat_id: int, now: float) -> float | None:
        last = self.last_to_chat.get(chat_id)
        if not self.per_chat or last is None:
            return None
        interval = 1.0 / self.per_chat
        tolerance = min(0.05, interval / 10)  # absorbs clock jitter without allowing bursts
        return last + interval - now if now - last < interval - tolerance else None

    def _group_wait(self, chat_id: int, now: float) -> float | None:
        if chat_id >= 0 or not self.group_per_minute:
            return None
        recent = self.group_recent.setdefault(chat_id, deque())
        _expire(recent, now - 60.0)
        return recent[0] + 60.0 - now if len(recent) >= self.group_per_minute else None

    def _record(self, chat_id: int, now: float) -> None:
        self.recent.append(now)
        self.last_to_chat[chat_id] = now
        if chat_id < 0:
            self.group_recent.setdefault(chat_id, deque()).append(now)


def _expire(times: deque[float], cutoff: float) -> None:
    while times and times[0] <= cutoff:
        times.popleft()


# --------------------------------------------------------------------------- misc JSON builders

_ADMIN_RIGHTS: JSON = {
    "can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
    "can_delete_messages": True, "can_manage_video_chats": True, "can_restrict_members": True,
    "can_promote_members": False, "can_change_info": True, "can_invite_users": True,
    "can_post_stories": False, "can_edit_stories": False, "can_delete_stories": False,
    "can_pin_messages": True,
}  # fmt: skip

_BOT_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")


def _command_entities(text: str) -> list[JSON]:
    # Telegram only marks latin /commands; "/ابدأ" stays plain text.
    match = _BOT_COMMAND.match(text)
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group())}] if match else []


def _scope_key(scope: Any) -> str:
    if not isinstance(scope, dict):
        return "default"
    extra = [str(scope[k]) for k in ("chat_id", "user_id") if k in scope]
    return ":".join([str(scope.get("type", "default")), *extra])


# --------------------------------------------------------------------------- HTTP plumbing


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    # HTTP/1.0 closes every connection, so stop() never waits on idle keep-alives.
    protocol_version = "HTTP/1.0"
    timeout = 30  # a client that connects and never sends must not pin a thread forever

    def do_POST(self) -> None:
        self.server.fake._serve(self)

    do_GET = do_POST

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep pytest output readable


class _KeepAliveHandler(_Handler):
    # FakeTelegram(keep_alive=True): HTTP/1.1 connections stay open between requests, as
    # Telegram's do (benchmarks; stop() does not wait for them: daemon threads).
    protocol_version = "HTTP/1.1"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512  # many concurrent sends: the default backlog of 5 resets connections
    block_on_close = False  # long polls are woken by stop(); don't join stragglers

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        # FakeTelegram(port=N) binds a chosen port (e.g. one a bot is already retrying).
        handler = _KeepAliveHandler if getattr(fake, "_keep_alive", False) else _Handler
        super().__init__(("127.0.0.1", getattr(fake, "_bind_port", 0)), handler)


def _say_close(handler: BaseHTTPRequestHandler) -> None:
    """On a keep-alive connection that will be closed after this answer, tell the client (as servers do)."""
    if handler.close_connection and handler.protocol_version == "HTTP/1.1":
        handler.send_header("Connection", "close")


def _write_json(handler: BaseHTTPRequestHandler, status: int, payload: JSON) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    try:
        handler.send_response(status)
        _say_close(handler)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    except ConnectionError:
        pass  # client gave up (e.g. PTB cancelled a long poll at shutdown)


def _write_raw(handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str = "application/json") -> None:
    try:
        handler.send_response(status)
        _say_close(handler)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    except ConnectionError:
        pass


def _read_params(handler: BaseHTTPRequestHandler, query: str) -> JSON:
    params = _decode_form(parse_qsl(query, keep_blank_values=True))
    length = int(handler.headers.get("Content-Length") or 0)
    body = handler.rfile.read(length) if length else b""
    content_type = handler.headers.get("Content-Type") or ""
    if not body:
        return params
    if content_type.startswith("application/json"):
        params.update(json.loads(body))  # JSON bodies are already typed
    elif content_type.startswith("multipart/form-data"):
        params.update(_decode_form(_parse_multipart(body, content_type)))
    else:
        params.update(_decode_form(parse_qsl(body.decode("utf-8"), keep_blank_values=True)))
    return params


def _not_found() -> _ApiError:
    return _ApiError(404, "Not Found")  # Telegram's answer to a bad token or method


# --------------------------------------------------------------------------- the fake


class FakeTelegram:
    """In-process Telegram Bot API; see the module docstring."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        rate_per_second: float | None = 30.0,
        per_chat_per_second: float | None = 1.0,
        group_per_minute: int | None = 20,
        *,
        port: int = 0,
        keep_alive: bool = False,
    ) -> None:
        self.token = token
        self._bind_port = port  # 0: any free port
        self._keep_alive = keep_alive  # HTTP/1.1 keep-alive instead of one connection per request
        self.bot_user: JSON = {
            "id": int(token.split(":")[0]) if token.split(":")[0].isdigit() else 123456,
            "is_bot": True,
            "first_name": "AjelBot",
            "username": "ajel_test_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        # One Condition guards all state and wakes long polls / waiters on any change.
        self._cond = threading.Condition()
        self._limiter = _RateLimiter(rate_per_second, per_chat_per_second, group_per_minute)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        # --- what the bot did (public, append-only; read under no lock is fine)
        self.sent: list[SentMessage] = []
        self.edits: list[SentMessage] = []
        self.deleted: list[tuple[int, int]] = []
        self.requests: list[tuple[str, JSON]] = []
        self.errors: list[tuple[str, JSON, int, str]] = []  # (method, params, code, description)
        self.answered_callbacks: list[JSON] = []
        self.commands: dict[str, list[JSON]] = {}  # default scope, keyed by language_code
        self.commands_by_scope: dict[tuple[str, str], list[JSON]] = {}
        self.count_429 = 0
        # --- internal state
        self._pending: list[JSON] = []
        self._next_update_id = 100_000
        self._next_callback_id = 1
        self._callback_ids: set[str] = set()
        self._message_ids: dict[int, int] = {}
        self._messages: dict[tuple[int, int], JSON] = {}  # bot messages as Telegram holds them
        self._chats: dict[int, JSON] = {}
        self._users: dict[int, JSON] = {}
        self._admins: dict[int, list[int]] = {}
        self._faults: list[_Fault] = []
        # setWebhook: where updates are POSTed instead of waiting for getUpdates, and each POST's status.
        self.webhook: JSON | None = None
        self.webhook_statuses: list[int] = []
        # fail_method(): per-method error answers, consumed in order (times=None: until cleared).
        self._method_faults: dict[str, list[list[Any]]] = {}
        # The HTTP status for a request whose token is not ours: Telegram answers 404 for a
        # malformed token and 401 "Unauthorized" for a well-formed one it does not know (revoked).
        self.unknown_token_status = 404
        self.unknown_token_requests = 0
        # Per request thread: the raw 200 body a "garbage_2xx" fault asked for.
        self._raw_answer = threading.local()
        self._methods: dict[str, Callable[[JSON], Any]] = {
            "getme": lambda _p: self.bot_user,
            "deletewebhook": self._delete_webhook,
            "setwebhook": self._set_webhook,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "close": lambda _p: True,
            "logout": lambda _p: True,
            "getupdates": self._get_updates,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "getchat": self._get_chat,
            "getchatadministrators": self._get_chat_administrators,
            "getchatmember": self._get_chat_member,
            "sendchataction": self._send_chat_action,
        }

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Bind 127.0.0.1 on a free port and serve from a daemon thread."""
        if self._server is not None:
            return
        self._stopping = False
        self._server = _Server(self)
        # A short poll interval keeps stop() (which waits one poll) fast in fixtures.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-telegram", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving; pending long polls are answered with [] right away."""
        if self._server is None:
            return
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeTelegram:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeTelegram is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # ------------------------------------------------------------------ injecting updates

    def send_user_message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        language_code: str = "ar",
        chat_type: str = "private",
        thread_id: int | None = None,
        is_admin: bool = True,
        first_name: str = "User",
    ) -> int:
        """Inject a message as if a user typed ``text``; returns its update_id."""
        uid = self._default_user_id(chat_id, user_id)
        with self._cond:
            user = self._remember_user(uid, first_name, language_code)
            chat = self._remember_chat(chat_id, chat_type, first_name, forum=thread_id is not None)
            self._note_admin(chat_id, uid, chat_type, is_admin)
            message = self._user_message(chat, user, text, thread_id)
        key = "channel_post" if chat_type == "channel" else "message"
        return self.inject_update({key: message})

    def press_button(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        *,
        user_id: int | None = None,
        language_code: str = "ar",
        chat_type: str = "private",
    ) -> int:
        """Inject a callback_query for a button on a message the bot sent."""
        uid = self._default_user_id(chat_id, user_id)
        with self._cond:
            message = self._bot_message_with_button(chat_id, message_id, data)
            known = self._users.get(uid, {})
            user = self._remember_user(uid, known.get("first_name", "User"), language_code)
            if chat_id not in self._chats and (chat_type == "private") == (chat_id > 0):
                self._remember_chat(chat_id, chat_type, user["first_name"], forum=False)
            query = {
                "id": str(self._next_callback_id),
                "from": user,
                "message": message,
                "chat_instance": f"instance{chat_id}",
                "data": data,
            }
            self._next_callback_id += 1
        return self.inject_update({"callback_query": query})

    def inject_update(self, update: JSON) -> int:
        """Queue a raw Update dict (update_id is assigned when missing)."""
        with self._cond:
            update = copy.deepcopy(update)
            update_id = int(update.setdefault("update_id", self._next_update_id))
            self._next_update_id = max(self._next_update_id, update_id + 1)
            query = update.get("callback_query")
            if isinstance(query, dict) and "id" in query:
                self._callback_ids.add(str(query["id"]))
            webhook = self.webhook
            if webhook is None:
                self._pending.append(update)
            self._cond.notify_all()
        if webhook is not None:  # as Telegram does: POST it to the bot, from elsewhere than the caller's loop
            threading.Thread(target=self._post_update, args=(webhook, update), daemon=True).start()
        return update_id

    def post_to_webhook(self, update: JSON, secret: str | None) -> int:
        """POST one update to the registered webhook with `secret` as the header; the HTTP status."""
        assert self.webhook is not None, "no webhook registered"
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        req = urllib.request.Request(self.webhook["url"], data=json.dumps(update).encode(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return int(resp.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)

    def _post_update(self, webhook: JSON, update: JSON) -> None:
        status = self.post_to_webhook(update, webhook.get("secret_token"))
        with self._cond:
            self.webhook_statuses.append(status)
            self._cond.notify_all()

    def _set_webhook(self, params: JSON) -> bool:
        with self._cond:
            self.webhook = {"url": str(params["url"]), "secret_token": params.get("secret_token")} if params.get("url") else None
        return True

    # ------------------------------------------------------------------ inspecting

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        with self._cond:
            return [m for m in self.sent if m.chat_id == chat_id]

    def calls(self, method: str) -> list[JSON]:
        with self._cond:
            return [params for name, params in self.requests if name.lower() == method.lower()]

    def wait_for_messages(self, chat_id: int, count: int, timeout: float = 10.0) -> list[SentMessage]:
        """Block until the bot has sent at least ``count`` messages to ``chat_id``."""
        with self._cond:
            done = self._cond.wait_for(lambda: len(self._sent_to(chat_id)) >= count, timeout)
            if done:
                return self._sent_to(chat_id)
            raise AssertionError(self._wait_report(chat_id, count, timeout))

    def wait_for_calls(self, method: str, count: int, timeout: float = 10.0) -> list[JSON]:
        """Block until ``method`` was called at least ``count`` times (any outcome)."""
        with self._cond:
            if self._cond.wait_for(lambda: len(self.calls(method)) >= count, timeout):
                return self.calls(method)
            raise AssertionError(
                f"expected >= {count} {method} calls within {timeout}s, got {len(self.calls(method))}; "
                f"last calls: {[name for name, _ in self.requests[-15:]]}"
            )

    def set_admins(self, chat_id: int, user_ids: list[int]) -> None:
        """Admins for getChatAdministrators/getChatMember; the first one is the creator."""
        with self._cond:
            self._admins[chat_id] = list(user_ids)

    def add_fault(
        self,
        chat_id: int | None,
        kind: str,
        *,
        times: int = 1,
        retry_after: int = 1,
        migrate_to: int | None = None,
        delay: float = 0.0,
    ) -> None:
        """Make the next ``times`` sendMessage calls to ``chat_id`` (None = any) fail."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(FAULT_KINDS)}")
        if kind == "migrate" and migrate_to is None:
            raise ValueError("a 'migrate' fault needs migrate_to")
        with self._cond:
            self._faults.append(_Fault(chat_id, kind, times, retry_after, migrate_to, delay))

    def add_garbage_fault(self, chat_id: int | None, *, times: int = 1, body: bytes = GARBAGE_2XX_BODY) -> None:
        """The next ``times`` sendMessage calls to ``chat_id`` are accepted (recorded in ``sent``)
        but answered HTTP 200 with ``body``, which the client cannot read."""
        self.add_fault(chat_id, "garbage_2xx", times=times)
        with self._cond:
            self._faults[-1].body = body

    def fail_method(self, method: str, status: int, description: str | None = None, *, times: int | None = None) -> None:
        """Answer the next ``times`` calls of ``method`` (any case; None = every call until
        ``clear_method_faults``) with this HTTP error, before the method itself runs."""
        text = description or {400: "Bad Request: method is unavailable", 401: "Unauthorized", 404: "Not Found",
                               500: "Internal Server Error", 502: "Bad Gateway"}.get(status, "Error")
        with self._cond:
            self._method_faults.setdefault(method.lower(), []).append([status, text, times])

    def clear_method_faults(self, method: str | None = None) -> None:
        with self._cond:
            if method is None:
                self._method_faults.clear()
            else:
                self._method_faults.pop(method.lower(), None)

    def _take_method_fault(self, method: str) -> _ApiError | None:
        with self._cond:
            queue = self._method_faults.get(method.lower())
            if not queue:
                return None
            status, text, times = queue[0]
            if times is not None:
                queue[0][2] = times - 1
                if times - 1 <= 0:
                    queue.pop(0)
            return _ApiError(status, text)

    # ------------------------------------------------------------------ HTTP entry point

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        token, _, method = split.path.removeprefix("/bot").partition("/")
        if split.path.startswith("/bot") and method and token != self.token:
            with self._cond:
                self.unknown_token_requests += 1
                self._cond.notify_all()
            if self.unknown_token_status == 401:
                handler.close_connection = True  # the body was not read: the connection cannot go on
                _write_json(handler, 401, _ApiError(401, "Unauthorized").payload())
                return
        if not split.path.startswith("/bot") or token != self.token or not method:
            handler.close_connection = True
            _write_json(handler, 404, _not_found().payload())
            return
        try:
            params = _read_params(handler, split.query)
        except (ValueError, UnicodeDecodeError):
            _write_json(handler, 400, _bad_request("can't parse request body").payload())
            return
        with self._cond:
            self.requests.append((method, params))
            self._cond.notify_all()
        self._raw_answer.body = None
        status, payload = self._call(method, params)
        raw, self._raw_answer.body = self._raw_answer.body, None
        if raw is not None and status == 200:
            _write_raw(handler, 200, raw)
            return
        _write_json(handler, status, payload)

    def _call(self, method: str, params: JSON) -> tuple[int, JSON]:
        impl = self._methods.get(method.lower())  # Telegram ignores method-name case
        method_fault = self._take_method_fault(method)
        if method_fault is not None:
            return self._failed(method, params, method_fault)
        try:
            if impl is None:
                raise _not_found()
            return 200, {"ok": True, "result": impl(params)}
        except _ApiError as error:
            return self._failed(method, params, error)
        except Exception as exc:  # noqa: BLE001 - a bug in the fake must surface, not hang the bot
            return self._failed(method, params, _ApiError(500, f"Internal Server Error: fake crashed: {exc!r}"))

    def _failed(self, method: str, params: JSON, error: _ApiError) -> tuple[int, JSON]:
        with self._cond:
            self.errors.append((method, params, error.code, error.description))
            self._cond.notify_all()
        return error.code, error.payload()

    # ------------------------------------------------------------------ methods: updates

    def _get_updates(self, params: JSON) -> list[JSON]:
        offset = _opt_int(params, "offset")
        limit = min(max(_opt_int(params, "limit") or 100, 1), 100)
        timeout = float(params.get("timeout") or 0)
        with self._cond:
            self._confirm(offset)
            self._cond.wait_for(lambda: bool(self._pending) or self._stopping, timeout)
            return copy.deepcopy(self._pending[:limit])

    def _confirm(self, offset: int | None) -> None:
        """Forget updates below ``offset`` (negative: keep only the last -offset)."""
        if offset is None:
            return
        if offset < 0:
            self._pending = self._pending[offset:]
        else:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]

    def _delete_webhook(self, params: JSON) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates") is True:
            with self._cond:
                self._pending.clear()
        return True

    # ------------------------------------------------------------------ methods: commands

    def _set_my_commands(self, params: JSON) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad_request("can't parse commands JSON object")
        for command in commands:
            _check_command(command)
        language = str(params.get("language_code") or "")
        scope = _scope_key(params.get("scope"))
        with self._cond:
            self.commands_by_scope[(scope, language)] = commands
            if scope == "default":
                self.commands[language] = commands
        return True

    def _get_my_commands(self, params: JSON) -> list[JSON]:
        key = (_scope_key(params.get("scope")), str(params.get("language_code") or ""))
        with self._cond:
            return self.commands_by_scope.get(key, [])

    def _delete_my_commands(self, params: JSON) -> bool:
        key = (_scope_key(params.get("scope")), str(params.get("language_code") or ""))
        with self._cond:
            self.commands_by_scope.pop(key, None)
            if key[0] == "default":
                self.commands.pop(key[1], None)
        return True

    # ------------------------------------------------------------------ methods: messages

    def _send_message(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        self._apply_fault(chat_id)  # faults win over validation and flood limits
        plain, entities = _render_checked(params.get("text"), params.get("parse_mode"))
        markup = _check_markup(params.get("reply_markup"))
        thread_id = _opt_int(params, "message_thread_id")
        with self._cond:
            self._check_flood(chat_id)
            message = self._store_bot_message(chat_id, plain, entities, markup, thread_id)
            self.sent.append(self._record(params, message, edited=False))
            self._cond.notify_all()
        return message

    def _edit_message_text(self, params: JSON) -> JSON:
        chat_id, message_id = self._chat_id(params), self._message_id(params)
        plain, entities = _render_checked(params.get("text"), params.get("parse_mode"))
        markup = _check_markup(params.get("reply_markup"))
        with self._cond:
            message = self._editable(chat_id, message_id)
            # Editing without reply_markup removes the inline keyboard, as on Telegram.
            _edit(message, {"text": plain, "entities": entities, "reply_markup": _inline_only(markup)})
            self.edits.append(self._record(params, message, edited=True))
            self._cond.notify_all()
            return copy.deepcopy(message)

    def _edit_message_reply_markup(self, params: JSON) -> JSON:
        chat_id, message_id = self._chat_id(params), self._message_id(params)
        markup = _check_markup(params.get("reply_markup"))
        with self._cond:
            message = self._editable(chat_id, message_id)
            _edit(message, {"reply_markup": _inline_only(markup)})
            return copy.deepcopy(message)

    def _delete_message(self, params: JSON) -> bool:
        chat_id, message_id = self._chat_id(params), self._message_id(params)
        with self._cond:
            if self._messages.pop((chat_id, message_id), None) is None:
                raise _bad_request("message to delete not found")
            self.deleted.append((chat_id, message_id))
        return True

    def _answer_callback_query(self, params: JSON) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        with self._cond:
            if query_id not in self._callback_ids:
                raise _bad_request("query is too old and response timeout expired or query ID is invalid")
            self.answered_callbacks.append(params)
            self._cond.notify_all()
        return True

    def _send_chat_action(self, params: JSON) -> bool:
        self._chat_id(params)
        if not params.get("action"):
            raise _bad_request("action is empty")
        return True

    # ------------------------------------------------------------------ methods: chats

    def _get_chat(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        with self._cond:
            chat = dict(self._chat_obj(chat_id))
        # Fields PTB 22's ChatFullInfo requires.
        chat.update({"accent_color_id": 0, "max_reaction_count": 11})
        chat["accepted_gift_types"] = dict.fromkeys(
            ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription", "gifts_from_channels"),
            False,
        )
        return chat

    def _get_chat_administrators(self, params: JSON) -> list[JSON]:
        chat_id = self._chat_id(params)
        with self._cond:
            if self._chat_obj(chat_id)["type"] == "private":
                raise _bad_request("there are no administrators in the private chat")
            return [self._member(chat_id, uid) for uid in self._admins.get(chat_id, [])]

    def _get_chat_member(self, params: JSON) -> JSON:
        chat_id = self._chat_id(params)
        user_id = _int_param(params, "user_id", missing="user not found")
        with self._cond:
            return self._member(chat_id, user_id)

    # ------------------------------------------------------------------ helpers (call with lock held where noted)

    def _chat_id(self, params: JSON) -> int:
        if params.get("chat_id") in (None, ""):
            raise _bad_request("chat_id is empty")
        # "@username" chats are not modelled; Telegram says the same for unknown ones.
        return _int_param(params, "chat_id", missing="chat not found")

    def _message_id(self, params: JSON) -> int:
        if params.get("inline_message_id"):
            raise _bad_request("MESSAGE_ID_INVALID")  # inline messages are not modelled
        return _int_param(params, "message_id", missing="message identifier is not specified")

    def _apply_fault(self, chat_id: int) -> None:
        fault = self._take_fault(chat_id)
        if fault is None:
            return
        if fault.kind == "slow":
            time.sleep(fault.delay)  # outside the lock so other chats keep flowing
            return
        if fault.kind == "garbage_2xx":
            self._raw_answer.body = fault.body or GARBAGE_2XX_BODY  # the send goes on and is recorded
            return
        if fault.kind == "429":
            with self._cond:
                self.count_429 += 1
        raise fault.error()

    def _take_fault(self, chat_id: int) -> _Fault | None:
        with self._cond:
            fault = next((f for f in self._faults if f.matches(chat_id)), None)
            if fault is not None:
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
            return fault

    def _check_flood(self, chat_id: int) -> None:
        """Lock held. Raise a 429 if this send would break a flood limit."""
        retry_after = self._limiter.check(chat_id, time.monotonic())
        if retry_after is not None:
            self.count_429 += 1
            raise _too_many_requests(retry_after)

    def _next_message_id(self, chat_id: int) -> int:
        """Lock held. Message ids grow per chat and are shared by bot and users."""
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    def _store_bot_message(
        self, chat_id: int, plain: str, entities: list[JSON], markup: JSON | None, thread_id: int | None
    ) -> JSON:
        """Lock held. Build the Message Telegram would return and remember it."""
        message: JSON = {
            "message_id": self._next_message_id(chat_id),
            "from": self.bot_user,
            "chat": self._chat_obj(chat_id),
            "date": int(time.time()),
            "text": plain,
        }
        _set_fields(message, {"entities": entities, "reply_markup": _inline_only(markup)})
        if thread_id is not None:
            message.update({"message_thread_id": thread_id, "is_topic_message": True})
        self._messages[(chat_id, message["message_id"])] = message
        return copy.deepcopy(message)

    def _record(self, params: JSON, message: JSON, *, edited: bool) -> SentMessage:
        return SentMessage(
            chat_id=message["chat"]["id"],
            message_id=message["message_id"],
            text=str(params.get("text")),
            parse_mode=params.get("parse_mode"),
            reply_markup=params.get("reply_markup"),
            message_thread_id=_opt_int(params, "message_thread_id"),
            at=time.monotonic(),
            edited=edited,
            disable_notification=bool(params.get("disable_notification")),
            link_preview_options=params.get("link_preview_options") if isinstance(params.get("link_preview_options"), dict) else None,
        )

    def _editable(self, chat_id: int, message_id: int) -> JSON:
        """Lock held. The stored bot message, or the errors Telegram gives."""
        message = self._messages.get((chat_id, message_id))
        if message is None:
            raise _bad_request("message to edit not found")
        return message

    def _bot_message_with_button(self, chat_id: int, message_id: int, data: str) -> JSON:
        """Lock held. A copy of the bot's message, checked to carry that button."""
        message = self._messages.get((chat_id, message_id))
        if message is None:
            known = sorted(mid for cid, mid in self._messages if cid == chat_id)
            raise AssertionError(f"bot sent no message {message_id} to chat {chat_id}; it sent {known}")
        buttons = _callback_data(message.get("reply_markup"))
        if data not in buttons:
            raise AssertionError(f"message {message_id} in chat {chat_id} has no button {data!r}; has {buttons}")
        return copy.deepcopy(message)

    def _user_message(self, chat: JSON, user: JSON, text: str, thread_id: int | None) -> JSON:
        """Lock held. A Message as a user's client would produce it."""
        message: JSON = {
            "message_id": self._next_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
            "text": text,
        }
        if chat["type"] == "channel":
            message["sender_chat"] = chat  # channel posts have no "from"
        else:
            message["from"] = user
        entities = _command_entities(text)
        if entities:
            message["entities"] = entities
        if thread_id is not None:
            message.update({"message_thread_id": thread_id, "is_topic_message": True})
        return message

    @staticmethod
    def _default_user_id(chat_id: int, user_id: int | None) -> int:
        # In a private chat the chat id *is* the user id.
        if user_id is not None:
            return user_id
        return chat_id if chat_id > 0 else 777_000_001

    def _remember_user(self, user_id: int, first_name: str, language_code: str) -> JSON:
        user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language_code}
        self._users[user_id] = user
        return dict(user)

    def _remember_chat(self, chat_id: int, chat_type: str, first_name: str, *, forum: bool) -> JSON:
        chat = self._chats.get(chat_id)
        if chat is None or chat["type"] != chat_type:
            chat = {"id": chat_id, "type": chat_type}
            if chat_type == "private":
                chat["first_name"] = first_name
            else:
                chat["title"] = f"Test {chat_type} {chat_id}"
            self._chats[chat_id] = chat
        if forum and chat_type == "supergroup":
            chat["is_forum"] = True
        return dict(chat)

    def _chat_obj(self, chat_id: int) -> JSON:
        """Lock held. A known chat, or one inferred from the id's shape."""
        if chat_id in self._chats:
            return dict(self._chats[chat_id])
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "User"}
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": f"Test {kind} {chat_id}"}

    def _note_admin(self, chat_id: int, user_id: int, chat_type: str, is_admin: bool) -> None:
        if chat_type not in ("group", "supergroup"):
            return
        admins = self._admins.setdefault(chat_id, [])
        if is_admin and user_id not in admins:
            admins.append(user_id)
        elif not is_admin and user_id in admins:
            admins.remove(user_id)

    def _member(self, chat_id: int, user_id: int) -> JSON:
        """Lock held. ChatMember JSON; the first admin listed is the creator."""
        user = dict(self._users.get(user_id) or {"id": user_id, "is_bot": False, "first_name": "User"})
        if user_id == self.bot_user["id"]:
            user = dict(self.bot_user)
        admins = self._admins.get(chat_id, [])
        if admins and admins[0] == user_id:
            return {"status": "creator", "user": user, "is_anonymous": False}
        if user_id in admins:
            return {"status": "administrator", "user": user, **_ADMIN_RIGHTS}
        return {"status": "member", "user": user}

    def _sent_to(self, chat_id: int) -> list[SentMessage]:
        return [m for m in self.sent if m.chat_id == chat_id]

    def _wait_report(self, chat_id: int, count: int, timeout: float) -> str:
        got = self._sent_to(chat_id)
        errors = [(m, code, desc) for m, p, code, desc in self.errors if p.get("chat_id") == chat_id]
        return (
            f"expected >= {count} messages to chat {chat_id} within {timeout}s, got {len(got)}: "
            f"{[m.plain for m in got]}; errors for this chat: {errors[-10:]}; "
            f"429s so far: {self.count_429}; last calls: {[name for name, _ in self.requests[-15:]]}"
        )


# --------------------------------------------------------------------------- module helpers


def _render_checked(text: Any, parse_mode: Any) -> tuple[str, list[JSON]]:
    """Telegram's text checks: parse mode, entity parsing, emptiness, length."""
    if parse_mode not in (None, "") and str(parse_mode).lower() not in ("html", "markdown", "markdownv2"):
        raise _bad_request(f"unsupported parse_mode {parse_mode}")
    if not isinstance(text, str) or not text:
        raise _bad_request("message text is empty")
    try:
        plain, entities = render_text(text, parse_mode or None)
    except HtmlParseError as error:
        raise _bad_request(f"can't parse entities: {error}") from None
    if not plain.strip():
        raise _bad_request("message text is empty")
    if utf16_len(plain) > MAX_MESSAGE_UTF16:
        raise _bad_request("message is too long")
    return plain, entities


def _inline_only(markup: JSON | None) -> JSON | None:
    # Messages only echo inline keyboards; reply keyboards live on the client.
    return markup if markup and "inline_keyboard" in markup else None


def _set_fields(message: JSON, changes: JSON) -> None:
    """Apply field changes; None/empty removes the field, as Telegram omits it."""
    for key, value in changes.items():
        if value:
            message[key] = value
        else:
            message.pop(key, None)


def _edit(message: JSON, changes: JSON) -> None:
    """Apply an edit, refusing no-op edits exactly like Telegram does."""
    if all((message.get(key) or None) == (value or None) for key, value in changes.items()):
        raise _bad_request(
            "message is not modified: specified new message content and reply markup "
            "are exactly the same as a current content and reply markup of the message"
        )
    _set_fields(message, changes)
    message["edit_date"] = int(time.time())


def _check_command(command: Any) -> None:
    if not isinstance(command, dict) or not _COMMAND_NAME.fullmatch(str(command.get("command", ""))):
        raise _bad_request("BOT_COMMAND_INVALID")
    if not 1 <= len(str(command.get("description", ""))) <= 256:
        raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
