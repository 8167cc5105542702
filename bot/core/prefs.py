"""A chat's own settings (/settings) and the quiet-hours arithmetic. Pure.

Quiet hours are whole hours in the chat's time zone; a window may cross
midnight (23 → 7). Callers hand in `now` as a Unix timestamp.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.telegram_limits import split_message
from bot.core.texts import t

QUIET_SILENT = "silent"  # alerts during quiet hours come without a sound
QUIET_HOLD = "hold"  # alerts during quiet hours wait, and come as one summary when they end
QUIET_MODES = (QUIET_SILENT, QUIET_HOLD)

# The quiet-hours choices offered as buttons: (start hour, end hour).
QUIET_PRESETS: tuple[tuple[int, int], ...] = ((23, 7), (0, 6), (22, 8))

# Time zones offered as buttons, in this order (text key "zone.<IANA name>" names each).
ZONES: tuple[str, ...] = (
    "Asia/Riyadh", "Africa/Cairo", "Asia/Beirut", "Asia/Baghdad", "Asia/Dubai", "Africa/Casablanca",
    "Africa/Algiers", "Africa/Tunis", "Africa/Khartoum", "Asia/Amman", "Asia/Qatar", "Asia/Kuwait",
)


@dataclass(frozen=True, slots=True)
class ChatPrefs:
    """What a chat chose in /settings; the defaults are the bot's behaviour before /settings existed."""

    lang: str = "ar"
    lang_locked: bool = False  # set by a button: overrides the Telegram client's language
    timezone: str | None = None  # None: the operator's default
    quiet_start: int | None = None  # hour 0–23 in `timezone`; None: no quiet hours
    quiet_end: int | None = None
    quiet_mode: str = QUIET_SILENT
    silent: bool = False  # every alert without a sound
    previews: bool = False  # link previews under alerts
    lead: bool = True  # headline and lead; False: headline only
    ring: frozenset[str] = frozenset()  # topics (as written) whose alerts ring even during quiet hours

    @property
    def quiet(self) -> bool:
        return self.quiet_start is not None and self.quiet_end is not None and self.quiet_start != self.quiet_end


def valid_zone(name: str) -> str | None:
    """The IANA name when it is one (as zoneinfo spells it), else None."""
    name = name.strip()
    if not name or len(name) > 64 or name.startswith("/") or ".." in name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def local_minute(now: float, timezone: str) -> int:
    """Minutes since local midnight in `timezone`."""
    local = datetime.fromtimestamp(now, UTC).astimezone(ZoneInfo(timezone))
    return local.hour * 60 + local.minute


def in_window(minute: int, start_hour: int, end_hour: int) -> bool:
    """Whether a local time (minutes since midnight) falls in [start, end), the window possibly crossing midnight."""
    start, end = start_hour * 60, end_hour * 60
    if start == end:
        return False
    if start < end:
        return start <= minute < end
    return minute >= start or minute < end


def is_quiet(prefs: ChatPrefs, now: float, default_timezone: str) -> bool:
    if not prefs.quiet or prefs.quiet_start is None or prefs.quiet_end is None:
        return False
    return in_window(local_minute(now, prefs.timezone or default_timezone), prefs.quiet_start, prefs.quiet_end)


def hour_range(start: int, end: int) -> str:
    return f"{start:02d}:00–{end:02d}:00"


@dataclass(frozen=True, slots=True)
class HeldStory:
    """One alert held during quiet hours, as the summary lists it."""

    headline: str
    source: str
    link: str | None


def summary_messages(stories: list[HeldStory], lang: str) -> list[str]:
    """The end-of-quiet-hours summary: each story once, split into messages Telegram accepts."""
    seen: set[tuple[str, str | None]] = set()
    lines = []
    for s in stories:
        if (s.headline, s.link) in seen:
            continue
        seen.add((s.headline, s.link))
        line = f"• <b>{escape(s.headline)}</b> — {escape(s.source)}"
        if s.link and s.link.startswith(("http://", "https://")) and s.link.isprintable() and not any(c.isspace() for c in s.link):
            line += f' — <a href="{escape(s.link, quote=True)}">{t("summary.link", lang)}</a>'
        lines.append(line)
    if not lines:
        return []
    return split_message("\n".join([t("summary.header", lang, n=len(lines)), *lines]), max_parts=50)
