"""Webhook mode: setWebhook is registered; the fake Bot API POSTs updates as Telegram does; a wrong secret is refused."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from bot.app.config import load_settings
from bot.app.run import run_service
from tests.bot_harness import run, write_config
from tests.fake_telegram import FakeTelegram
from tests.feedserver import FeedServer
from tests.test_metrics import free_port

SECRET = "s3cret-token_ok"


def test_webhook_end_to_end(feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.route("/news.xml", b"<rss><channel></channel></rss>")
    cdir = write_config(tmp_path, feed_server.url("/news.xml"))
    port = free_port()
    settings_file = cdir / "settings.toml"
    settings_file.write_text(
        settings_file.read_text(encoding="utf-8")
        + f'[telegram.webhook]\nurl = "http://127.0.0.1:{port}/hook"\nlisten = "127.0.0.1:{port}"\npath = "hook"\nsecret = "{SECRET}"\n',
        encoding="utf-8",
    )

    async def scenario() -> tuple[dict[str, object] | None, int, int, list[int], int]:
        with FakeTelegram() as fake:
            os.environ["TELEGRAM_BOT_TOKEN"] = fake.token
            os.environ["TELEGRAM_BASE_URL"] = fake.base_url
            os.environ.pop("DATABASE_URL", None)
            stop = asyncio.Event()
            task = asyncio.create_task(run_service(load_settings(cdir), stop=stop))
            try:
                await asyncio.to_thread(fake.wait_for_calls, "setWebhook", 1)
                await asyncio.sleep(0.3)
                registered = dict(fake.webhook or {})
                fake.send_user_message(1234, "/start")
                await asyncio.to_thread(fake.wait_for_messages, 1234, 1)
                wrong = await asyncio.to_thread(fake.post_to_webhook, {"update_id": 9, "message": {}}, "wrong")
                missing = await asyncio.to_thread(fake.post_to_webhook, {"update_id": 10, "message": {}}, None)
                polls = len(fake.calls("getUpdates"))
            finally:
                stop.set()
                assert await asyncio.wait_for(task, 30) == 0
            return registered, wrong, missing, list(fake.webhook_statuses), polls

    registered, wrong, missing, statuses, polls = run(scenario)
    assert registered == {"url": f"http://127.0.0.1:{port}/hook", "secret_token": SECRET}
    assert statuses == [200]
    assert wrong == 403 and missing == 403
    assert polls == 0
