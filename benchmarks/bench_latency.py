"""Publish → push, end to end: how long after a newsroom posts does the phone buzz?

Prints figures; asserts nothing. Run:
    ./dev bench-latency [--subscribers N] [--duration S] [--feed-interval S] [--channel-interval S]

A local source server publishes breaking items at random moments (an RSS
feed, and a public-channel page when channel sources are available); the
real service (build_runtime, the APScheduler jobs, the delivery worker)
polls them at their intervals, and the fake Bot API, in its own process,
timestamps each message. For every published item we know: when it was
published, when the poll that first saw it began, and when its first message
reached the fake. The split says how much of the latency is waiting for the
poll and how much is the bot's own work.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app.config import Settings
from bot.app.runtime import build_runtime
from bot.core.decide import Policy
from bot.core.models import FeedConfig, Limits
from bot.delivery.limiter import RateLimiter
from bot.feeds.scheduler import make_scheduler, schedule_feeds
from bot.storage import Store
from bot.telegram.fast_sender import HttpSender
from tests.fake_telegram import FakeTelegram
from tests.feedserver import FeedServer

TOPIC = "الملف النووي"
# Events that share no content words (a real story merge would fold two of
# them into one alert): each headline is words drawn once from this pool.
POOL = ["زلزال", "فيضان", "حريق", "انفجار", "اجتماع", "قمة", "تصريح", "مهلة", "تقرير", "جولة", "رسالة", "اتفاق", "هدنة", "قصف", "غارة", "احتجاج", "إضراب", "انتخابات", "استقالة", "تعيين", "اغتيال", "اعتقال", "محاكمة", "حكم", "براءة", "عقوبات", "صفقة", "قرض", "منحة", "ميزانية", "تضخم", "بورصة", "نفط", "غاز", "قمح", "كهرباء", "مياه", "سد", "جسر", "مطار", "ميناء", "قطار", "طائرة", "سفينة", "شاحنة", "مستشفى", "جامعة", "مدرسة", "ملعب", "مسجد", "كنيسة", "سوق", "متحف", "طهران", "فيينا", "جنيف", "مسقط", "الدوحة", "القاهرة", "بغداد", "عمان", "بيروت", "أنقرة", "موسكو", "باريس", "لندن", "برلين", "روما", "مدريد", "أثينا", "نيروبي", "لاغوس", "داكار", "الرباط", "تونس", "الجزائر", "طرابلس", "الخرطوم", "صنعاء", "عدن", "جدة", "الرياض", "دبي", "المنامة", "الكويت"]


@dataclass
class Source:
    """One published source: its items, and when each request for it began."""

    path: str
    render: Callable[[list[tuple[int, str, float]]], bytes]
    items: list[tuple[int, str, float]] = field(default_factory=list)  # (n, headline, published wall time)
    requests: list[float] = field(default_factory=list)  # monotonic
    lock: threading.Lock = field(default_factory=threading.Lock)

    def body(self) -> Iterable[bytes]:
        with self.lock:
            self.requests.append(time.monotonic())
            return [self.render(list(self.items))]

    def publish(self, n: int, headline: str) -> float:
        with self.lock:
            self.items.append((n, headline, time.time()))
            return time.monotonic()


def rss(items: list[tuple[int, str, float]]) -> bytes:
    entries = "".join(
        f"<item><guid>event-{n}</guid><title>عاجل | {escape(h)}</title>"
        f"<link>https://example.org/news/{n}</link>"
        f"<pubDate>{format_datetime(datetime.fromtimestamp(at, UTC))}</pubDate>"
        f"<description>{escape(h)}.</description></item>"
        for n, h, at in reversed(items)
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{entries}</channel></rss>'.encode()


def serve_fake(rate: float, conn, parent_end) -> None:  # type: ignore[no-untyped-def]
    """The fake Bot API in its own process; hands back (chat, time, text) of every new message."""
    parent_end.close()
    with FakeTelegram(rate_per_second=rate) as fake:
        conn.send((fake.token, fake.base_url))
        try:
            conn.recv()
        except EOFError:
            return
        conn.send(([(m.chat_id, m.at, m.text) for m in fake.sent if not m.edited], fake.count_429))


def channel_page(items: list[tuple[int, str, float]]) -> bytes:
    """A public channel's preview page (t.me/s/NAME), shaped like the real one; newest last, 20 at most."""
    posts = "".join(
        f'<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message js-widget_message" '
        f'data-post="bench/{n + 1}"><div class="tgme_widget_message_bubble">'
        f'<div class="tgme_widget_message_text js-message_text" dir="auto"><b>عاجل | {escape(h)}</b><br/>'
        f"{escape(h)}.</div>"
        f'<div class="tgme_widget_message_footer"><span class="tgme_widget_message_meta">'
        f'<a class="tgme_widget_message_date" href="https://t.me/bench/{n + 1}">'
        f'<time datetime="{datetime.fromtimestamp(at, UTC).isoformat()}" class="time"></time></a></span></div>'
        f"</div></div></div>"
        for n, h, at in items[-20:]
    )
    before = f'<a class="tme_messages_more js-messages_more" data-before="{items[-20][0] + 1}" href="/s/bench?before={items[-20][0] + 1}"></a>' if len(items) > 20 else ""
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="canonical" href="https://t.me/s/bench"/></head>'
            f'<body><main class="tgme_main"><section class="tgme_channel_history js-message_history">{before}{posts}'
            f"</section></main></body></html>").encode()


def headlines(n: int, rng: random.Random) -> list[str]:
    """n headlines, pairwise without a shared word."""
    words = list(POOL)
    rng.shuffle(words)
    per = len(words) // max(n, 1)
    assert per >= 3, "more events than the word pool allows; lower --events"
    return [" ".join(words[i * per : (i + 1) * per]) for i in range(n)]


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] if s else float("nan")


async def run_service(settings: Settings, token: str, base_url: str, feeds: tuple[FeedConfig, ...], duration: float, limit: float,
                      publish: Callable[[], None]) -> None:
    sender = HttpSender(token, base_url)
    rt = await build_runtime(settings, sender, limiter=RateLimiter(Limits(global_per_second=limit, paid_broadcast=limit > 30)), policy=Policy(max_age_hours=None))
    stop = asyncio.Event()
    scheduler = make_scheduler()
    schedule_feeds(scheduler, feeds, rt.poll_job)
    rt.poller.on_alerts = rt.worker.wake
    scheduler.start()
    worker = asyncio.create_task(rt.worker.run(stop))
    publisher = asyncio.create_task(asyncio.to_thread(publish))
    try:
        await asyncio.sleep(duration)
    finally:
        scheduler.shutdown(wait=False)
        await publisher
        await rt.worker.drain(timeout=120)
        stop.set()
        await worker
        await rt.aclose()
        await sender.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--subscribers", type=int, default=1)
    ap.add_argument("--duration", type=float, default=180.0, help="seconds of publishing and polling")
    ap.add_argument("--events", type=int, default=24, help="items published per source at random moments")
    ap.add_argument("--feed-interval", type=float, default=60.0)
    ap.add_argument("--channel-interval", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--limit", type=float, default=30.0, help="messages per second, ours and the fake's (above 30: paid broadcast)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    ours, theirs = mp.Pipe()
    server = mp.get_context("fork").Process(target=serve_fake, args=(args.limit, theirs, ours), daemon=True)
    server.start()
    token, base_url = ours.recv()
    sources = {"feed": Source("/news.xml", rss), "channel": Source("/s/bench", channel_page)}
    published: dict[str, tuple[str, float]] = {}  # headline → (source kind, monotonic publish time)
    with tempfile.TemporaryDirectory() as tmp, FeedServer() as srv:
        for s in sources.values():
            srv.route(s.path, s.body)
        db = f"sqlite:///{Path(tmp) / 'latency.db'}"
        store = Store(db)
        for chat in range(1, args.subscribers + 1):
            store.upsert_chat(100_000 + chat, "private", "ar")
            store.set_chat(100_000 + chat, all_breaking=True)  # every breaking item, whatever its words
        store.close()
        feeds = (
            FeedConfig("news", "أخبار", srv.url("/news.xml"), args.feed_interval, "marked"),
            FeedConfig("bench", "قناة", srv.url("/s/bench"), args.channel_interval, "marked", kind="telegram", channel="bench"),
        )
        # Every event at a random moment, leaving one full interval at the end for the last poll.
        # The first poll of a channel only learns where it stands (its cursor), so events start after it.
        intervals = {"feed": args.feed_interval, "channel": args.channel_interval}
        plan = sorted((rng.uniform(5, max(6.0, args.duration - intervals[kind] - 15)), kind)
                      for kind in sources for _ in range(args.events))

        texts = headlines(len(plan), rng)

        def publish() -> None:
            t0 = time.monotonic()
            for n, (at, kind) in enumerate(plan):
                time.sleep(max(0.0, t0 + at - time.monotonic()))
                h = texts[n]
                published[h] = (kind, sources[kind].publish(n, h))

        settings = Settings(config_dir=ROOT / "config", database_url=db, telegram_base_url=base_url)
        asyncio.run(run_service(settings, token, base_url, feeds, args.duration, args.limit, publish))
        ours.send("done")
        sent, count_429 = ours.recv()
        server.join(10)
    report(sources, published, sent, count_429, args)


def report(sources: dict[str, Source], published: dict[str, tuple[str, float]],
           sent: list[tuple[int, float, str]], count_429: int, args: argparse.Namespace) -> None:
    first: dict[str, float] = {}
    for _, at, text in sorted(sent, key=lambda m: m[1]):
        for h in published:
            if h in text and h not in first:
                first[h] = at
    for kind, src in sources.items():
        total, wait, work = [], [], []
        per_poll: dict[float, float] = {}  # poll start → its first message
        missing = 0
        for h, (k, at) in published.items():
            if k != kind:
                continue
            if h not in first:
                missing += 1
                continue
            poll = next((r for r in sorted(src.requests) if r >= at), None)
            total.append(first[h] - at)
            if poll is not None:
                wait.append(poll - at)
                work.append(first[h] - poll)
                per_poll[poll] = min(per_poll.get(poll, first[h]), first[h])
        n = len(total)
        print(f"{kind}: {n} items published and pushed ({missing} never pushed), {args.subscribers:,} subscriber(s)")
        if not n:
            continue
        print(f"  publish → first message: p50 {pct(total, 0.5):.2f} s, p95 {pct(total, 0.95):.2f} s, max {max(total):.2f} s")
        print(f"  waiting for the poll:    p50 {pct(wait, 0.5):.2f} s, p95 {pct(wait, 0.95):.2f} s "
              f"({statistics.mean(wait) / statistics.mean(total):.0%} of the mean)")
        print(f"  fetch → its message:     p50 {pct(work, 0.5):.3f} s, p95 {pct(work, 0.95):.3f} s, max {max(work):.3f} s "
              "(items found by one poll share a subscriber's 1 message/s)")
        firsts = [m - poll for poll, m in per_poll.items()]
        print(f"  fetch → first message:   p50 {pct(firsts, 0.5):.3f} s, p95 {pct(firsts, 0.95):.3f} s "
              f"over {len(firsts)} polls that found new items")
    print(f"messages: {len(sent):,}; 429 answers: {count_429}")


if __name__ == "__main__":
    main()
