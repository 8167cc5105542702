"""Runs the real bot service in-process against the fake Bot API and a local feed server."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from bot.app.config import Settings, load_settings
from bot.app.run import run_service
from tests.fake_telegram import FakeTelegram
from tests.feedserver import FeedServer

T = TypeVar("T")
EMPTY_FEED = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>https://news.example/</link><description>d</description></channel></rss>"""


def write_config(tmp: Path, feed_url: str, *, interval: float = 0.5, limits: str = "", admins: str = "[]") -> Path:
    cdir = tmp / "config"
    cdir.mkdir(exist_ok=True)
    (cdir / "settings.toml").write_text(
        f'[storage]\ndatabase_url = "sqlite:///{tmp / "bot.db"}"\n'
        f"[telegram]\nadmins = {admins}\n"
        f"[telegram.limits]\n{limits}\n"
        '[alerts]\ntimezone = "Asia/Riyadh"\nmax_item_age_hours = 0\n',
        encoding="utf-8",
    )
    (cdir / "feeds.toml").write_text(
        f'[[feed]]\nid = "news"\nname = "الأخبار العربية (تجريبي)"\nurl = "{feed_url}"\ninterval = {interval}\n',
        encoding="utf-8",
    )
    # The shipped aliases, concepts and senses apply (a folder without them gets
    # the shipped ones): scenarios that count one alert per subscriber serve
    # `tests.helpers.seed_only_feed()`, since «الملف النووي» also matches the
    # demo feed's IAEA item.
    return cdir


@dataclass
class Harness:
    fake: FakeTelegram
    feeds: FeedServer
    settings: Settings
    stop: asyncio.Event
    task: asyncio.Task[int]

    async def wait(self, fn: Callable[[], T]) -> T:
        """Run a blocking fake-server helper without blocking the bot's loop."""
        return await asyncio.to_thread(fn)

    async def say(self, chat_id: int, text: str, **kw: object) -> None:
        """A user types `text` and the bot answers it (one reply awaited)."""
        before = len(self.fake.messages_to(chat_id))
        self.fake.send_user_message(chat_id, text, **kw)  # type: ignore[arg-type]
        await self.wait(lambda: self.fake.wait_for_messages(chat_id, before + 1))

    async def subscribe(self, chat_id: int, topics: str, **kw: object) -> None:
        """The user sends /start, then /add with `topics`."""
        await self.say(chat_id, "/start", **kw)
        await self.say(chat_id, f"/add {topics}", **kw)

    async def shutdown(self) -> int:
        self.stop.set()
        return await asyncio.wait_for(self.task, 30)


async def start_bot(fake: FakeTelegram, feeds: FeedServer, config_dir: Path, *, wall_clock: Callable[[], float] | None = None) -> Harness:
    """Start the service; `wall_clock` replaces time.time for quiet hours (a test's clock)."""
    os.environ["TELEGRAM_BOT_TOKEN"] = fake.token
    os.environ["TELEGRAM_BASE_URL"] = fake.base_url
    os.environ.pop("DATABASE_URL", None)
    settings = load_settings(config_dir)
    stop = asyncio.Event()
    task = asyncio.create_task(run_service(settings, stop=stop, wall_clock=wall_clock))
    await asyncio.to_thread(fake.wait_for_calls, "getUpdates", 1)
    return Harness(fake, feeds, settings, stop, task)


def run(coro_fn: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(coro_fn())  # type: ignore[arg-type]
