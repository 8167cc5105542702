"""Metrics and health: /metrics after a fan-out through the fake Bot API; /healthz when the worker stops."""

from __future__ import annotations

import asyncio
import socket
import urllib.error
import urllib.request
from pathlib import Path

from bot.app.config import load_settings
from bot.app.runtime import build_runtime
from bot.core.models import OutboxRow
from bot.delivery.worker import Outcome, Sent
from bot.storage import Store
from tests.bot_harness import run, start_bot, write_config
from tests.fake_telegram import FakeTelegram
from tests.feedserver import FeedServer
from tests.helpers import seed_only_feed

SUBSCRIBERS = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def sample(text: str, name: str) -> float:
    """The value of one sample line (`name` includes its labels), 0 when absent."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return 0.0


def with_metrics(cdir: Path, port: int) -> None:
    settings = cdir / "settings.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + f'[metrics]\nlisten = "127.0.0.1:{port}"\n', encoding="utf-8")


def test_metrics_after_a_fanout(feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.route("/news.xml", seed_only_feed())
    cdir = write_config(tmp_path, feed_server.url("/news.xml"), limits="global_per_second = 200")
    port = free_port()
    with_metrics(cdir, port)
    store = Store(f"sqlite:///{tmp_path / 'bot.db'}")
    for chat in range(70_001, 70_001 + SUBSCRIBERS):
        store.upsert_chat(chat, "private", "ar")
        store.add_topic(chat, "الملف النووي", "ملف نووي")
    store.close()

    async def scenario() -> tuple[str, tuple[int, str]]:
        with FakeTelegram(rate_per_second=200) as fake:
            h = await start_bot(fake, feed_server, cdir)
            try:
                await h.wait(lambda: fake.wait_for_messages(70_001 + SUBSCRIBERS - 1, 1))
                await asyncio.sleep(0.3)
                text = (await asyncio.to_thread(get, f"http://127.0.0.1:{port}/metrics"))[1]
                health = await asyncio.to_thread(get, f"http://127.0.0.1:{port}/healthz")
                sent = len(fake.sent)
            finally:
                assert await h.shutdown() == 0
            assert sent == SUBSCRIBERS
            return text, health

    text, health = run(scenario)
    print("\n" + "\n".join(line for line in text.splitlines() if line.startswith("ajel_") and "_bucket" not in line))
    assert sample(text, "ajel_messages_sent_total") == SUBSCRIBERS
    assert sample(text, "ajel_alerts_queued_total") == SUBSCRIBERS
    assert sample(text, 'ajel_items_seen_total{source="news"}') >= 1
    assert sample(text, 'ajel_items_breaking_total{source="news"}') >= 1
    assert sample(text, "ajel_rate_limited_total") == 0
    assert sample(text, "ajel_queued_to_sent_seconds_count") == SUBSCRIBERS
    assert sample(text, "ajel_publish_to_queued_seconds_count") == 1  # one item reached the subscribers
    assert sample(text, "ajel_leader") == 1
    assert health == (200, "ok\n")


class _Ok:
    async def send(self, row: OutboxRow) -> Outcome:
        return Sent(1)


def test_healthz_fails_when_the_worker_stops(tmp_path: Path) -> None:
    cdir = write_config(tmp_path, "https://example.invalid/feed.xml")
    with_metrics(cdir, 0)
    settings = load_settings(cdir, env={})

    async def scenario() -> list[tuple[int, str]]:
        rt = await build_runtime(settings, _Ok())
        server = rt.metrics_server(lambda: True)
        assert server is not None
        await server.start()
        url = f"http://127.0.0.1:{server.port}/healthz"
        stop = asyncio.Event()
        task = asyncio.create_task(rt.worker.run(stop))
        await asyncio.sleep(0.1)
        seen = [await asyncio.to_thread(get, url)]
        stop.set()
        await task
        seen.append(await asyncio.to_thread(get, url))
        seen.append(await asyncio.to_thread(get, url.replace("/healthz", "/nothing")))
        await server.stop()
        await rt.aclose()
        return seen

    up, down, missing = run(scenario)
    assert up == (200, "ok\n")
    assert down[0] == 503 and "delivery worker not running" in down[1]
    assert missing[0] == 404


def test_metrics_are_off_by_default(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path, "https://example.invalid/feed.xml"), env={})
    assert settings.metrics_listen is None


def test_a_bad_listen_address_is_one_config_error(tmp_path: Path) -> None:
    import pytest

    from bot.app.config import ConfigError

    cdir = write_config(tmp_path, "https://example.invalid/feed.xml")
    (cdir / "settings.toml").write_text((cdir / "settings.toml").read_text(encoding="utf-8") + '[metrics]\nlisten = "nope"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="metrics.listen"):
        load_settings(cdir, env={})
