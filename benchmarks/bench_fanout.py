"""Fan one alert out to 10,000 subscribers through the fake Bot API at N msg/s.

Prints figures; asserts nothing. Run: ./dev bench-fanout [--subscribers N] [--rate N]

The real pipeline and delivery worker run in-process: the poller fetches the
seed feed from a local feed server, matches 10,000 subscribers, writes the
outbox in one transaction, and the worker sends through python-telegram-bot
to the fake server, which answers 429 if our pacing ever exceeds its limit.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from telegram import Bot  # noqa: E402
from telegram.request import HTTPXRequest  # noqa: E402

from bot.core.decide import Policy  # noqa: E402
from bot.core.models import (
    FeedConfig,  # noqa: E402
    Limits,  # noqa: E402
)
from bot.core.subscriptions import Subscriptions  # noqa: E402
from bot.delivery.limiter import RateLimiter  # noqa: E402
from bot.delivery.worker import DeliveryWorker  # noqa: E402
from bot.feeds.fetch import make_client  # noqa: E402
from bot.feeds.poller import Poller  # noqa: E402
from bot.storage import Store  # noqa: E402
from bot.telegram.chat_service import load_subscriptions  # noqa: E402
from bot.telegram.sender import TelegramSender  # noqa: E402
from tests.fake_telegram import FakeTelegram  # noqa: E402
from tests.feedserver import FeedServer  # noqa: E402

SEED_FEED = ROOT / "seeds" / "demo_news.xml"


def serve_fake(rate: float, conn) -> None:  # type: ignore[no-untyped-def]
    """The fake Bot API in its own process, as Telegram would be on its own machine."""
    with FakeTelegram(rate_per_second=rate) as fake:
        conn.send((fake.token, fake.base_url))
        conn.recv()  # "done"
        conn.send(([(m.chat_id, m.at) for m in fake.sent], fake.count_429))


async def fan_out(store: Store, token: str, base_url: str, feeds: FeedServer, rate: float) -> tuple[float, int]:
    subs = load_subscriptions(store, Subscriptions())
    bot = Bot(token, base_url=base_url, request=HTTPXRequest(connection_pool_size=64))
    async with bot, make_client() as client:
        worker = DeliveryWorker(store, TelegramSender(bot), RateLimiter(Limits(global_per_second=rate)), concurrency=64)
        poller = Poller(store, client, subs, Policy(max_age_hours=None), on_alerts=worker.wake)
        seen_at = time.monotonic()
        report = await poller.poll(FeedConfig("news", "الأخبار العربية", feeds.url("/news.xml"), 60), force=True)
        await worker.drain(timeout=3600)
    return seen_at, report.alerts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--subscribers", type=int, default=10_000)
    ap.add_argument("--rate", type=float, default=300.0, help="the fake server's limit, N messages per second")
    args = ap.parse_args()
    ours, theirs = mp.Pipe()
    server = mp.get_context("fork").Process(target=serve_fake, args=(args.rate, theirs), daemon=True)
    server.start()
    token, base_url = ours.recv()
    with tempfile.TemporaryDirectory() as tmp, FeedServer() as feeds:
        feeds.route("/news.xml", SEED_FEED.read_bytes())
        store = Store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        for chat in range(1, args.subscribers + 1):
            store.upsert_chat(100_000 + chat, "private", "ar")
            store.add_topic(100_000 + chat, "الملف النووي", "ملف نووي")
        seen_at, queued = asyncio.run(fan_out(store, token, base_url, feeds, args.rate))
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
        print(f"item first seen → last message: {sends[-1] - seen_at:.1f} s (first message after {sends[0] - seen_at:.2f} s)")
        print(f"peak memory (max RSS of the bot process; the fake server runs in its own): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
