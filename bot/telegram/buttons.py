"""Inline-button payloads: built and parsed in one place.

Telegram hands callback data back verbatim, and anyone can forge it, so
parsing is strict: a known prefix, ASCII digits or hex of bounded length.
Anything else is an expired button, never an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

PressKind = Literal["preset", "remove", "follow", "cancel"]
_PREFIX: dict[PressKind, str] = {"preset": "p", "remove": "rm", "follow": "ok", "cancel": "no"}
_KIND = {v: k for k, v in _PREFIX.items()}
_NUMBER = re.compile(r"[0-9]{1,12}")  # ASCII digits only: str.isdigit() also accepts «²» and «٣»
_TOKEN = re.compile(r"[0-9a-f]{8}")
MAX_DATA = 64  # Telegram's own limit on callback data


@dataclass(frozen=True, slots=True)
class Press:
    kind: PressKind
    value: str  # digits for preset/remove, an offer token for follow/cancel

    @property
    def number(self) -> int:
        return int(self.value)


def data(kind: PressKind, value: int | str) -> str:
    return f"{_PREFIX[kind]}:{value}"


def parse(raw: str | None) -> Press | None:
    """The press a payload stands for, or None when it is not one we made."""
    if not raw or len(raw) > MAX_DATA:
        return None
    prefix, _, value = raw.partition(":")
    kind = _KIND.get(prefix)
    if kind is None:
        return None
    pattern = _NUMBER if kind in ("preset", "remove") else _TOKEN
    return Press(kind, value) if pattern.fullmatch(value) else None
