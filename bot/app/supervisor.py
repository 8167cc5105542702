"""Supervision of the long-running tasks: never half-alive.

A task that dies is logged once and restarted with backoff; one that keeps
dying makes the whole process exit non-zero with one clear line, so that
the process manager restarts it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable

log = logging.getLogger("bot.supervisor")


class FatalError(Exception):
    """The process cannot go on; str() is the one line to show the operator."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


async def supervise(
    name: str,
    run: Callable[[], Awaitable[None]],
    stop: asyncio.Event,
    *,
    max_crashes: int = 5,
    window: float = 300.0,
    backoff: tuple[float, float] = (1.0, 60.0),
) -> None:
    """Run `run()` until `stop` is set, restarting it when it raises or returns early."""
    crashes: deque[float] = deque()
    while not stop.is_set():
        try:
            await run()
            if stop.is_set():
                return
            raise RuntimeError("the task ended by itself")
        except FatalError:
            raise
        except Exception as exc:
            now = time.monotonic()
            crashes.append(now)
            while crashes and crashes[0] < now - window:
                crashes.popleft()
            if len(crashes) >= max_crashes:
                raise FatalError(f"task {name} failed {len(crashes)} times in {window:.0f} s; last error: {exc!r}") from exc
            delay = min(backoff[0] * 2 ** (len(crashes) - 1), backoff[1])
            log.error("event=task_crashed task=%s error=%r crashes=%d restart_in=%.1fs", name, exc, len(crashes), delay)
            await wait_or_stop(stop, delay)


async def wait_or_stop(stop: asyncio.Event, seconds: float) -> bool:
    """Sleep up to `seconds`; True when `stop` was set meanwhile."""
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        return False
    return True
