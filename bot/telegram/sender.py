"""Sending one alert through python-telegram-bot, and what Telegram's answer means."""

from __future__ import annotations

import contextvars
import json
import re
from typing import Any

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.request import HTTPXRequest

from bot.core.models import OutboxRow
from bot.delivery.worker import ChatGone, Migrated, Outcome, Rejected, Sent, Transient
from bot.delivery.worker import RetryAfter as Wait

# Set by AcceptingRequest when Telegram answered 2xx, seen by the send awaiting it (same task).
_ACCEPTED: contextvars.ContextVar[bool] = contextvars.ContextVar("ajel_accepted", default=False)
_CHAT_GONE = re.compile(r"chat not found|user is deactivated|bot was kicked|bot was blocked|not enough rights|have no rights|group chat was deleted", re.I)


class AcceptedUnreadableError(TelegramError):
    """Telegram answered 2xx, so it took the message, but the body cannot be read."""


class AcceptingRequest(HTTPXRequest):
    """A 2xx answer means the message was accepted, even when its body is garbage.

    PTB would raise "Invalid server response" for such a body, and the row
    would be retried: the user would get the alert again every round.
    """

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        code, payload = await super().do_request(*args, **kwargs)
        if 200 <= code <= 299:
            _ACCEPTED.set(True)
        if 200 <= code <= 299 and not _readable(payload):
            raise AcceptedUnreadableError(f"HTTP {code} with an unreadable body")
        return code, payload


def _readable(payload: bytes) -> bool:
    try:
        data = json.loads(payload.decode("utf-8", "replace"))
    except ValueError:
        return False
    if not isinstance(data, dict) or data.get("ok") is not True or "result" not in data:
        return False
    result = data["result"]
    return not isinstance(result, dict) or "message_id" not in result or isinstance(result["message_id"], int)


def delivery_bot(token: str, base_url: str, *, pool: int = 64) -> Bot:
    """The bot that sends alerts: its own connection pool, and 2xx always counts as sent."""
    request = AcceptingRequest(connection_pool_size=pool, pool_timeout=10.0, read_timeout=15.0)
    return Bot(token, base_url=base_url, base_file_url=base_url.replace("/bot", "/file/bot"), request=request)


class TelegramSender:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, row: OutboxRow) -> Outcome:
        _ACCEPTED.set(False)
        try:
            message = await self.bot.send_message(
                chat_id=row.chat_id,
                text=row.html,
                parse_mode=ParseMode.HTML,
                message_thread_id=row.thread_id,
                link_preview_options=None if row.preview else LinkPreviewOptions(is_disabled=True),
                disable_notification=True if row.silent else None,
            )
        except AcceptedUnreadableError:
            return Sent(None)
        except RetryAfter as exc:
            return Wait(_seconds(exc))
        except ChatMigrated as exc:
            return Migrated(int(exc.new_chat_id))
        except Forbidden as exc:
            return ChatGone(exc.message)
        except BadRequest as exc:
            return ChatGone(exc.message) if _CHAT_GONE.search(exc.message) else Rejected(exc.message)
        except NetworkError as exc:  # includes TimedOut and 5xx answers
            return Transient(exc.message or type(exc).__name__)
        except TelegramError as exc:
            return Transient(exc.message or type(exc).__name__)
        except Exception:
            # A readable 2xx that PTB still cannot turn into a Message (KeyError,
            # TypeError...): Telegram took it, so it is sent; a retry would repeat it.
            if _ACCEPTED.get():
                return Sent(None)
            raise
        # A 2xx whose result is no Message at all ("result": true) is sent too.
        return Sent(getattr(message, "message_id", None))


def _seconds(exc: RetryAfter) -> float:
    # PTB 22 may give an int or a timedelta, depending on its deprecation settings.
    value = exc._retry_after if hasattr(exc, "_retry_after") else exc.retry_after
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)
