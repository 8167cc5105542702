"""Sending one alert through python-telegram-bot, and what Telegram's answer means."""

from __future__ import annotations

import re

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

from bot.core.models import OutboxRow
from bot.delivery.worker import ChatGone, Migrated, Outcome, Rejected, Sent, Transient
from bot.delivery.worker import RetryAfter as Wait

_CHAT_GONE = re.compile(r"chat not found|user is deactivated|bot was kicked|bot was blocked|not enough rights|have no rights|group chat was deleted", re.I)


class TelegramSender:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, row: OutboxRow) -> Outcome:
        try:
            message = await self.bot.send_message(
                chat_id=row.chat_id,
                text=row.html,
                parse_mode=ParseMode.HTML,
                message_thread_id=row.thread_id,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
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
        return Sent(message.message_id)


def _seconds(exc: RetryAfter) -> float:
    # PTB 22 may give an int or a timedelta, depending on its deprecation settings.
    value = exc._retry_after if hasattr(exc, "_retry_after") else exc.retry_after  # noqa: SLF001
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)
