"""Telegram's message limits, as Telegram counts them."""

from __future__ import annotations

import html
import re

MAX_MESSAGE_UNITS = 4096  # UTF-16 code units of the visible text
MAX_CALLBACK_DATA_BYTES = 64

_TAG = re.compile(r"<[^>]*>")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def visible_text(markup: str) -> str:
    """What Telegram shows (and counts) for an HTML-mode message."""
    return html.unescape(_TAG.sub("", markup))


def fits(markup: str, limit: int = MAX_MESSAGE_UNITS) -> bool:
    return 0 < utf16_len(visible_text(markup).strip()) <= limit
