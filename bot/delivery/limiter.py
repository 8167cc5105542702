"""Telegram's flood limits, kept on our side so Telegram never has to say 429.

Pure bookkeeping over a clock value passed in: no sleeping, no I/O.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from bot.core.models import Limits

# Pace a little under each limit: requests leave evenly spaced but may
# arrive bunched, and Telegram counts arrivals.
SAFETY = 0.93
# A timer that fires late must not cost throughput: the global pace may catch
# up by this share of a second's quota, still within Telegram's limit.
CATCH_UP = 0.05


@dataclass
class RateLimiter:
    limits: Limits = field(default_factory=Limits)
    _next_global: float = 0.0
    _next_chat: dict[int, float] = field(default_factory=dict)
    _group_sends: dict[int, deque[float]] = field(default_factory=dict)
    _paused_until: float = 0.0

    def ready_at(self, chat_id: int, now: float) -> float:
        """Earliest time a message to `chat_id` may leave (ignoring the global pace)."""
        t = max(now, self._paused_until, self._next_chat.get(chat_id, 0.0))
        window = self._group_sends.get(chat_id)
        if is_group(chat_id) and window and len(window) >= self._group_quota():
            t = max(t, window[-self._group_quota()] + 60.0)
        return t

    def global_at(self, now: float) -> float:
        return max(now, self._paused_until, self._next_global)

    def take(self, chat_id: int, now: float) -> None:
        """Record a send to `chat_id` leaving at `now`."""
        interval = 1.0 / (self.limits.global_per_second * SAFETY)
        self._next_global = max(now, self._next_global) + interval
        self._next_chat[chat_id] = now + 1.0 / (self.limits.per_chat_per_second * SAFETY)
        if is_group(chat_id):
            window = self._group_sends.setdefault(chat_id, deque())
            window.append(now)
            while window and window[0] < now - 60.0:
                window.popleft()

    def pause(self, until: float) -> None:
        """Telegram said 429: nobody sends before `until`."""
        self._paused_until = max(self._paused_until, until)

    def forget(self, chat_id: int) -> None:
        self._next_chat.pop(chat_id, None)
        self._group_sends.pop(chat_id, None)

    def _group_quota(self) -> int:
        return max(1, int(self.limits.group_per_minute * SAFETY))


def is_group(chat_id: int) -> bool:
    return chat_id < 0
