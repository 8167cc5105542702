"""One breaking item to N subscribers: queueing, the loop, memory, the database, and the send rate.

Prints figures; asserts nothing. Run:
    ./dev bench-scale --recipients N [--limit 30|1000] [--null-sender] [--cpu-hog K] [--send-seconds S] [--safety F]

The production wiring (build_runtime) runs in this process: the poller
fetches the seed feed from a local feed server, the item matches every
subscriber, the fan-out is queued, and the delivery worker sends through
the lean HTTP sender to the fake Bot API, which runs in its own process and
answers 429 if our pacing ever exceeds its limit. `--null-sender` replaces
the network with a sender that accepts at once: the worker and the database
alone. Sending is measured for `--send-seconds` (default 30; 0 = until the
queue is empty), so that large audiences at 30/s do not take hours.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_fanout import process_cpu, serve_fake, start_hogs, stop_hogs
from sqlalchemy import insert

from bot.app.config import Settings
from bot.app.runtime import build_runtime
from bot.core.decide import Policy
from bot.core.models import FeedConfig, Limits, OutboxRow
from bot.delivery.limiter import RateLimiter
from bot.delivery.worker import Outcome, Sent
from bot.storage import Store
from bot.storage import schema as s
from bot.telegram.fast_sender import HttpSender
from tests.feedserver import FeedServer

SEED_FEED = ROOT / "seeds" / "demo_news.xml"
TOPIC = ("الملف النووي", "ملف نووي")
FIRST_CHAT = 100_000_000


class NullSender:
    """Accepts every message at once: what the worker and the database cost alone."""

    def __init__(self) -> None:
        self.times: list[float] = []

    async def send(self, row: OutboxRow) -> Outcome:
        self.times.append(time.monotonic())
        return Sent(len(self.times))


class TimedSender(HttpSender):
    """The lean sender, noting when each answer came back (the fake records arrivals in its own process)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.times: list[float] = []

    async def send(self, row: OutboxRow) -> Outcome:
        out = await super().send(row)
        self.times.append(time.monotonic())
        return out


def populate(url: str, n: int) -> None:
    """N private chats following one topic, written in bulk (not through the bot: that is not what is measured)."""
    store = Store(url)
    now = time.time()
    with store.engine.begin() as conn:
        for lo in range(0, n, 20_000):
            ids = range(FIRST_CHAT + lo, FIRST_CHAT + min(n, lo + 20_000))
            conn.execute(insert(s.chats), [{"id": c, "kind": "private", "lang": "ar", "created_at": now} for c in ids])
            conn.execute(insert(s.topics), [{"chat_id": c, "text": TOPIC[0], "key": TOPIC[1], "kind": "topic", "created_at": now} for c in ids])
    store.close()


async def heartbeat(stalls: list[float], stop: asyncio.Event) -> None:
    last = time.perf_counter()
    while not stop.is_set():
        await asyncio.sleep(0.005)
        now = time.perf_counter()
        stalls.append(now - last - 0.005)
        last = now


async def run(args: argparse.Namespace, db_url: str, feeds: FeedServer, token: str, base_url: str) -> dict[str, float]:
    limits = Limits(global_per_second=args.limit, paid_broadcast=args.limit > 30, safety=args.safety)
    settings = Settings(config_dir=ROOT / "config", database_url=db_url, telegram_base_url=base_url)
    sender: NullSender | TimedSender = NullSender() if args.null_sender else TimedSender(token, base_url, paid_broadcast=limits.paid_broadcast)
    loaded_at = time.monotonic()
    rt = await build_runtime(settings, sender, limiter=RateLimiter(limits), policy=Policy(max_age_hours=None), concurrency=64)
    out: dict[str, float] = {"load": time.monotonic() - loaded_at}
    stalls: list[float] = []
    stop, beat_stop = asyncio.Event(), asyncio.Event()
    try:
        out["db_before"] = float(await rt.db.run(rt.db.store.db_bytes) or 0)
        beat = asyncio.create_task(heartbeat(stalls, beat_stop))
        worker = asyncio.create_task(rt.worker.run(stop))
        rt.poller.on_alerts = rt.worker.wake
        feed = FeedConfig("news", "الأخبار العربية", feeds.url("/news.xml"), 60)
        cpu0, seen_at = process_cpu(), time.monotonic()
        report = await rt.poller.poll(feed, force=True)
        out["queued_at"] = time.monotonic() - seen_at
        out["queued"] = report.alerts
        out["db_after"] = float(await rt.db.run(rt.db.store.db_bytes) or 0)
        deadline = None if args.send_seconds <= 0 else seen_at + args.send_seconds
        while len(sender.times) < report.alerts and (deadline is None or time.monotonic() < deadline):
            await asyncio.sleep(0.1)
        stop.set()
        await worker
        out["cpu"] = process_cpu() - cpu0
        beat_stop.set()
        await beat
        times = sender.times
        out["sent"] = len(times)
        out["first"] = times[0] - seen_at if times else float("nan")
        out["span"] = times[-1] - times[0] if len(times) > 1 else float("nan")
        out["stall"] = max(stalls, default=0.0)
    finally:
        await rt.aclose()
        if isinstance(sender, HttpSender):
            await sender.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--recipients", type=int, default=10_000)
    ap.add_argument("--limit", type=float, default=1000.0, help="messages per second, ours and the fake's (above 30: paid broadcast)")
    ap.add_argument("--null-sender", action="store_true", help="no network: a sender that accepts at once")
    ap.add_argument("--safety", type=float, default=Limits().safety,
                    help="the share of the limit the bot paces at (telegram.limits.safety; default %(default)s)")
    ap.add_argument("--cpu-hog", type=int, default=0, metavar="K", help="keep K busy processes running meanwhile")
    ap.add_argument("--send-seconds", type=float, default=30.0, help="measure sending for this long (0: until all are sent)")
    ap.add_argument("--database-url", default=None, metavar="URL",
                    help="an EMPTY database to use instead of a throwaway SQLite file (e.g. postgresql+psycopg://…)")
    ap.add_argument("--keep-alive", action="store_true",
                    help="the fake keeps HTTP/1.1 connections open, as Telegram does (default: one connection per message)")
    args = ap.parse_args()
    token, base_url, server, ours = "0:null", "http://127.0.0.1:9/bot", None, None
    if not args.null_sender:
        ours, theirs = mp.Pipe()
        server = mp.get_context("fork").Process(target=serve_fake, args=(args.limit, theirs, ours, args.keep_alive), daemon=True)
        server.start()
        token, base_url = ours.recv()
    with tempfile.TemporaryDirectory() as tmp, FeedServer() as feeds:
        feeds.route("/news.xml", SEED_FEED.read_bytes())
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        populate(url, args.recipients)
        hogs = start_hogs(args.cpu_hog)
        try:
            r = asyncio.run(run(args, url, feeds, token, base_url))
        finally:
            stop_hogs(hogs)
        count_429 = 0
        if ours is not None and server is not None:
            ours.send("done")
            _sent, count_429 = ours.recv()
            server.join(10)
    n = args.recipients
    rate = (r["sent"] - 1) / r["span"] if r["span"] > 0 else float("nan")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mode = "null sender (no network)" if args.null_sender else "fake Bot API in its own process"
    mode += f"; {url.split(':', 1)[0].split('+', 1)[0]}"
    if args.keep_alive and not args.null_sender:
        mode += ", keep-alive"
    print(f"recipients: {n:,} ({int(r['queued']):,} alerts queued; index loaded in {r['load']:.1f} s; {mode}; "
          f"{args.cpu_hog} CPU hogs on {os.cpu_count()} CPUs; paced at {args.safety} of the limit; load average {os.getloadavg()[0]:.2f})")
    print(f"fetch → first message: {r['first']:.2f} s")
    print(f"fetch → all queued: {r['queued_at']:.2f} s")
    print(f"longest event-loop stall: {r['stall'] * 1000:.0f} ms")
    print(f"peak RSS: {peak_mb:.0f} MB")
    print(f"database bytes per recipient: {(r['db_after'] - r['db_before']) / max(n, 1):.1f}")
    print(f"achieved rate: {rate:.1f}/s = {rate / args.limit:.2f} of the limit {args.limit:.0f}/s "
          f"({int(r['sent']):,} messages in {r['span']:.1f} s; CPU {r['cpu'] * 1000 / max(r['sent'], 1):.2f} ms per message)")
    print(f"429 answers: {count_429}")


if __name__ == "__main__":
    main()
