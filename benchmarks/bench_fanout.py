"""Fan one alert out to 10,000 subscribers through the fake Bot API at N msg/s.

Prints figures; asserts nothing. Run: ./dev bench-fanout [--subscribers N] [--rate N] [--cpu-hog N]

The real pipeline and delivery worker run in-process: the poller fetches the
seed feed from a local feed server, matches 10,000 subscribers, writes the
outbox in one transaction, and the worker sends through python-telegram-bot
to the fake server, which answers 429 if our pacing ever exceeds its limit.

`--cpu-hog N` keeps N busy-loop processes running during the fan-out, to see
whether pacing holds when the bot (and the fake server) are scheduled late.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from bot.app.config import Settings
from bot.app.runtime import build_runtime
from bot.core.decide import Policy
from bot.core.models import (
    FeedConfig,
    Limits,
)
from bot.delivery.limiter import RateLimiter
from bot.storage import Store
from bot.telegram.fast_sender import HttpSender
from tests.fake_telegram import FakeTelegram
from tests.feedserver import FeedServer

SEED_FEED = ROOT / "seeds" / "demo_news.xml"
# A hog stops by itself after this long, or as soon as the benchmark that
# started it is gone, even if the benchmark was killed and never cleaned up.
HOG_MAX_SECONDS = 600
HOG_CODE = """
import os, signal, sys, time
signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the benchmark, which then stops us
deadline = time.monotonic() + float(sys.argv[1])
parent = int(sys.argv[2])
print("ready", flush=True)
n = 0
while True:
    n += 1
    if n % 200_000 == 0 and (time.monotonic() > deadline or os.getppid() != parent):
        break
"""


def start_hogs(n: int) -> list[subprocess.Popen[str]]:
    """N separate busy-loop processes, each bounded by HOG_MAX_SECONDS and by our lifetime."""
    hogs: list[subprocess.Popen[str]] = []
    try:
        for _ in range(n):
            command = [sys.executable, "-c", HOG_CODE, str(HOG_MAX_SECONDS), str(os.getpid())]
            hogs.append(subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True))
        for hog in hogs:  # all spinning before the fan-out starts
            if hog.stdout is None or hog.stdout.readline().strip() != "ready":
                raise RuntimeError("a CPU hog did not start")
    except BaseException:
        stop_hogs(hogs)
        raise
    return hogs


def stop_hogs(hogs: list[subprocess.Popen[str]]) -> None:
    for hog in hogs:
        hog.terminate()
    for hog in hogs:
        try:
            hog.wait(5)
        except subprocess.TimeoutExpired:
            hog.kill()
            hog.wait(5)
        if hog.stdout is not None:
            hog.stdout.close()


@dataclass
class RecordingLimiter(RateLimiter):
    """The real limiter, also noting when each send left (for the pacing figures)."""

    departures: list[float] = field(default_factory=list)
    last_to_chat: dict[int, float] = field(default_factory=dict)

    def take(self, chat_id: int, now: float) -> None:
        super().take(chat_id, now)
        self.departures.append(now)
        self.last_to_chat[chat_id] = now


def process_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def busiest_second(times: list[float]) -> int:
    """Most sends in any 1-second window (a, a + 1], as the fake server counts them."""
    times, best, lo = sorted(times), 0, 0
    for hi, t in enumerate(times):
        while times[lo] <= t - 1.0:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def serve_fake(rate: float, conn, parent_end, keep_alive: bool = False) -> None:  # type: ignore[no-untyped-def]
    """The fake Bot API in its own process, as Telegram would be on its own machine."""
    parent_end.close()  # so that the benchmark's death reads as EOF here, and this process ends too
    with FakeTelegram(rate_per_second=rate, keep_alive=keep_alive) as fake:
        conn.send((fake.token, fake.base_url))
        try:
            conn.recv()  # "done"
        except EOFError:
            return
        conn.send(([(m.chat_id, m.at) for m in fake.sent], fake.count_429))


async def fan_out(db_url: str, token: str, base_url: str, feeds: FeedServer, limiter: RateLimiter) -> tuple[float, int]:
    """The production wiring (build_runtime) with the lean HTTP sender, against the fake in its own process."""
    settings = Settings(config_dir=ROOT / "config", database_url=db_url, telegram_base_url=base_url)
    sender = HttpSender(token, base_url, paid_broadcast=limiter.limits.paid_broadcast)
    rt = await build_runtime(settings, sender, limiter=limiter, policy=Policy(max_age_hours=None), concurrency=64)
    try:
        rt.poller.on_alerts = rt.worker.wake
        seen_at = time.monotonic()
        report = await rt.poller.poll(FeedConfig("news", "الأخبار العربية", feeds.url("/news.xml"), 60), force=True)
        await rt.worker.drain(timeout=3600)
    finally:
        await rt.aclose()
        await sender.close()
    return seen_at, report.alerts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--subscribers", type=int, default=10_000)
    ap.add_argument("--rate", "--limit", dest="rate", type=float, default=300.0,
                    help="the fake server's limit and ours, N messages per second (above 30: as with paid_broadcast)")
    ap.add_argument("--cpu-hog", type=int, default=0, metavar="N", help="keep N busy processes running during the fan-out")
    ap.add_argument("--keep-alive", action="store_true",
                    help="the fake keeps HTTP/1.1 connections open, as Telegram does (default: one connection per message)")
    args = ap.parse_args()
    ours, theirs = mp.Pipe()
    server = mp.get_context("fork").Process(target=serve_fake, args=(args.rate, theirs, ours, args.keep_alive), daemon=True)
    server.start()
    token, base_url = ours.recv()
    with tempfile.TemporaryDirectory() as tmp, FeedServer() as feeds:
        feeds.route("/news.xml", SEED_FEED.read_bytes())
        store = Store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        for chat in range(1, args.subscribers + 1):
            store.upsert_chat(100_000 + chat, "private", "ar")
            store.add_topic(100_000 + chat, "الملف النووي", "ملف نووي")
        limiter = RecordingLimiter(Limits(global_per_second=args.rate, paid_broadcast=args.rate > 30))
        hogs = start_hogs(args.cpu_hog)
        try:
            cpu_before, wall_before = process_cpu(), time.monotonic()
            seen_at, queued = asyncio.run(fan_out(f"sqlite:///{Path(tmp) / 'bench.db'}", token, base_url, feeds, limiter))
            cpu, wall = process_cpu() - cpu_before, time.monotonic() - wall_before
        finally:
            stop_hogs(hogs)
        ours.send("done")
        sent, count_429 = ours.recv()
        server.join(10)
        sends = sorted(at for _, at in sent)
        span = sends[-1] - sends[0]
        achieved = (len(sends) - 1) / span if span > 0 else float("nan")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"subscribers: {args.subscribers:,}; alerts queued: {queued:,}; messages delivered: {len(sends):,} "
              f"to {len({c for c, _ in sent}):,} chats")
        print(f"limit N = {args.rate:.0f}/s; achieved {achieved:.1f}/s = {achieved / args.rate:.2f} of N")
        print(f"429 answers received: {count_429}")
        print(f"CPU hogs: {len(hogs)} busy processes ran during the fan-out (machine has {os.cpu_count()} CPUs)")
        left = limiter.last_to_chat
        delays = sorted(at - left[c] for c, at in sent if c in left)
        print(f"busiest second: {busiest_second(limiter.departures)} sends left, "
              f"{busiest_second(sends)} arrived (limit {args.rate:.0f})")
        if delays:
            print(f"send → arrival: median {delays[len(delays) // 2] * 1000:.1f} ms, "
                  f"p99 {delays[int(len(delays) * 0.99)] * 1000:.1f} ms, max {delays[-1] * 1000:.1f} ms")
        print(f"bot process CPU during the fan-out: {cpu:.1f} s in {wall:.1f} s = {cpu / wall:.2f} of a core, "
              f"{cpu / max(len(limiter.departures), 1) * 1000:.2f} ms per send")
        print(f"item first seen → last message: {sends[-1] - seen_at:.1f} s (first message after {sends[0] - seen_at:.2f} s)")
        print(f"peak memory (max RSS of the bot process; the fake server runs in its own): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
