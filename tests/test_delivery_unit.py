"""The rate limiter's arithmetic and the worker's exactly-once bookkeeping, over a real SQLite outbox."""

from __future__ import annotations

import asyncio
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
