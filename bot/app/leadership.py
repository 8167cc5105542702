"""Who sends: one leader per database, hot standbys on PostgreSQL.

SQLite is single-process (the file lock in `bot.storage.lock` refuses a
second instance), so there it is `Solo`: always the leader.

On PostgreSQL several instances may run against one database. `Lease` keeps
one row, `ajel_leader`, naming the holder and when its lease ends, both
written and compared with the database's clock only (the instances' clocks
never matter):

* a standby tries every `RETRY_EVERY` s to take the row, which succeeds only
  once `expires_at` has passed (or the row is its own);
* the leader renews it every `RENEW_EVERY` s to `clock_timestamp() + LEASE`;
* **self-fencing**: the leader notes its monotonic time *before* each
  renewal is sent; the database cannot have set the expiry earlier than
  that instant + `LEASE`. If no renewal succeeds, the leader stops starting
  sends, cancels those in flight and stops polling at that instant + `LEASE -
  MARGIN`, on a timer that does not depend on the database answering. A
  standby can only take over after the expiry, so the two never send at once
  (up to requests already on the wire when they were cancelled).

Each statement runs on its own daemon thread with a deadline: a database
that stops answering (a partition) blocks that thread, never the loop, and
at most one such call is outstanding. A demoted leader becomes a standby
again and rejoins the election: it never exits for that.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool

from bot.core.models import OutboxRow
from bot.delivery.worker import Outcome, Sender, Transient

log = logging.getLogger("bot.leadership")
T = TypeVar("T")

LEASE = 6.0  # seconds a lease lasts past its last renewal (database clock)
RENEW_EVERY = 1.0  # the leader renews this often
RETRY_EVERY = 1.0  # a standby tries to take an expired lease this often
CALL_TIMEOUT = 1.5  # one lease statement may take this long before it counts as failed
MARGIN = 1.5  # the leader fences itself this long before its lease can have expired
_TABLE_LOCK_KEY = 0x616A656D  # serialises CREATE TABLE between instances starting together

_CREATE = """
CREATE TABLE IF NOT EXISTS ajel_leader (
    id INTEGER PRIMARY KEY,
    holder TEXT NOT NULL,
    term BIGINT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
)"""
# Taken only when expired, or when it is already ours (a renewal whose answer we missed).
_ACQUIRE = """
INSERT INTO ajel_leader (id, holder, term, expires_at)
VALUES (1, :me, 1, clock_timestamp() + make_interval(secs => :lease))
ON CONFLICT (id) DO UPDATE
   SET holder = EXCLUDED.holder, term = ajel_leader.term + 1, expires_at = EXCLUDED.expires_at
 WHERE ajel_leader.expires_at < clock_timestamp() OR ajel_leader.holder = EXCLUDED.holder
RETURNING term"""
_RENEW = """
UPDATE ajel_leader SET expires_at = clock_timestamp() + make_interval(secs => :lease)
 WHERE id = 1 AND holder = :me AND term = :term AND expires_at > clock_timestamp()
RETURNING term"""
_RELEASE = "UPDATE ajel_leader SET expires_at = clock_timestamp() - interval '1 second' WHERE id = 1 AND holder = :me AND term = :term"
_HOLDER = "SELECT holder, term, expires_at > clock_timestamp() FROM ajel_leader WHERE id = 1"


class Leadership:
    """What the rest of the service asks: am I the leader, and until when may I send."""

    multi = False  # several instances may share the database (PostgreSQL)

    def __init__(self, on_change: Callable[[bool], None] = lambda leader: None) -> None:
        self.on_change = on_change
        self.is_leader = False
        self.term = 0
        self.term_stop = asyncio.Event()  # set when the current term ends (or none is running)
        self.term_stop.set()
        self._elected = asyncio.Event()

    def may_send(self) -> bool:
        return self.is_leader

    def remaining(self) -> float | None:
        """Seconds until this leader fences itself (None: never)."""
        return None

    async def wait_elected(self, stop: asyncio.Event) -> bool:
        """Until this instance leads (True) or `stop` is set (False)."""
        waiters = [asyncio.ensure_future(self._elected.wait()), asyncio.ensure_future(stop.wait())]
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waiters:
                w.cancel()
        return self.is_leader and not stop.is_set()

    async def run(self, stop: asyncio.Event) -> None:
        raise NotImplementedError

    def _elect(self, term: int) -> None:
        self.is_leader, self.term = True, term
        self.term_stop = asyncio.Event()
        self._elected.set()
        self.on_change(True)

    def _demote(self) -> None:
        if not self.is_leader:
            return
        self.is_leader = False
        self._elected.clear()
        self.term_stop.set()
        self.on_change(False)


class Solo(Leadership):
    """SQLite (or a single instance): the leader from start to stop."""

    def __init__(self) -> None:
        super().__init__()
        self._elect(1)

    async def run(self, stop: asyncio.Event) -> None:
        await stop.wait()


class Lease(Leadership):
    """A lease row on PostgreSQL; see the module docstring."""

    multi = True

    def __init__(self, engine: Engine, on_change: Callable[[bool], None] = lambda leader: None, *,
                 lease: float = LEASE, renew_every: float = RENEW_EVERY, retry_every: float = RETRY_EVERY,
                 call_timeout: float = CALL_TIMEOUT, margin: float = MARGIN) -> None:
        super().__init__(on_change)
        self.lease, self.renew_every, self.retry_every = lease, renew_every, retry_every
        self.call_timeout, self.margin = call_timeout, margin
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        # Its own connection, never pooled with the store's: a renewal must not
        # wait behind a slow query, and a dead link must be dropped at once.
        self._engine = create_engine(
            engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT",
            connect_args={"connect_timeout": 3, "keepalives": 1, "keepalives_idle": 2, "keepalives_interval": 1,
                          "keepalives_count": 2, "tcp_user_timeout": 3000, "application_name": "ajel-lease"},
        )
        self._conn: Connection | None = None
        self._busy: asyncio.Future[Any] | None = None  # the one call that may still be blocked
        self._fence_at: asyncio.TimerHandle | None = None
        self._deadline = 0.0  # loop time when this leader stops sending
        self._failures = 0

    def may_send(self) -> bool:
        return self.is_leader and asyncio.get_running_loop().time() < self._deadline

    def remaining(self) -> float | None:
        return max(0.0, self._deadline - asyncio.get_running_loop().time()) if self.is_leader else 0.0

    async def run(self, stop: asyncio.Event) -> None:
        log.info("event=standby holder=%s reason=starting", self.holder)
        try:
            while not stop.is_set():
                await (self._renew() if self.is_leader else self._try_acquire())
                every = self.renew_every if self.is_leader else self.retry_every
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), every)
        finally:
            was_leader = self.is_leader
            self._fence("stopping")
            if was_leader:
                await self._release()
            self._close()

    # --- one step each -------------------------------------------------------
    async def _try_acquire(self) -> None:
        t0 = asyncio.get_running_loop().time()
        try:
            term = await self._call(self._acquire_sync)
        except Exception as exc:  # noqa: BLE001 - the database is unreachable: stay standby, try again
            self._failed("acquire", exc)
            return
        self._ok()
        if term is None:
            return
        if not self._extend(t0):
            return  # the answer came too late to be of use: the next round renews or retakes it
        self._elect(term)
        log.info("event=leader holder=%s term=%d lease=%gs", self.holder, term, self.lease)

    async def _renew(self) -> None:
        t0 = asyncio.get_running_loop().time()
        term = self.term
        try:
            still = await self._call(lambda: self._renew_sync(term))
        except Exception as exc:  # noqa: BLE001 - the fence timer decides when this becomes fatal
            self._failed("renew", exc)
            return
        self._ok()
        if not self.is_leader or self.term != term:
            return
        if not still:
            self._fence("lease lost to another instance")
        else:
            self._extend(t0)

    def _extend(self, t0: float) -> bool:
        """A renewal sent at loop time t0 succeeded: fence at t0 + lease - margin (False if already past)."""
        loop = asyncio.get_running_loop()
        deadline = t0 + self.lease - self.margin
        if deadline <= loop.time():
            return False
        self._deadline = deadline
        if self._fence_at is not None:
            self._fence_at.cancel()
        self._fence_at = loop.call_at(deadline, self._fence, "lease not renewed in time")
        return True

    def _fence(self, reason: str) -> None:
        if self._fence_at is not None:
            self._fence_at.cancel()
            self._fence_at = None
        self._deadline = 0.0
        if self.is_leader:
            self._demote()
            log.warning("event=standby holder=%s term=%d reason=%r", self.holder, self.term, reason)

    def _failed(self, what: str, exc: BaseException) -> None:
        self._failures += 1
        if self._failures == 1:  # one line per outage, not one per second
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            log.warning("event=lease_unreachable step=%s leader=%s error=%r", what, self.is_leader, reason)

    def _ok(self) -> None:
        if self._failures:
            log.info("event=lease_reachable after_failures=%d", self._failures)
            self._failures = 0

    async def _release(self) -> None:
        """A clean stop hands over at once instead of after the lease."""
        term = self.term
        try:
            await self._call(lambda: self._exec(_RELEASE, {"me": self.holder, "term": term}))
            log.info("event=lease_released holder=%s term=%d", self.holder, term)
        except Exception as exc:  # noqa: BLE001 - the lease simply runs out
            log.warning("event=lease_release_failed error=%r", str(exc)[:200])

    # --- the database, off the loop ------------------------------------------
    async def _call(self, fn: Callable[[], T]) -> T:
        """Run `fn` on a daemon thread, waiting at most call_timeout; one call outstanding at most."""
        if self._busy is not None and not self._busy.done():
            raise TimeoutError("the previous lease call is still blocked")
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[T] = loop.create_future()

        def work() -> None:
            try:
                result: Any = fn()
            except BaseException as exc:  # noqa: BLE001 - handed to the loop
                loop.call_soon_threadsafe(_settle, fut, None, exc)
            else:
                loop.call_soon_threadsafe(_settle, fut, result, None)

        self._busy = fut
        fut.add_done_callback(lambda f: f.cancelled() or f.exception())  # retrieved even if abandoned
        threading.Thread(target=work, name="ajel-lease", daemon=True).start()
        try:
            return await asyncio.wait_for(asyncio.shield(fut), self.call_timeout)
        except TimeoutError:
            self._conn_bad = True
            raise TimeoutError(f"no answer within {self.call_timeout:g}s") from None

    _conn_bad = False

    def _connection(self) -> Connection:
        if self._conn is not None and self._conn_bad:
            self._drop()
        if self._conn is None:
            self._conn_bad = False
            conn = self._engine.connect()
            try:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _TABLE_LOCK_KEY})
                try:
                    conn.execute(text(_CREATE))
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _TABLE_LOCK_KEY})
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def _exec(self, sql: str, params: dict[str, Any]) -> Any:
        try:
            result = self._connection().execute(text(sql), params)
            return result.scalar() if result.returns_rows else result.rowcount
        except BaseException:
            self._drop()
            raise

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.invalidate()
                conn.close()
            except Exception:  # noqa: BLE001 - the link is already dead
                pass

    def _acquire_sync(self) -> int | None:
        term = self._exec(_ACQUIRE, {"me": self.holder, "lease": self.lease})
        return int(term) if term is not None else None

    def _renew_sync(self, term: int) -> bool:
        return self._exec(_RENEW, {"me": self.holder, "term": term, "lease": self.lease}) is not None

    def current(self) -> tuple[str, int, bool] | None:
        """(holder, term, unexpired) as the database sees it (tests, diagnostics); blocking."""
        with self._engine.connect() as conn:
            conn.execute(text(_CREATE))
            row = conn.execute(text(_HOLDER)).first()
        return (str(row[0]), int(row[1]), bool(row[2])) if row is not None else None

    def _close(self) -> None:
        if self._busy is None or self._busy.done():
            self._drop()
        self._engine.dispose()


def _settle(fut: asyncio.Future[Any], result: Any, exc: BaseException | None) -> None:
    if fut.done():
        return
    if exc is not None:
        fut.set_exception(exc)
    else:
        fut.set_result(result)


class FencedSender:
    """Sends only while this instance leads, and never past its fencing instant.

    A send still running when the lease is about to end is cancelled: the
    row stays pending (recorded as a transient failure) and the next leader
    sends it; it may have reached the user, like any message in flight.
    """

    def __init__(self, inner: Sender, leadership: Leadership) -> None:
        self.inner, self.leadership = inner, leadership

    async def send(self, row: OutboxRow) -> Outcome:
        remaining = self.leadership.remaining()
        if remaining is None:
            return await self.inner.send(row)
        if remaining <= 0:
            return Transient("not the leader any more")
        try:
            return await asyncio.wait_for(self.inner.send(row), remaining)
        except TimeoutError:
            return Transient("cut short: this instance's lease was ending")
