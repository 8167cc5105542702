"""`python -m bot run`: the Telegram bot, the feed scheduler and the delivery
worker, in one event loop."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys

from telegram.ext import Application, ApplicationBuilder

from bot.app.config import Settings
from bot.core.decide import Policy
from bot.core.subscriptions import Subscriptions
from bot.delivery.limiter import RateLimiter
from bot.delivery.worker import DeliveryWorker
from bot.feeds.fetch import make_client
from bot.feeds.poller import Poller
from bot.feeds.scheduler import make_scheduler, schedule_feeds
from bot.storage import Store
from bot.telegram.chat_service import ChatService, load_subscriptions
from bot.telegram.handlers import install, register_commands
from bot.telegram.sender import TelegramSender

log = logging.getLogger("bot.app.run")


class RedactToken(logging.Filter):
    """The token is in every Bot API URL; no log line may carry it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<token>"), ()
        return True


def guard_logs(token: str) -> None:
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken(token))


def build_application(settings: Settings, token: str) -> Application:
    return (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_url.replace("/bot", "/file/bot"))
        .connection_pool_size(64)  # the delivery worker sends many messages at once
        .pool_timeout(10.0)
        .read_timeout(15.0)
        .get_updates_read_timeout(35.0)
        .build()
    )


async def run_service(settings: Settings, *, stop: asyncio.Event | None = None) -> int:
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        print("TELEGRAM_BOT_TOKEN is not set: export your bot's token (from @BotFather) and run again.", file=sys.stderr)
        return 2
    guard_logs(token)
    stop = stop or asyncio.Event()
    _on_signals(stop)
    store = Store(settings.database_url)
    try:
        await _serve(settings, token, store, stop)
    finally:
        store.close()
    log.info("event=stopped")
    return 0


async def _serve(settings: Settings, token: str, store: Store, stop: asyncio.Event) -> None:
    subs = load_subscriptions(store, Subscriptions(settings.aliases))
    app = build_application(settings, token)
    service = ChatService(store, subs, settings)
    install(app, service, settings.admins)
    worker = DeliveryWorker(
        store, TelegramSender(app.bot), RateLimiter(settings.limits),
        on_chat_gone=subs.drop_chat, on_migrated=subs.rename_chat,
    )
    policy = Policy(settings.timezone, settings.lead_chars, settings.max_item_age_hours)
    async with make_client() as client, app:
        poller = Poller(store, client, subs, policy, on_alerts=worker.wake)
        await register_commands(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(allowed_updates=["message", "callback_query", "my_chat_member"])
        scheduler = make_scheduler()
        schedule_feeds(scheduler, settings.feeds, poller.poll)
        scheduler.start()
        log.info("event=started feeds=%d chats=%d", len(settings.feeds), subs.chat_count)
        worker_task = asyncio.create_task(worker.run(stop))
        try:
            await stop.wait()
        finally:
            stop.set()
            scheduler.shutdown(wait=False)
            await asyncio.gather(worker_task, return_exceptions=True)  # in-flight sends finish and are recorded
            if app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()


def _on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # not the main thread, or not Unix
            pass
