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


def split_message(markup: str, limit: int = MAX_MESSAGE_UNITS, max_parts: int = 4) -> list[str]:
    """Cut a reply into messages Telegram accepts, at line breaks.

    Our templates open and close every tag on one line, so whole lines can be
    moved between messages safely. A single line too long for a message is
    shown as plain text, shortened. More than `max_parts` messages would flood
    the chat, so the rest is replaced by an ellipsis.
    """
    parts: list[str] = []
    current: list[str] = []
    for line in markup.split("\n"):
        if utf16_len(visible_text(line)) > limit:
            line = _shorten(line, limit)
        if current and not fits("\n".join([*current, line]), limit):
            parts.append("\n".join(current))
            current = []
        current.append(line)
    parts.append("\n".join(current))
    parts = [p for p in parts if p.strip()]
    if len(parts) > max_parts:
        parts = parts[:max_parts]
        parts[-1] = parts[-1] if fits(parts[-1] + "\n…", limit) else _shorten(parts[-1], limit - 2)
        parts[-1] += "\n…"
    return parts


def _shorten(line: str, limit: int) -> str:
    plain = visible_text(line)
    while utf16_len(plain) > limit - 1:
        plain = plain[: max(1, len(plain) - max(1, utf16_len(plain) - limit + 1))]
    return html.escape(plain, quote=False) + "…"
