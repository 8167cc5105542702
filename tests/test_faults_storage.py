"""Database faults injected where they happen in production: in SQLite.

Each test reproduces a production failure of the code before the storage
boundary (af0550e) against real SQLite files, the local feed server and the
fake Bot API, and checks the behaviour that replaced it:

1. a failed `record` must not leave the feed's new validators behind (the
   next poll would get a 304 and the items would be lost);
2. a database error inside the delivery worker must not end it silently
   (and a database that keeps failing is retried with backoff, not every 50 ms);
3. a failure to record one send's outcome must not leave the row "in flight";
4. a SQLite lock held by another process must not freeze the event loop;
5. the delivery callbacks that edit the subscription index run on the loop;
6. the real bot keeps receiving updates while another process locks its
   database, and answers /start once the lock is gone.

Faults are raised by the database driver layer: `DbFaults` makes chosen
statements fail with sqlite3's own "database is locked", which SQLAlchemy
wraps exactly as it wraps a lock that outlasted the busy timeout. Locks are
held by a real second process (`LockHolder`).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import sys
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.exc import OperationalError

from bot.core.decide import Policy
from bot.core.models import FeedConfig, Item, ItemRecord, Limits, OutboxRow
from bot.core.subscriptions import ChatInfo, Subscriptions
from bot.delivery import worker as worker_module
from bot.delivery.limiter import RateLimiter
from bot.delivery.worker import ChatGone, DeliveryWorker, Migrated, Outcome, Sent, Transient
from bot.feeds.fetch import make_client
from bot.feeds.poller import Poller
from bot.storage.boundary import Database, LoopBlockedError, guard_loop
from bot.storage.store import Store
from tests.bot_harness import EMPTY_FEED, start_bot, write_config
from tests.fake_telegram import FakeTelegram
from tests.feedserver import FeedServer
from tests.helpers import SEED_FEED

T = TypeVar("T")
NEWS_NAME = "الأخبار العربية (تجريبي)"
POLICY = Policy("Asia/Riyadh", 400, max_age_hours=None)
NO_LIMITS = Limits(1e6, 1e6, 1e6)
# The event loop may pause this long at most while another process holds the
# database (a generous bound for a loaded CI machine; the old code froze it
# for the whole lock, 3 s).
MAX_LOOP_STALL = 0.3
LOCK_SECONDS = 3.0


# --------------------------------------------------------------------------- fault injection


def _insert_items(sql: str) -> bool:
    return sql.startswith("INSERT INTO items")


def _mark_sent_many(sql: str) -> bool:
    return sql.startswith("UPDATE outbox SET status=") and "sent_at=" in sql


def _pending(sql: str) -> bool:
    return sql.startswith("SELECT") and "FROM outbox" in sql and "ORDER BY outbox.priority" in sql


def _retry_later(sql: str) -> bool:
    return sql.startswith("UPDATE outbox SET") and "next_attempt=" in sql and "status=" not in sql


@dataclass
class _Rule:
    label: str
    matches: Callable[[str], bool]
    remaining: int


class DbFaults:
    """Make chosen statements fail the way SQLite fails when another writer keeps its lock."""

    def __init__(self, engine: Engine) -> None:
        self._rules: list[_Rule] = []
        self._lock = threading.Lock()
        self.raised: Counter[str] = Counter()
        event.listen(engine, "before_cursor_execute", self._before_execute)

    def fail(self, label: str, matches: Callable[[str], bool], *, times: int = 1) -> None:
        with self._lock:
            self._rules.append(_Rule(label, matches, times))

    def _before_execute(self, _conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        with self._lock:
            rule = next((r for r in self._rules if r.remaining and r.matches(statement)), None)
            if rule is None:
                return
            rule.remaining -= 1
            self.raised[rule.label] += 1
        # Raised from the DBAPI layer: SQLAlchemy rolls the transaction back and
        # wraps it in sqlalchemy.exc.OperationalError, as for a real busy timeout.
        raise sqlite3.OperationalError("database is locked")


# A second process that takes SQLite's write lock and keeps it until told
# (a line on stdin, or EOF) or until max_hold seconds have passed.
_HOLD_LOCK = r"""
import select, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
select.select([sys.stdin], [], [], float(sys.argv[2]))
print("releasing", flush=True)
conn.execute("COMMIT")
print("released", flush=True)
"""


class LockHolder:
    """Another process holding the database's write lock (`BEGIN EXCLUSIVE`) until `release()`."""

    def __init__(self, db_path: Path, *, max_hold: float = 30.0) -> None:
        self.db_path, self.max_hold = db_path, max_hold
        self.proc: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> LockHolder:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-c", _HOLD_LOCK, str(self.db_path), str(self.max_hold),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )
        assert await self._line() == "locked"
        return self

    async def _line(self) -> str:
        assert self.proc is not None and self.proc.stdout is not None
        return (await asyncio.wait_for(self.proc.stdout.readline(), 15)).decode().strip()

    async def release(self) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(b"go\n")
        await self.proc.stdin.drain()
        assert await self._line() == "releasing"
        assert await self._line() == "released"
        assert await asyncio.wait_for(self.proc.wait(), 15) == 0

    async def __aexit__(self, *_exc: object) -> None:
        proc = self.proc
        if proc is None or proc.returncode is not None:
            return
        if proc.stdin is not None:
            proc.stdin.close()  # EOF: the holder commits and exits
        try:
            await asyncio.wait_for(proc.wait(), 15)
        except TimeoutError:
            proc.kill()
            await proc.wait()


class Heartbeat:
    """Measures the longest pause of the event loop between 10 ms sleeps."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> Heartbeat:
        self._task = asyncio.create_task(self._beat())
        return self

    async def _beat(self) -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(0.01)
            now = time.monotonic()
            self.longest = max(self.longest, now - last)
            last = now

    async def stop(self) -> float:
        assert self._task is not None
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        return self.longest


# --------------------------------------------------------------------------- helpers


def guarded_store(tmp_path: Path) -> Store:
    """A real SQLite store that refuses any statement issued on an event-loop thread."""
    store = Store(f"sqlite:///{tmp_path / 'bot.db'}")
    guard_loop(store.engine)
    return store


def queue_alerts(store: Store, chats: Iterable[int]) -> None:
    store.record(
        [ItemRecord("k", "f", "u", "t", None, None, True, "category", ("item:k",))],
        [OutboxRow("k", chat, f"<b>alert for {chat}</b>") for chat in chats],
    )


async def until(
    probe: Callable[[], T], done: Callable[[T], bool], *, timeout: float, abort: Callable[[], bool] = lambda: False
) -> T:
    """Probe (in a thread: it may read the database) until `done`, `abort` or the timeout; the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = await asyncio.to_thread(probe)
        if done(value) or abort() or time.monotonic() > deadline:
            return value
        await asyncio.sleep(0.02)


async def run_worker(
    worker: DeliveryWorker, body: Callable[[asyncio.Task[None]], Awaitable[T]]
) -> tuple[T, asyncio.Task[None]]:
    """Run the worker as production does (`run(stop)`), hand its task to `body`, then stop it.

    Returns what `body` returned and the worker's task, finished."""
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        return await body(task), task
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(task, return_exceptions=True), 15)


def delivery_errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "event=delivery_error" in r.getMessage()]


def subscriptions() -> Subscriptions:
    subs = Subscriptions()
    subs.set_chat(1, ChatInfo("ar"))
    subs.add(1, "الملف النووي")
    return subs


class Recorder:
    """A sender that answers each chat with a scripted outcome (Sent once the script is used up)."""

    def __init__(self, script: dict[int, list[Outcome]] | None = None) -> None:
        self.script = {chat: list(outcomes) for chat, outcomes in (script or {}).items()}
        self.calls: list[int] = []

    async def send(self, row: OutboxRow) -> Outcome:
        await asyncio.sleep(0.001)
        self.calls.append(row.chat_id)
        todo = self.script.get(row.chat_id)
        return todo.pop(0) if todo else Sent(1000 + len(self.calls))


# --------------------------------------------------------------------------- 1. lost alerts


def test_failed_record_keeps_old_validators_and_next_poll_stores_the_items(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    """af0550e saved the new ETag before recording; a failed record then meant a 304 and lost items."""
    feed_server.route("/news.xml", EMPTY_FEED, etag='"v0"')
    feed = FeedConfig("news", NEWS_NAME, feed_server.url("/news.xml"), 60)
    store = guarded_store(tmp_path)
    faults = DbFaults(store.engine)

    async def scenario() -> dict[str, Any]:
        db = Database(store)
        out: dict[str, Any] = {}
        async with make_client() as client:
            poller = Poller(db, client, subscriptions(), POLICY)
            assert (await poller.poll(feed)).error is None
            out["before"] = (await asyncio.to_thread(store.feed_state, feed.id, feed.url)).etag
            # The site publishes the nuclear story (new body, new ETag); recording it hits a lock.
            feed_server.set_body("/news.xml", SEED_FEED.read_bytes())
            out["new_etag"] = feed_server.current_etag("/news.xml")
            faults.fail("record", _insert_items, times=1)
            with pytest.raises(OperationalError, match="database is locked"):
                await poller.poll(feed, force=True)
            out["after_failure"] = (await asyncio.to_thread(store.feed_state, feed.id, feed.url)).etag
            out["items_after_failure"] = await asyncio.to_thread(store.count_items)
            # The next scheduled poll (the interval has passed).
            out["retry"] = await poller.poll(feed, force=True)
            out["retry_if_none_match"] = feed_server.last_headers("/news.xml").get("if-none-match")
            out["after_success"] = (await asyncio.to_thread(store.feed_state, feed.id, feed.url)).etag
            out["again"] = await poller.poll(feed, force=True)
        await db.close()
        return out

    out = asyncio.run(scenario())
    assert faults.raised == {"record": 1}
    assert out["before"] == '"v0"' and out["items_after_failure"] == 0
    retry = out["retry"]
    assert not retry.not_modified, "the retry got a 304: the items of the failed poll are lost"
    assert (retry.items, retry.new_items, retry.breaking, retry.alerts) == (7, 7, 4, 1)
    assert store.count_items() == 7
    (alert,) = store.pending(now=time.time())
    assert alert.chat_id == 1 and alert.topics == ("الملف النووي",)
    # The failed poll left the old validator; the retry asked with it; success stored the new one.
    assert out["after_failure"] == '"v0"'
    assert out["retry_if_none_match"] == '"v0"'
    assert out["after_success"] == out["new_etag"] != '"v0"'
    assert out["again"].not_modified  # and it works: the next poll is a 304
    store.close()


# --------------------------------------------------------------------------- 2. silent stop of delivery


def test_delivery_worker_outlives_database_errors_and_sends_each_alert_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """af0550e: one failed `pending` or `mark_sent_many` ended the worker task, and delivery stopped for good."""
    caplog.set_level(logging.INFO)
    store = guarded_store(tmp_path)
    queue_alerts(store, range(1, 21))
    faults = DbFaults(store.engine)
    faults.fail("pending", _pending, times=1)
    faults.fail("mark_sent_many", _mark_sent_many, times=2)
    sender = Recorder()

    async def scenario() -> tuple[dict[str, int], bool, asyncio.Task[None]]:
        db = Database(store)
        worker = DeliveryWorker(db, sender, RateLimiter(NO_LIMITS))

        async def body(task: asyncio.Task[None]) -> tuple[dict[str, int], bool]:
            counts = await until(store.outbox_counts, lambda c: c == {"sent": 20}, timeout=15, abort=task.done)
            await asyncio.sleep(0.3)  # still alive a moment later (not merely not yet dead)
            return counts, not task.done()

        (counts, alive), task = await run_worker(worker, body)
        await db.close()
        return counts, alive, task

    counts, alive, task = asyncio.run(scenario())
    assert alive, f"the delivery worker task ended: {task.exception()!r}"
    assert task.exception() is None  # and it stopped cleanly when told to
    assert counts == {"sent": 20}
    assert Counter(sender.calls) == dict.fromkeys(range(1, 21), 1), "each chat gets its alert exactly once"
    assert faults.raised == {"pending": 1, "mark_sent_many": 2}
    errors = delivery_errors(caplog)
    assert len(errors) == 3, [r.getMessage() for r in errors]  # one line per failed round
    assert all("database is locked" in r.getMessage() for r in errors)
    assert all(r.exc_info is None and not r.exc_text for r in errors), "logged with a traceback"
    assert any("event=delivery_recovered" in r.getMessage() for r in caplog.records)
    store.close()


def test_failed_rounds_back_off_even_while_accepted_messages_wait_to_be_recorded(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database that keeps failing must not be retried (and logged) every 50 ms: the backoff holds."""
    caplog.set_level(logging.INFO)
    monkeypatch.setattr(worker_module, "ERROR_BACKOFF", (0.2, 5.0))
    store = guarded_store(tmp_path)
    queue_alerts(store, [1])
    faults = DbFaults(store.engine)
    faults.fail("mark_sent_many", _mark_sent_many, times=3)
    sender = Recorder()

    async def scenario() -> dict[str, int]:
        db = Database(store)
        worker = DeliveryWorker(db, sender, RateLimiter(NO_LIMITS))

        async def body(task: asyncio.Task[None]) -> dict[str, int]:
            return await until(store.outbox_counts, lambda c: c == {"sent": 1}, timeout=10, abort=task.done)

        counts, _ = await run_worker(worker, body)
        await db.close()
        return counts

    assert asyncio.run(scenario()) == {"sent": 1}
    assert faults.raised == {"mark_sent_many": 3} and sender.calls == [1]
    at = [r.created for r in delivery_errors(caplog)]
    assert len(at) == 3
    gaps = [at[1] - at[0], at[2] - at[1]]
    # 0.2 s, then 0.4 s (timers may fire a hair early; without the backoff the gaps are ~0.05 s)
    assert gaps[0] >= 0.15 and gaps[1] >= 0.3, f"failed rounds retried after {gaps} s"
    store.close()


# --------------------------------------------------------------------------- 3. rows stuck in flight


def test_row_whose_outcome_could_not_be_recorded_is_sent_later(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """af0550e: when `retry_later` failed, the row stayed in the worker's in-flight set until restart."""
    caplog.set_level(logging.INFO)
    monkeypatch.setattr(worker_module, "MAX_BACKOFF", 0.2)  # a recorded retry is due within 0.2 s
    store = guarded_store(tmp_path)
    queue_alerts(store, [1])
    faults = DbFaults(store.engine)
    faults.fail("retry_later", _retry_later, times=1)
    sender = Recorder({1: [Transient("HTTP 502: Bad Gateway")]})

    async def scenario() -> tuple[dict[str, int], bool]:
        db = Database(store)
        worker = DeliveryWorker(db, sender, RateLimiter(NO_LIMITS))

        async def body(task: asyncio.Task[None]) -> tuple[dict[str, int], bool]:
            counts = await until(store.outbox_counts, lambda c: c == {"sent": 1}, timeout=8, abort=task.done)
            return counts, not task.done()

        result, _ = await run_worker(worker, body)
        await db.close()
        return result

    counts, alive = asyncio.run(scenario())
    assert faults.raised == {"retry_later": 1}
    assert counts == {"sent": 1}, f"the row never left 'in flight' (sends: {sender.calls})"
    assert sender.calls == [1, 1]  # the 502, then the retry that went through
    assert alive
    assert [r for r in delivery_errors(caplog) if "chat=1" in r.getMessage()], "the failed recording was not logged"
    store.close()


# --------------------------------------------------------------------------- 4. the loop and the lock


def test_database_locked_by_another_process_does_not_stall_the_event_loop(tmp_path: Path) -> None:
    """af0550e called SQLAlchemy on the loop: a lock held elsewhere froze polling, delivery and replies."""
    store = guarded_store(tmp_path)
    db_path = tmp_path / "bot.db"

    async def scenario() -> tuple[float, bool, bool]:
        db = Database(store)
        async with LockHolder(db_path) as holder:
            beat = Heartbeat().start()
            subscribe = asyncio.create_task(db.run(store.upsert_chat, 5, "private", "ar"))
            await asyncio.sleep(LOCK_SECONDS)
            waited = not subscribe.done()  # it cannot finish while the other process holds the lock
            longest = await beat.stop()
            await holder.release()
        created = await asyncio.wait_for(subscribe, 15)  # and it finishes once the lock is gone
        await db.close()
        return longest, waited, created

    longest, waited, created = asyncio.run(scenario())
    assert longest < MAX_LOOP_STALL, f"the event loop stalled {longest:.2f}s while the database was locked"
    assert waited, "the write did not wait for the other process's lock (was the lock taken?)"
    assert created is True and store.chat(5) is not None
    store.close()


def test_guard_refuses_storage_calls_on_the_loop_and_the_boundary_runs_them(tmp_path: Path) -> None:
    store = guarded_store(tmp_path)

    async def scenario() -> bool:
        db = Database(store)
        with pytest.raises(LoopBlockedError):
            store.upsert_chat(5, "private", "ar")
        created = await db.run(store.upsert_chat, 5, "private", "ar")
        await db.close()
        return created

    assert asyncio.run(scenario()) is True
    assert store.chat(5) is not None  # outside any loop the store works as usual
    store.close()


# --------------------------------------------------------------------------- 5. one owner for the index


def test_delivery_callbacks_edit_the_index_on_the_event_loop_thread(tmp_path: Path) -> None:
    """af0550e ran on_chat_gone/on_migrated in worker threads, racing the loop over the index."""
    store = guarded_store(tmp_path)
    store.upsert_chat(11, "private", "ar")
    store.upsert_chat(-22, "group", "ar")
    store.upsert_chat(33, "private", "ar")
    queue_alerts(store, [11, -22, 33])
    subs = Subscriptions()
    for chat in (11, -22, 33):
        subs.set_chat(chat, ChatInfo("ar"))
        subs.add(chat, "غزة")
    sender = Recorder({11: [ChatGone("Forbidden: bot was blocked by the user")], -22: [Migrated(-100022)]})
    seen: list[tuple[str, tuple[int, ...], int]] = []

    def on_chat_gone(chat_id: int) -> None:
        seen.append(("gone", (chat_id,), threading.get_ident()))
        subs.drop_chat(chat_id)

    def on_migrated(old: int, new: int) -> None:
        seen.append(("migrated", (old, new), threading.get_ident()))
        subs.rename_chat(old, new)

    async def scenario() -> tuple[int, dict[str, int]]:
        loop_thread = threading.get_ident()
        db = Database(store)
        worker = DeliveryWorker(db, sender, RateLimiter(NO_LIMITS), on_chat_gone=on_chat_gone, on_migrated=on_migrated)

        async def body(task: asyncio.Task[None]) -> dict[str, int]:
            return await until(
                store.outbox_counts, lambda c: c == {"dropped": 1, "sent": 2} and len(seen) == 2, timeout=10, abort=task.done
            )

        counts, _ = await run_worker(worker, body)
        await db.close()
        return loop_thread, counts

    loop_thread, counts = asyncio.run(scenario())
    assert sorted((kind, args) for kind, args, _ in seen) == [("gone", (11,)), ("migrated", (-22, -100022))]
    assert {thread for _, _, thread in seen} == {loop_thread}, "an index callback ran off the event-loop thread"
    assert counts == {"dropped": 1, "sent": 2}
    assert sorted(sender.calls) == sorted([11, -22, -100022, 33])  # the migrated alert went to the new id
    gaza = Item("f", "u", "عاجل: قصف على غزة", "قصف على غزة")
    assert sorted(r.chat_id for r in subs.recipients(gaza)) == [-100022, 33]  # the index followed both
    store.close()


# --------------------------------------------------------------------------- 6. the real bot


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(per_chat_per_second=None) as server:
        yield server


def _fetched(fake: FakeTelegram, update_id: int) -> bool:
    """The bot's updater has taken `update_id` (a later getUpdates confirmed it)."""
    return any(int(p.get("offset") or 0) > update_id for p in fake.calls("getUpdates"))


def _chat(url: str, chat_id: int) -> Any:
    store = Store(url)
    try:
        return store.chat(chat_id)
    finally:
        store.close()


def test_bot_keeps_receiving_updates_while_another_process_locks_its_database(
    fake: FakeTelegram, feed_server: FeedServer, tmp_path: Path
) -> None:
    feed_server.route("/news.xml", EMPTY_FEED)
    cdir = write_config(tmp_path, feed_server.url("/news.xml"))

    async def scenario() -> dict[str, Any]:
        h = await start_bot(fake, feed_server, cdir)
        out: dict[str, Any] = {}
        try:
            async with LockHolder(tmp_path / "bot.db") as holder:
                locked_at = time.monotonic()
                beat = Heartbeat().start()
                start_update = fake.send_user_message(7, "/start")
                await until(lambda: _fetched(fake, start_update), bool, timeout=LOCK_SECONDS - 0.5)
                await asyncio.sleep(0.3)
                help_update = fake.send_user_message(8, "/help")
                out["help_fetched"] = await until(lambda: _fetched(fake, help_update), bool, timeout=LOCK_SECONDS - 1)
                out["start_fetched"] = _fetched(fake, start_update)
                await asyncio.sleep(max(0.0, LOCK_SECONDS - (time.monotonic() - locked_at)))
                out["reply_during_lock"] = len(fake.messages_to(7))
                out["stall"] = await beat.stop()
                releasing_at = time.monotonic()  # the lock is held until the holder reads "go"
                await holder.release()
            (reply,) = await h.wait(lambda: fake.wait_for_messages(7, 1, timeout=15))
            await h.wait(lambda: fake.wait_for_messages(8, 1, timeout=15))
            out["reply"], out["reply_after_release"] = reply.plain, reply.at >= releasing_at
            out["chat"] = await asyncio.to_thread(_chat, h.settings.database_url, 7)
        finally:
            out["exit"] = await h.shutdown()
        return out

    out = asyncio.run(scenario())
    assert out["stall"] < MAX_LOOP_STALL, f"the bot's event loop stalled {out['stall']:.2f}s during the lock"
    assert out["start_fetched"] and out["help_fetched"], "the updater stopped fetching updates during the lock"
    assert out["reply_during_lock"] == 0  # /start must write the chat: it waits for the lock...
    assert out["reply_after_release"] and "بوت عاجل" in out["reply"]  # ...and is answered once it is gone
    assert out["chat"] is not None and out["chat"].active
    assert out["exit"] == 0
