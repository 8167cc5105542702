"""Telegram's flood limits, kept on our side so Telegram never has to say 429.

Pure bookkeeping over a clock value passed in: no sleeping, no I/O.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from bot.core.models import Limits

# Pace a little under each limit. Telegram counts arrivals, in any 1-second
# window, and requests that leave evenly spaced can still arrive bunched: a
# stalled network path or server holds some back, then hands them over
# together. The limiter cannot see arrivals; all it can do is add no bunching
# of its own (see JITTER) and leave a margin. Any 1-second window holds at
# most ⌈SAFETY·N + JITTER⌉ departures (280 at N = 300, 29 at N = 30), so
# arrivals stay within N while the delays of requests sent within a second
# of each other differ by less than the time the spare sends take at our
# pace: ~70 ms at N = 300, ~35 ms at N = 30.
# Slowing down whenever our own process runs late was considered and left
# out: our lateness says little about delays on Telegram's side, and a fast
# fan-out on an idle machine already runs a few ms late all the time (a busy
# event loop), so it would cost rate exactly where it matters.
# The operator may change the margin (telegram.limits.safety, Limits.safety):
# 0.97 paces 1,000/s at 970/s and leaves ~30 sends (30 ms at that pace) for
# bunching instead of ~70 ms; closer to 1 buys rate with the risk of 429s,
# each of which stops every send for Telegram's retry_after (a second or more).
SAFETY = Limits().safety  # the default
# How late, as a share of one global interval, a send may leave and still
# keep the pace's phase. The worker's timer always fires a little late (the
# event loop is busy with the sends in flight); if every such delay pushed
# the schedule back, a timer 2 ms late against a 3.6 ms interval would cost
# a third of the rate. Less than one interval, so lateness is never banked:
# beyond it (the process was not scheduled, the loop stalled) the pace starts
# again one full interval after the late send. So at most one send leaves at
# any instant, the next at least (1 - JITTER) of an interval later. The old
# catch-up allowance (a twentieth of a second's quota) let ~15 sends leave
# together after each late timer: up to 294 departures in a second at
# N = 300 (30 at N = 30), most of the margin gone before any network delay,
# hence the 429s on a busy machine.
JITTER = 0.9


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
        interval = 1.0 / (self.limits.global_per_second * self.limits.safety)
        on_schedule = now - self._next_global <= JITTER * interval
        self._next_global = (self._next_global if on_schedule else now) + interval
        self._next_chat[chat_id] = now + 1.0 / (self.limits.per_chat_per_second * self.limits.safety)
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
        return max(1, int(self.limits.group_per_minute * self.limits.safety))


def is_group(chat_id: int) -> bool:
    return chat_id < 0
