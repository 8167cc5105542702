"""Issue 14: one item for a large audience is queued in chunks off the loop, and a failure midway loses nobody."""

from __future__ import annotations

import asyncio
import gc
import time
from pathlib import Path

from sqlalchemy import func, select

from bot.core.decide import Policy
from bot.core.models import FeedConfig
from bot.core.subscriptions import ChatInfo, Subscriptions
from bot.feeds.fetch import make_client
from bot.feeds.poller import Poller
from bot.storage import Store
from bot.storage import schema as s
from bot.storage.boundary import Database
from tests.feedserver import FeedServer
from tests.test_large_poll_and_retention import heartbeat

N = 30_000
FEED = (
    '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'
    "<item><title>عاجل: اتصالات سرية بين طهران وواشنطن حول الملف النووي</title><link>https://news.example/1</link>"
    "<guid>n-1</guid><description>تمهيدًا لاستئناف المفاوضات النووية المتوقفة.</description></item>"
    "<item><title>عاجل: أمطار غزيرة على العاصمة</title><link>https://news.example/2</link><guid>n-2</guid></item>"
    "</channel></rss>"
).encode()


def audience(n: int) -> Subscriptions:
    subs = Subscriptions()
    for chat in range(1, n + 1):
        if chat % 10 == 0:
            subs.set_chat(chat, ChatInfo("en" if chat % 20 == 0 else "ar"))
        subs.add(chat, "الملف النووي")
        if chat % 7 == 0:
            subs.add(chat, "طهران")  # two matched topics: grouped into one alert listing both
    subs.add(3, "النووي", "exclude")  # an excluded word: chat 3 gets nothing
    gc.collect()
    gc.freeze()  # as load_subscriptions does after building the index at start-up
    return subs


def test_a_large_audience_is_queued_in_chunks_and_sending_can_start_before_the_end(feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.route("/f.xml", FEED)
    feed = FeedConfig("f", "الأخبار", feed_server.url("/f.xml"), 60)
    store = Store(f"sqlite:///{tmp_path / 'bot.db'}")
    db = Database(store)
    subs = audience(N)
    woken: list[tuple[float, int]] = []

    async def scenario() -> tuple[float, float, int]:
        stalls: list[float] = []
        stop = asyncio.Event()
        beat = asyncio.create_task(heartbeat(stalls, stop))
        async with make_client() as client:
            poller = Poller(db, client, subs, Policy(max_age_hours=None), on_alerts=lambda n: woken.append((time.perf_counter(), n)))
            started = time.perf_counter()
            report = await poller.poll(feed)
            took = time.perf_counter() - started
        stop.set()
        await beat
        return took, max(stalls), report.alerts

    took, stall, alerts = asyncio.run(scenario())
    first = woken[0][0] - (woken[-1][0] - took)
    print(f"\n{N:,} recipients queued in {took:.2f} s in {len(woken)} batches (first after {first:.2f} s); "
          f"longest loop stall {stall * 1000:.0f} ms")
    assert alerts == N - 1 and store.outbox_counts() == {"pending": N - 1}
    assert len(woken) > 2 and woken[0][1] <= 1000  # a small first batch: the sender starts early
    assert store.count_items() == 2
    rows = {r.chat_id: r for r in store.pending(N)}
    assert 3 not in rows and len(rows) == N - 1
    assert sorted(rows[14].topics) == sorted(("الملف النووي", "طهران")) and rows[1].topics == ("الملف النووي",)
    assert rows[20].lang == "en"
    with store.engine.connect() as conn:
        variants = conn.execute(select(func.count()).select_from(s.alerts)).scalar_one()
    assert variants == 4  # (ar, en) × (one topic, two topics): stored once each
    assert stall < 0.1


def test_a_fan_out_that_fails_midway_is_completed_by_the_next_poll_without_duplicates(feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.route("/f.xml", FEED, headers={"ETag": '"v1"'})
    feed = FeedConfig("f", "الأخبار", feed_server.url("/f.xml"), 60)
    store = Store(f"sqlite:///{tmp_path / 'bot.db'}")
    db = Database(store)
    subs = audience(N)
    real_queue = store.queue_columns
    calls = 0

    def failing_queue(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError("disk I/O error")  # the database failed in the middle of the fan-out
        return real_queue(*args, **kwargs)

    store.queue_columns = failing_queue  # type: ignore[method-assign]

    async def scenario() -> tuple[str | None, int]:
        async with make_client() as client:
            poller = Poller(db, client, subs, Policy(max_age_hours=None))
            try:
                await poller.poll(feed)
                first_error = None
            except OSError as exc:
                first_error = str(exc)
            partial = store.outbox_counts().get("pending", 0)
            assert store.count_items() == 0  # not recorded: the next poll decides it again
            assert store.feed_state("f", feed.url).etag is None  # validators not ahead of the items
            report = await poller.poll(feed, force=True)
            return first_error, partial + 0 * report.alerts

    error, partial = asyncio.run(scenario())
    assert error == "disk I/O error" and 0 < partial < N - 1
    assert store.outbox_counts() == {"pending": N - 1}  # everyone, once
    assert len({r.chat_id for r in store.pending(N)}) == N - 1
    assert store.count_items() == 2
