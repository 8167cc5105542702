"""The delivery worker: drains the persistent outbox within Telegram's limits.

An alert is marked sent only after Telegram accepted it, so a crash can at
worst re-send the few messages that were in flight, and never lose one.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from bot.core.derive import display_headline
from bot.core.models import OutboxRow
from bot.core.prefs import QUIET_HOLD, ChatPrefs, HeldStory, is_quiet, summary_messages
from bot.delivery.limiter import RateLimiter
from bot.storage.boundary import Database

log = logging.getLogger("bot.delivery.worker")
BATCH = 1000
# A queue shorter than this is topped up (keyset paging) before it runs dry:
# about a fifth of a second of sending at 1,000/s.
REFILL_BELOW = 200
MAX_BACKOFF = 300.0
# Accepted messages are recorded in small batches: one transaction per
# message would cap throughput. A crash can re-send only these few, which
# were "in flight" from the outbox's point of view.
FLUSH_EVERY = 0.05
FLUSH_SIZE = 50
# One "delivered" log line per burst, or every REPORT_EVERY seconds during a
# long fan-out, instead of one line per message.
REPORT_EVERY = 10.0
# A send that raised something we do not understand may have reached the
# user; retrying it without end would repeat the alert every round. After
# this many attempts the row is marked failed and never sent again.
MAX_UNKNOWN_ATTEMPTS = 3
# Network trouble and 5xx are Telegram's, not the message's: retried longer
# (with exponential backoff, about an hour in all), then failed too.
MAX_TRANSIENT_ATTEMPTS = 16
# After a failed round (the database said no), wait before the next one.
ERROR_BACKOFF = (0.5, 30.0)
# A send may leave this long before its slot in the global pace (see DeliveryWorker._early).
EARLY_MAX = 0.0015
EARLY_SHARE = 0.9  # of one interval at most
# How often chats with held alerts are checked for the end of their quiet hours.
SUMMARY_EVERY = 1.0


@dataclass(frozen=True, slots=True)
class Sent:
    message_id: int | None


@dataclass(frozen=True, slots=True)
class RetryAfter:
    seconds: float


@dataclass(frozen=True, slots=True)
class Transient:
    error: str  # network trouble or a 5xx: try again later


@dataclass(frozen=True, slots=True)
class ChatGone:
    error: str  # blocked, kicked, deactivated, chat not found


@dataclass(frozen=True, slots=True)
class Migrated:
    new_chat_id: int


@dataclass(frozen=True, slots=True)
class Rejected:
    error: str  # Telegram refused this message itself; retrying cannot help


@dataclass(frozen=True, slots=True)
class Unknown:
    error: str  # the send raised something unexpected: it may have reached the user


Outcome = Sent | RetryAfter | Transient | ChatGone | Migrated | Rejected | Unknown


class Sender(Protocol):
    async def send(self, row: OutboxRow) -> Outcome: ...


class DeliveryWorker:
    def __init__(
        self,
        db: Database,
        sender: Sender,
        limiter: RateLimiter,
        *,
        concurrency: int = 32,
        on_chat_gone: Callable[[int], None] = lambda chat_id: None,
        on_migrated: Callable[[int, int], None] = lambda old, new: None,
        clock: Callable[[], float] = time.monotonic,
        prefs_of: Callable[[int], ChatPrefs | None] = lambda chat_id: None,
        wall: Callable[[], float] = time.time,
        default_timezone: str = "Asia/Riyadh",
        sources: Mapping[str, str] | None = None,
        on_outcome: Callable[[OutboxRow, Outcome], None] = lambda row, outcome: None,
    ) -> None:
        # Metrics: told of every send's outcome, on the loop (must not block).
        self.on_outcome = on_outcome
        # Leadership gate (several instances on PostgreSQL): checked before each
        # send starts; a fenced instance leaves its rows pending for the leader.
        self.may_send: Callable[[], bool] = lambda: True
        self.running = False  # inside run(): what /healthz checks
        self.db, self.sender, self.limiter = db, sender, limiter
        # /settings: each chat's choices, the wall clock quiet hours are read on
        # (injectable for tests), and feed names for quiet-hours summaries.
        self.prefs_of, self.wall, self.default_timezone = prefs_of, wall, default_timezone
        self.sources = dict(sources or {})
        self._summaries_at = float("-inf")
        self.store = db.store
        self.on_chat_gone, self.on_migrated, self.clock = on_chat_gone, on_migrated, clock
        self._slots = asyncio.Semaphore(concurrency)
        self._round_lock = asyncio.Lock()
        # Reading due rows and recording outcomes are serialised: a read that
        # began before a row was recorded must not finish after the row left
        # _in_flight, or that stale row would be sent a second time.
        self._db_lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._busy_chats: set[int] = set()
        self._in_flight: set[int] = set()  # outbox ids being sent
        self._queue: list[OutboxRow] = []
        self._loaded_at = float("-inf")
        self._cursor: tuple[int, int] | None = None  # (priority, id) of the last row read
        # The event loop's timers fire on whole milliseconds (epoll), so a wait
        # of 0.3 ms lasts 1 ms and one of 1.1 ms lasts 2: at 1,000/s, waiting
        # for the exact slot would send only every other millisecond. A send
        # may leave this much before its slot; the schedule itself does not
        # move (the limiter counts from the slot), so sends never bunch.
        self._early = min(EARLY_MAX, EARLY_SHARE / limiter.limits.global_per_second)
        self._dirty = True
        self._tasks: set[asyncio.Task[None]] = set()
        # The round's database chores (flush, refill, summaries), one of each at
        # a time, run in the background: the round never waits for the database
        # while it has rows to send (see _dispatch).
        self._chores: dict[str, asyncio.Task[None]] = {}
        self._accepted: list[tuple[int, int | None, float]] = []
        self._flushed_at = 0.0
        self._unreported = 0
        self._reported_at = 0.0
        self.sent = 0
        self.rate_limited = 0
        self.failed = 0
        self._errors = 0  # consecutive failed rounds

    def pending(self) -> list[OutboxRow]:
        """The pending rows the worker knows of (its last read of the outbox, plus those in flight)."""
        return list(self._queue)

    def wake(self, _n: int = 0) -> None:
        """New alerts are in the outbox."""
        self._dirty = True
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set, then let in-flight sends finish (and be marked)."""
        self.running = True
        try:
            while not stop.is_set():
                delay = await self._safe_round(stop)
                # Unrecorded sends shorten the wait, but never a failed round's backoff.
                await self._sleep(stop, min(delay, FLUSH_EVERY) if self._accepted and not self._errors else delay)
        finally:
            self.running = False
            if self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)
            await self._idle_chores(raise_errors=False)
            await self._final_flush()

    async def _safe_round(self, stop: asyncio.Event) -> float:
        """One round; a failure (the database is locked, gone, full) is logged once and retried later."""
        try:
            delay = await self._round(stop)
        except Exception as exc:  # noqa: BLE001 - the worker must outlive any one round
            self._errors += 1
            backoff: float = min(ERROR_BACKOFF[0] * 2.0 ** (self._errors - 1), ERROR_BACKOFF[1])
            log.error("event=delivery_error error=%r round_errors=%d retry_in=%.1fs", exc, self._errors, backoff)
            return backoff
        if self._errors:
            log.info("event=delivery_recovered after_errors=%d", self._errors)
            self._errors = 0
        return delay

    async def _final_flush(self) -> None:
        try:
            await self._flush(force=True)
        except Exception as exc:  # noqa: BLE001 - at shutdown; the rows stay pending and may be re-sent once
            log.error("event=delivery_error error=%r unrecorded=%d", exc, len(self._accepted))

    async def drain(self, timeout: float = 60.0) -> None:
        """Deliver everything due now, then return (demo, benchmarks, tests)."""
        stop = asyncio.Event()
        deadline = self.clock() + timeout
        while self.clock() < deadline:
            delay = await self._safe_round(stop)
            if not self._tasks and not self._errors:
                if self._chores:  # let them finish; the next round collects their results (a failure is a failed round)
                    await asyncio.wait(list(self._chores.values()))
                    continue
                await self._flush(force=True)
                if not self._accepted and not await self.db.run(self.store.pending, 1, time.time()):
                    return
            await asyncio.sleep(min(delay, FLUSH_EVERY) if self._tasks else delay)

    async def _round(self, stop: asyncio.Event) -> float:
        """Start every send the limits allow now; return how long to wait for the next."""
        async with self._round_lock:  # run() and drain() callers must not dispatch the same rows
            # Cleared before the round reads the outbox, never after: a wake() that
            # comes while the round runs must cut the following sleep short.
            self._wake.clear()
            return await self._dispatch(stop)

    async def _dispatch(self, stop: asyncio.Event) -> float:
        # Recording sends, reading the outbox and quiet-hours summaries wait for
        # the database thread, which a large fan-out keeps busy with 10,000-row
        # writes: awaited here, each would hold up the sends that are due (one
        # send per refill, measured, while 500,000 rows were being queued).
        # They run in the background instead; the round waits only for a refill
        # when it has nothing to send.
        await self._chore("flush", self._flush_due(), self._flush)
        await self._chore("summaries", self.clock() - self._summaries_at >= SUMMARY_EVERY, self._summaries)
        await self._refresh()
        queue = self._queue
        if not queue:
            return 1.0
        next_at, waiting, held = float("inf"), [], []
        for i, row in enumerate(queue):
            now = self.clock()
            if stop.is_set() or not self.may_send() or self.limiter.global_at(now) > now + self._early:
                waiting.extend(queue[i:])  # the global pace is the bottleneck
                next_at = min(next_at, self.limiter.global_at(now) - self._early)
                break
            row, hold = self._with_prefs(row)
            if hold:
                held.append(row.id or 0)
                continue
            at = self.limiter.ready_at(row.chat_id, now)
            if row.chat_id in self._busy_chats or at > now:
                waiting.append(row)
                next_at = min(next_at, at if at > now else now + 0.05)
                continue
            await self._slots.acquire()
            self.limiter.take(row.chat_id, self.clock())
            self._start(row)
        if self._queue is queue:
            self._queue = waiting
        else:  # a refill came in while sends waited for a slot: it is newer; drop what was started since
            self._queue = [r for r in self._queue if r.id not in self._in_flight]
        if held:
            async with self._db_lock:
                await self.db.run(self.store.hold, held)
            log.info("event=held_for_quiet_hours rows=%d", len(held))
        return max(0.0, min(next_at - self.clock(), 1.0)) if next_at != float("inf") else 0.05

    def _flush_due(self) -> bool:
        return bool(self._accepted) and (len(self._accepted) >= FLUSH_SIZE or self.clock() - self._flushed_at >= FLUSH_EVERY)

    async def _chore(self, name: str, due: bool, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Start `work` in the background when due, unless it still runs; a finished one's failure is raised here
        (the round fails and backs off, as when it awaited the call itself). After a failed round the chores are
        awaited, so that a database that keeps failing fails every round and the backoff grows."""
        task = self._chores.get(name)
        if task is not None:
            if not task.done():
                if not self._errors:
                    return
                await asyncio.wait([task])
            del self._chores[name]
            task.result()
        if due:
            task = self._chores[name] = asyncio.create_task(work())
            if self._errors:
                await asyncio.wait([task])
                del self._chores[name]
                task.result()

    async def _idle_chores(self, *, raise_errors: bool = True) -> None:
        """Wait for the background chores; raise the first failure (unless at shutdown)."""
        while self._chores:
            name, task = next(iter(self._chores.items()))
            await asyncio.wait([task])
            if self._chores.get(name) is task:
                del self._chores[name]
            if raise_errors and not task.cancelled() and task.exception() is not None:
                task.result()

    async def _flush(self, *, force: bool = False) -> None:
        due = force or len(self._accepted) >= FLUSH_SIZE or self.clock() - self._flushed_at >= FLUSH_EVERY
        if not self._accepted or not due:
            return
        batch, self._accepted = self._accepted, []
        self._flushed_at = self.clock()
        async with self._db_lock:
            try:
                await self.db.run(self.store.mark_sent_many, batch)
            except BaseException:
                # Telegram accepted these: keep them in flight (never re-sent
                # by this process) and try to record them again next round.
                self._accepted[:0] = batch
                raise
            self._in_flight.difference_update(oid for oid, _, _ in batch)
        self._report(len(batch))

    def _report(self, recorded: int) -> None:
        self._unreported += recorded
        idle = not self._queue and not self._in_flight
        if self._unreported and (idle or self.clock() - self._reported_at >= REPORT_EVERY):
            log.info("event=delivered sent=%d queued=%d", self._unreported, len(self._queue))
            self._unreported, self._reported_at = 0, self.clock()

    async def _refresh(self) -> None:
        """Reload due rows (breaking first, oldest first) when new ones may exist, in the background;
        wait for it only when the queue is empty."""
        full = self._dirty or self.clock() - self._loaded_at > 1.0
        # Between full reloads (new rows, a changed row, every second) a queue
        # running low continues after the last row read (keyset paging),
        # before it is empty.
        await self._chore("refill", full or len(self._queue) < REFILL_BELOW, lambda: self._refill(full))
        task = self._chores.get("refill")
        if not self._queue and task is not None:
            await asyncio.wait([task])
            await self._chore("refill", False, lambda: self._refill(False))  # its failure, if any, is this round's

    async def _refill(self, full: bool) -> None:
        after = None if full else self._cursor
        if full:
            self._dirty = False
            self._loaded_at = self.clock()
        async with self._db_lock:
            rows = await self.db.run(self.store.pending, BATCH, time.time(), after)
            # Under the lock and with no await from here on: no send recorded since
            # the read began has left _in_flight, so none of these is stale. Rows
            # started meanwhile (the round does not wait for this) are in flight.
            fresh = [r for r in rows if r.id not in self._in_flight]
            if full:
                self._queue = fresh
            else:
                seen = {r.id for r in self._queue}
                self._queue = self._queue + [r for r in fresh if r.id not in seen]
        if rows:
            self._cursor = (rows[-1].priority, rows[-1].id or 0)

    def _with_prefs(self, row: OutboxRow) -> tuple[OutboxRow, bool]:
        """The row as the chat's settings want it sent (sound, preview), and whether to hold it instead."""
        prefs = self.prefs_of(row.chat_id)
        if prefs is None:
            return row, False
        quiet = is_quiet(prefs, self.wall(), self.default_timezone) and not (prefs.ring and prefs.ring.intersection(row.topics))
        if quiet and prefs.quiet_mode == QUIET_HOLD and not row.is_summary:
            return row, True
        silent, preview = prefs.silent or quiet, prefs.previews and not row.is_summary
        if silent == row.silent and preview == row.preview:
            return row, False  # as stored (the usual case): no copy per message
        return dataclasses.replace(row, silent=silent, preview=preview), False

    async def _summaries(self) -> None:
        """Chats whose quiet hours ended (or were switched off) get their held alerts as one summary."""
        self._summaries_at = self.clock()
        queued = 0
        async with self._db_lock:
            for chat_id in await self.db.run(self.store.held_chats):
                prefs = self.prefs_of(chat_id)
                if prefs is not None and prefs.quiet_mode == QUIET_HOLD and is_quiet(prefs, self.wall(), self.default_timezone):
                    continue
                held = await self.db.run(self.store.held, chat_id)
                stories = [HeldStory(display_headline(title, ""), self.sources.get(feed, feed), link) for _, title, link, feed, _ in held]
                messages = summary_messages(stories, prefs.lang if prefs else "ar")
                thread_id = held[-1][4] if held else None
                n = await self.db.run(self.store.release_held, chat_id, [h[0] for h in held], messages, thread_id, time.time())
                log.info("event=quiet_hours_summary chat=%s held=%d messages=%d", chat_id, len(held), n)
                queued += n
        if queued:
            self._dirty = True

    def _start(self, row: OutboxRow) -> None:
        self._busy_chats.add(row.chat_id)
        self._in_flight.add(row.id or 0)
        task = asyncio.create_task(self._deliver(row))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, row: OutboxRow) -> None:
        outcome: Outcome
        if not self.may_send():  # fenced since dispatch: untouched, still pending
            self._in_flight.discard(row.id or 0)
            self._busy_chats.discard(row.chat_id)
            self._slots.release()
            self._dirty = True
            return
        try:
            outcome = await self.sender.send(row)
        except Exception as exc:  # noqa: BLE001 - the send may or may not have reached the user
            outcome = Unknown(f"{type(exc).__name__}: {exc}"[:300])
        try:
            self.on_outcome(row, outcome)
            if isinstance(outcome, Sent):
                # The row stays in _in_flight until _flush records it.
                self._accepted.append((row.id or 0, outcome.message_id, time.time()))
                self.sent += 1
            else:
                async with self._db_lock:
                    try:
                        await self._settle(row, outcome)
                    finally:
                        # Recorded or not, the row may be read again: if
                        # recording failed it is still pending and is retried.
                        self._in_flight.discard(row.id or 0)
                self._dirty = True  # its row changed state in a way the queue must see
        except Exception as exc:  # noqa: BLE001 - logged once; the row stays pending
            log.error("event=delivery_error chat=%s outbox_id=%s error=%r", row.chat_id, row.id, exc)
        finally:
            self._busy_chats.discard(row.chat_id)
            self._slots.release()
            self._wake.set()

    async def _settle(self, row: OutboxRow, outcome: Outcome) -> None:
        """Record a non-success outcome; the index callbacks run here, on the loop."""
        rid, store = row.id or 0, self.store
        match outcome:
            case RetryAfter(seconds):
                self.rate_limited += 1
                self.limiter.pause(self.clock() + seconds)
                await self.db.run(store.retry_later, rid, time.time() + seconds, f"429 retry after {seconds}s")
                log.warning("event=rate_limited chat=%s retry_after=%s", row.chat_id, seconds)
            case Transient(error) | Unknown(error):
                await self._retry_or_fail(row, error, isinstance(outcome, Unknown))
            case ChatGone(error):
                dropped = await self.db.run(store.deactivate_chat, row.chat_id, error)
                self.limiter.forget(row.chat_id)
                self.on_chat_gone(row.chat_id)
                log.warning("event=chat_deactivated chat=%s error=%r dropped=%d", row.chat_id, error, dropped)
            case Migrated(new_id):
                await self.db.run(store.migrate_chat, row.chat_id, new_id)
                self.on_migrated(row.chat_id, new_id)
                log.info("event=chat_migrated old=%s new=%s", row.chat_id, new_id)
            case Rejected(error):
                await self.db.run(store.fail, rid, error)
                self.failed += 1
                log.error("event=alert_rejected chat=%s outbox_id=%s error=%r", row.chat_id, rid, error)

    async def _retry_or_fail(self, row: OutboxRow, error: str, unknown: bool) -> None:
        attempts = row.attempts + 1
        if attempts >= (MAX_UNKNOWN_ATTEMPTS if unknown else MAX_TRANSIENT_ATTEMPTS):
            await self.db.run(self.store.fail, row.id or 0, error)
            self.failed += 1
            log.error("event=alert_failed chat=%s outbox_id=%s attempts=%d error=%r", row.chat_id, row.id, attempts, error)
            return
        backoff = min(2.0 ** row.attempts, MAX_BACKOFF) if not unknown else 30.0
        await self.db.run(self.store.retry_later, row.id or 0, time.time() + backoff, error)
        log.warning("event=send_retry chat=%s attempts=%d error=%r", row.chat_id, attempts, error)

    async def _sleep(self, stop: asyncio.Event, delay: float) -> None:
        if delay <= 0 or self._wake.is_set():
            await asyncio.sleep(0)
            return
        waiters = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
        await asyncio.wait(waiters, timeout=delay, return_when=asyncio.FIRST_COMPLETED)
        for w in waiters:
            w.cancel()

