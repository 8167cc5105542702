"""The rate limiter's arithmetic and the worker's exactly-once bookkeeping, over a real SQLite outbox."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path

from bot.core.models import ItemRecord, Limits, OutboxRow
from bot.delivery.limiter import SAFETY, RateLimiter
from bot.delivery.worker import DeliveryWorker, Outcome, Sent, Transient
from bot.storage import Store
from bot.storage.boundary import Database


def test_global_pace_stays_under_the_limit() -> None:
    limiter = RateLimiter(Limits(global_per_second=30, per_chat_per_second=1, group_per_minute=20))
    now, sent = 0.0, []
    while now < 10.0:
        at = limiter.global_at(now)
        limiter.take(len(sent) + 1, at)
        sent.append(at)
        now = at
    worst = max(sum(1 for t in sent if s <= t < s + 1.0) for s in sent)
    assert len(sent) / 10 >= 30 * SAFETY * 0.95 and worst <= 30


def test_same_chat_waits_a_second_and_groups_twenty_a_minute() -> None:
    limiter = RateLimiter(Limits(1000, 1, 20))
    limiter.take(5, 0.0)
    assert limiter.ready_at(5, 0.1) > 1.0 and limiter.ready_at(6, 0.1) == 0.1
    t = 0.0
    for _ in range(int(20 * SAFETY)):
        t = limiter.ready_at(-9, t)
        limiter.take(-9, t)
    assert limiter.ready_at(-9, t) >= 60.0


def test_pause_holds_everyone() -> None:
    limiter = RateLimiter(Limits(1000, 1000, 1000))
    limiter.pause(5.0)
    assert limiter.ready_at(1, 0.0) == 5.0 and limiter.global_at(0.0) == 5.0


class Flaky:
    """Answers like Telegram would: the first send to chat 3 hits a network error."""

    def __init__(self) -> None:
        self.sent: Counter[int] = Counter()
        self.failed = False

    async def send(self, row: OutboxRow) -> Outcome:
        await asyncio.sleep(0.001)
        if row.chat_id == 3 and not self.failed:
            self.failed = True
            return Transient("boom")
        self.sent[row.chat_id] += 1
        return Sent(row.chat_id * 10)


def test_worker_sends_each_alert_once_even_when_drained_concurrently(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    store.record(
        [ItemRecord("k", "f", "u", "t", None, None, True, "category", ("item:k",))],
        [OutboxRow("k", chat, "<b>x</b>") for chat in range(1, 41)],
    )
    sender = Flaky()

    async def run() -> None:
        worker = DeliveryWorker(Database(store), sender, RateLimiter(Limits(1e6, 1e6, 1e6)))
        await asyncio.gather(worker.drain(), worker.drain(), worker.drain())
        store.retry_later(next(r.id for r in store.pending(now=1e12)) or 0, 0.0, "retry now")
        await worker.drain()

    asyncio.run(run())
    assert sorted(sender.sent) == list(range(1, 41)) and set(sender.sent.values()) == {1}
    assert store.outbox_counts() == {"sent": 40}


def test_a_wake_during_a_round_is_not_lost(tmp_path: Path) -> None:
    """The poller's wake() can come while the worker is between reading the outbox
    and going to sleep; that alert must go now, not after the idle second."""
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    sender = Flaky()

    async def scenario() -> float:
        loop = asyncio.get_running_loop()
        worker = DeliveryWorker(Database(store), sender, RateLimiter(Limits(1e6, 1e6, 1e6)))
        stop = asyncio.Event()
        idle = await worker._round(stop)  # nothing queued: the worker would sleep `idle`
        worker.wake()  # the poller queued an alert just after that read
        started = loop.time()
        await worker._sleep(stop, idle)
        return (loop.time() - started) / idle

    assert asyncio.run(scenario()) < 0.5


def test_sending_goes_on_while_the_database_thread_is_busy(tmp_path: Path) -> None:
    """A large fan-out keeps the database thread busy with long writes: the worker records its sends and
    refills its queue in the background, and keeps sending the rows it holds meanwhile (it used to wait
    for each of those calls: one send per refill while 500,000 rows were being queued)."""
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    store.record(
        [ItemRecord("k", "f", "u", "t", None, None, True, "category", ("item:k",))],
        [OutboxRow("k", chat, "<b>x</b>") for chat in range(1, 601)],
    )
    times: list[float] = []

    class Quick:
        async def send(self, row: OutboxRow) -> Outcome:
            times.append(asyncio.get_running_loop().time())
            return Sent(row.chat_id)

    async def run() -> tuple[int, int]:
        db = Database(store)
        worker = DeliveryWorker(db, Quick(), RateLimiter(Limits(400, 1e6, 1e6)))
        stop = asyncio.Event()
        task = asyncio.create_task(worker.run(stop))
        while len(times) < 20:
            await asyncio.sleep(0.01)
        busy_from = asyncio.get_running_loop().time()
        for _ in range(4):  # four long writes back to back, as a fan-out's chunks come
            worker.wake()  # each one's rows are new: the worker wants a full refill
            await db.run(time.sleep, 0.2)
        busy_to = asyncio.get_running_loop().time()
        stop.set()
        await task
        await db.close()
        return sum(busy_from <= t < busy_to for t in times), round((busy_to - busy_from) * 400 * SAFETY)

    during, paced = asyncio.run(run())
    assert during >= 0.8 * paced, f"{during} sends while the database thread was busy, the pace allows {paced}"
    assert store.outbox_counts().get("sent", 0) == len(times)  # and none twice, whatever the refills crossed


def test_a_row_whose_chat_wants_it_as_stored_is_sent_without_a_copy(tmp_path: Path) -> None:
    """Per-chat settings copy a row only when they change it (a copy per message was ~15 µs at 1,000/s)."""
    from bot.core.prefs import ChatPrefs

    prefs = {1: ChatPrefs(), 2: ChatPrefs(silent=True), 3: ChatPrefs(previews=True)}
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    worker = DeliveryWorker(Database(store), Flaky(), RateLimiter(Limits()), prefs_of=prefs.get)
    rows = {c: OutboxRow("k", c, "<b>x</b>", id=c) for c in (1, 2, 3, 4)}
    plain, _ = worker._with_prefs(rows[1])
    silent, _ = worker._with_prefs(rows[2])
    preview, _ = worker._with_prefs(rows[3])
    unknown, _ = worker._with_prefs(rows[4])
    assert plain is rows[1] and unknown is rows[4]
    assert silent.silent and not silent.preview and preview.preview and not preview.silent
    store.close()
