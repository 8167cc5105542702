"""The bot token never leaves the process: not in logs, tracebacks or error lines.

The token is part of every Bot API URL, so any exception or log line that
names a URL can carry it. Everything we print passes through `redact`:
the configured token itself, and anything shaped like a token.
"""

from __future__ import annotations

import logging
import os
import re

TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
# Telegram tokens: the bot's numeric id, a colon, ~35 URL-safe characters.
_TOKEN_SHAPE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")
MASK = "<token>"


def redact(text: str, token: str | None = None) -> str:
    token = token if token is not None else os.environ.get(TOKEN_ENV, "").strip()
    if token:
        text = text.replace(token, MASK)
    return _TOKEN_SHAPE.sub(MASK, text)


class RedactingFormatter(logging.Formatter):
    """Redacts the whole formatted record: message, arguments and traceback."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def install_log_redaction() -> None:
    for handler in logging.getLogger().handlers:
        fmt = handler.formatter
        handler.setFormatter(RedactingFormatter(fmt._fmt if fmt else None, fmt.datefmt if fmt else None))
