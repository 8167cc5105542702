"""Scenario 4: the process is SIGKILLed in the middle of a fan-out to 500 subscribers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.storage import Store
from tests.bot_harness import write_config
from tests.fake_telegram import FakeTelegram
from tests.feedserver import FeedServer
from tests.helpers import ROOT, seed_only_feed

SUBSCRIBERS = 500
RATE = 100  # messages per second, the fake's limit and ours


def start_bot(cdir: Path, fake: FakeTelegram, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_BASE_URL": fake.base_url}
    env.pop("DATABASE_URL", None)
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "bot", "--config", str(cdir), "run"], cwd=ROOT, env=env, stdout=out, stderr=out)


def wait_until(predicate, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def subscribers(feed_server: FeedServer, tmp_path: Path) -> tuple[Path, Store, range]:
    """SUBSCRIBERS chats following the seed's topic, and a feed that already carries the seed."""
    feed_server.route("/news.xml", seed_only_feed())
    cdir = write_config(tmp_path, feed_server.url("/news.xml"), limits=f"global_per_second = {RATE}")
    store = Store(f"sqlite:///{tmp_path / 'bot.db'}")
    chats = range(50_001, 50_001 + SUBSCRIBERS)
    for chat in chats:
        store.upsert_chat(chat, "private", "ar")
        store.add_topic(chat, "الملف النووي", "ملف نووي")
    return cdir, store, chats


def start_until_a_third_is_sent(cdir: Path, fake: FakeTelegram, log: Path) -> subprocess.Popen[bytes]:
    """Start the bot and return once a third of the fan-out has been accepted."""
    bot = start_bot(cdir, fake, log)
    try:
        wait_until(lambda: len(fake.sent) >= SUBSCRIBERS // 3, 60, "a third of the fan-out")
    except BaseException:
        bot.kill()
        raise
    return bot


def test_scenario4_sigkill_mid_fanout_loses_nothing(feed_server: FeedServer, tmp_path: Path) -> None:
    cdir, store, chats = subscribers(feed_server, tmp_path)
    log = tmp_path / "bot.log"
    with FakeTelegram(rate_per_second=RATE, per_chat_per_second=1.0) as fake:
        bot = start_until_a_third_is_sent(cdir, fake, log)
        try:
            bot.send_signal(signal.SIGKILL)
            bot.wait(10)
            accepted_at_kill = len(fake.sent)
            marked_at_kill = store.outbox_counts().get("sent", 0)
            in_flight = accepted_at_kill - marked_at_kill
            bot = start_bot(cdir, fake, log)
            wait_until(lambda: all(fake.messages_to(c) for c in (chats[0], chats[-1])) and len({m.chat_id for m in fake.sent}) == SUBSCRIBERS, 60, "every subscriber")
            wait_until(lambda: store.outbox_counts().get("pending", 0) == 0, 30, "an empty outbox")
        finally:
            bot.send_signal(signal.SIGTERM)
            bot.wait(30)
        per_chat = [len(fake.messages_to(c)) for c in chats]
        duplicates = sum(n - 1 for n in per_chat)
        print(f"\nSIGKILL after {accepted_at_kill} of {SUBSCRIBERS} sends accepted; {marked_at_kill} marked sent; "
              f"in flight at the kill: {in_flight}; duplicates after restart: {duplicates}; 429s: {fake.count_429}")
        assert min(per_chat) == 1, "a subscriber lost the alert"
        assert duplicates <= in_flight
        assert store.outbox_counts() == {"sent": SUBSCRIBERS}
        assert bot.returncode == 0, log.read_text()[-2000:]
        assert "123456:TEST-TOKEN" not in log.read_text()


def test_sigterm_mid_fanout_stops_cleanly_and_the_restart_finishes_without_duplicates(feed_server: FeedServer, tmp_path: Path) -> None:
    cdir, store, chats = subscribers(feed_server, tmp_path)
    log = tmp_path / "bot.log"
    with FakeTelegram(rate_per_second=RATE, per_chat_per_second=1.0) as fake:
        bot = start_until_a_third_is_sent(cdir, fake, log)
        try:
            bot.send_signal(signal.SIGTERM)
            assert bot.wait(30) == 0, log.read_text()[-2000:]
            counts = store.outbox_counts()
            # A clean stop records every message Telegram accepted, and keeps the rest queued.
            assert counts.get("sent", 0) == len(fake.sent) and counts.get("pending", 0) == SUBSCRIBERS - len(fake.sent)
            bot = start_bot(cdir, fake, log)
            wait_until(lambda: store.outbox_counts().get("pending", 0) == 0, 60, "an empty outbox")
        finally:
            bot.send_signal(signal.SIGINT)
            bot.wait(30)
        assert [len(fake.messages_to(c)) for c in chats] == [1] * SUBSCRIBERS
        assert bot.returncode == 0, log.read_text()[-2000:]
