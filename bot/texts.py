"""Every user-facing string, in Arabic (default) and English.

Keeping them here lets a translator or editor review the bot's whole voice
in one file. Placeholders are filled with already-escaped HTML by callers.
"""

from __future__ import annotations

from typing import Final

DEFAULT_LANG: Final = "ar"

MONTHS: Final = {
    "ar": ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}

TEXTS: Final[dict[str, dict[str, str]]] = {
    "alert.header": {"ar": "🔴 <b>عاجل</b> | {source}", "en": "🔴 <b>BREAKING</b> | {source}"},
    "alert.read_more": {"ar": "اقرأ الخبر كاملًا", "en": "Read the full story"},
    "alert.time": {"ar": "🕒 {day} {month} {year}، {hm} ({tz})", "en": "🕒 {day} {month} {year}, {hm} ({tz})"},
    "alert.more_topics": {"ar": "و{n} غيرها", "en": "and {n} more"},
}


def lang_of(code: str | None) -> str:
    """Telegram language code → the language we speak: English for 'en*', else Arabic."""
    return "en" if code and code.lower().startswith("en") else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, /, **values: object) -> str:
    entry = TEXTS[key]
    template = entry.get(lang) or entry[DEFAULT_LANG]
    return template.format(**values) if values else template
