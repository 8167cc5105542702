"""Inline-button payloads: built and parsed in one place.

Telegram hands callback data back verbatim, and anyone can forge it, so
parsing is strict: a known prefix, ASCII digits or hex of bounded length.
Anything else is an expired button, never an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.core.prefs import QUIET_PRESETS, ZONES

PressKind = Literal["preset", "remove", "follow", "cancel", "setting"]
_PREFIX: dict[PressKind, str] = {"preset": "p", "remove": "rm", "follow": "ok", "cancel": "no", "setting": "s"}
_KIND = {v: k for k, v in _PREFIX.items()}
_NUMBER = re.compile(r"[0-9]{1,12}")  # ASCII digits only: str.isdigit() also accepts «²» and «٣»
_TOKEN = re.compile(r"[0-9a-f]{8}")
MAX_DATA = 64  # Telegram's own limit on callback data
# /settings buttons: "s:<name>:<choice>", every name and choice listed here (a closed vocabulary).
# Each choice is an absolute value, never a toggle: a stale settings message still does what it says.
SETTINGS: dict[str, tuple[str, ...]] = {
    "menu": ("main", "quiet", "tz", "ring"),  # which screen to show
    "qh": (*(f"{a}-{b}" for a, b in QUIET_PRESETS), "off"),  # quiet hours
    "qm": ("silent", "hold"),  # quiet mode
    "tz": tuple(str(i) for i in range(len(ZONES))),  # index into ZONES
    "snd": ("on", "off"),  # sound
    "pv": ("on", "off"),  # link previews
    "len": ("lead", "head"),  # alert length
    "lang": ("ar", "en"),
}
# Topics that ring during quiet hours: "s:ron:<topic id>" / "s:roff:<topic id>" (absolute, not a toggle).
RING = ("ron", "roff")


@dataclass(frozen=True, slots=True)
class Press:
    kind: PressKind
    value: str  # digits for preset/remove, an offer token for follow/cancel, "name:choice" for a setting

    @property
    def number(self) -> int:
        return int(self.value)

    @property
    def setting(self) -> tuple[str, str]:
        name, _, choice = self.value.partition(":")
        return name, choice


def data(kind: PressKind, value: int | str) -> str:
    return f"{_PREFIX[kind]}:{value}"


def setting(name: str, choice: str) -> str:
    if choice not in SETTINGS.get(name, ()) and not (name in RING and _NUMBER.fullmatch(choice)):
        raise ValueError(f"no setting button {name}:{choice}")
    return data("setting", f"{name}:{choice}")


def parse(raw: str | None) -> Press | None:
    """The press a payload stands for, or None when it is not one we made."""
    if not raw or len(raw) > MAX_DATA:
        return None
    prefix, _, value = raw.partition(":")
    kind = _KIND.get(prefix)
    if kind is None:
        return None
    if kind == "setting":
        name, sep, choice = value.partition(":")
        ok = choice in SETTINGS.get(name, ()) or (name in RING and _NUMBER.fullmatch(choice) is not None)
        return Press(kind, value) if sep and ok else None
    pattern = _NUMBER if kind in ("preset", "remove") else _TOKEN
    return Press(kind, value) if pattern.fullmatch(value) else None
