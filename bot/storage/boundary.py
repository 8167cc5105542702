"""The one async boundary to the database.

Every storage call of the running service goes through `Database.run`, which
executes it on one dedicated worker thread. SQLite may wait up to its busy
timeout for a lock; that wait must never freeze polling, delivery and the
conversation, which all share the event loop. One thread also means the
process never competes with itself for SQLite's write lock.

`guard_loop` makes the engine refuse any statement issued from a thread that
runs an event loop, so a storage call that slips past the boundary fails a
test instead of freezing production.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Engine, event

from bot.storage.store import Store

P = ParamSpec("P")
T = TypeVar("T")


class LoopBlockedError(RuntimeError):
    """A storage call ran on the event-loop thread."""


class Database:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ajel-db")

    async def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run one storage call (usually a `Store` method) off the event loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    async def close(self) -> None:
        await self.run(self.store.close)
        self._executor.shutdown(wait=True)


def guard_loop(engine: Engine) -> None:
    """Refuse statements issued from an event-loop thread (used by the test suite)."""

    def refuse(*_args: Any) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return  # not an event-loop thread: fine
        raise LoopBlockedError("a database call ran on the event-loop thread; use Database.run")

    event.listen(engine, "before_cursor_execute", refuse)
