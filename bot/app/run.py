"""`python -m bot run`: the Telegram bot, the feed scheduler and the delivery
worker, in one event loop, each long-running part supervised."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.error import InvalidToken, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot.app.config import Settings
from bot.app.runtime import Runtime, build_runtime
from bot.app.secrets import install_log_redaction, redact
from bot.app.supervisor import FatalError, supervise, wait_or_stop
from bot.feeds.scheduler import make_scheduler, schedule_feeds, schedule_retention
from bot.storage.lock import InstanceLockedError
from bot.telegram.chat_service import ChatService
from bot.telegram.fast_sender import HttpSender
from bot.telegram.handlers import install, register_commands

log = logging.getLogger("bot.service")
App = Application[Any, Any, Any, Any, Any, Any]
STARTUP_BACKOFF = (1.0, 30.0)
# Replies wait out a 429 this many times before the handler gives up (one log line).
REPLY_RETRIES = 3


def build_application(settings: Settings, token: str) -> App:
    # The application's bot answers users: its limiter keeps replies within
    # the group limit and waits out a 429 instead of failing the handler.
    # Alerts go through the delivery worker's own bot and limiter.
    limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=settings.limits.group_per_minute, max_retries=REPLY_RETRIES)
    return (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_url.replace("/bot", "/file/bot"))
        .rate_limiter(limiter)
        .pool_timeout(10.0)
        .read_timeout(15.0)
        .get_updates_read_timeout(35.0)
        .build()
    )


async def run_service(settings: Settings, *, stop: asyncio.Event | None = None, wall_clock: Callable[[], float] | None = None) -> int:
    """Run the bot until `stop`; `wall_clock` (tests) is the time quiet hours are read on."""
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        print("TELEGRAM_BOT_TOKEN is not set: export your bot's token (from @BotFather) and run again.", file=sys.stderr)
        return 2
    install_log_redaction()  # also when called without the CLI (tests, embedding)
    stop = stop or asyncio.Event()
    _on_signals(stop)
    sender = HttpSender(token, settings.telegram_base_url, paid_broadcast=settings.limits.paid_broadcast)
    try:
        runtime = await build_runtime(settings, sender, wall_clock=wall_clock or time.time)
    except (InstanceLockedError, FatalError) as exc:
        await sender.close()
        print(f"ajel: {redact(str(exc))}", file=sys.stderr)
        return exc.exit_code if isinstance(exc, FatalError) else 2
    try:
        await _serve(settings, token, runtime, stop)
    except FatalError as exc:
        if exc.exit_code != 2:  # 2: the operator must fix something (a rejected token): said once, below
            log.error("event=fatal error=%s", exc)
        print(f"ajel: {redact(str(exc))}", file=sys.stderr)
        return exc.exit_code
    finally:
        await runtime.aclose()
        await sender.close()
    log.info("event=stopped")
    return 0


async def _serve(settings: Settings, token: str, rt: Runtime, stop: asyncio.Event) -> None:
    app = build_application(settings, token)
    install(app, ChatService(rt.db, rt.subs, settings), settings.admins)
    if not await _connect(app, stop):
        return
    try:
        await register_commands(app)
        await app.start()
        assert app.updater is not None
        allowed = ["message", "callback_query", "my_chat_member"]
        if settings.webhook is not None:
            from bot.app.metrics import parse_listen

            host, port = parse_listen(settings.webhook.listen)
            await app.updater.start_webhook(
                listen=host, port=port, url_path=settings.webhook.path, secret_token=settings.webhook.secret,
                webhook_url=settings.webhook.url, allowed_updates=allowed,
            )
            log.info("event=webhook_listening host=%s port=%d path=/%s", host, port, settings.webhook.path)
        else:
            await app.updater.start_polling(allowed_updates=allowed)
        scheduler = make_scheduler()
        schedule_feeds(scheduler, settings.feeds, rt.poll_job)
        schedule_retention(scheduler, rt.prune_job)
        scheduler.start()
        metrics_server = rt.metrics_server(lambda: bool(scheduler.running))
        if metrics_server is not None:
            await metrics_server.start()
        log.info("event=started feeds=%d chats=%d", len(settings.feeds), rt.subs.chat_count)
        tasks = [
            asyncio.create_task(supervise("delivery", lambda: rt.worker.run(stop), stop), name="delivery"),
            asyncio.create_task(supervise("updates", lambda: _watch(app, stop), stop, max_crashes=1), name="updates"),
        ]
        editor = rt.editor
        if editor is not None:
            tasks.append(asyncio.create_task(supervise("edits", lambda: editor.run(stop), stop), name="edits"))
        try:
            await _until_stop_or_fatal(tasks, stop)
        finally:
            stop.set()
            scheduler.shutdown(wait=False)
            await asyncio.gather(*tasks, return_exceptions=True)  # in-flight sends finish and are recorded
            if metrics_server is not None:
                await metrics_server.stop()
    finally:
        await _disconnect(app)


async def _connect(app: App, stop: asyncio.Event) -> bool:
    """Reach the Bot API, retrying with backoff while it is down. False when stopped first."""
    attempt = 0
    while not stop.is_set():
        attempt += 1
        try:
            await app.initialize()
            return True
        except InvalidToken:
            raise FatalError("the Bot API rejected the token (401): check TELEGRAM_BOT_TOKEN", exit_code=2) from None
        except TelegramError as exc:
            delay = min(STARTUP_BACKOFF[0] * 2 ** (attempt - 1), STARTUP_BACKOFF[1])
            log.warning("event=bot_api_unreachable attempt=%d retry_in=%.0fs error=%r", attempt, delay, exc.message)
            await wait_or_stop(stop, delay)
    return False


async def _watch(app: App, stop: asyncio.Event) -> None:
    """The updater polls Telegram in PTB's own task; if it stops, so do we (never half-alive)."""
    while not await wait_or_stop(stop, 2.0):
        if app.updater is None or not app.updater.running:
            raise FatalError("receiving Telegram updates stopped")


async def _until_stop_or_fatal(tasks: list[asyncio.Task[None]], stop: asyncio.Event) -> None:
    stopper = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait([*tasks, stopper], return_when=asyncio.FIRST_COMPLETED)
    stopper.cancel()
    for task in done:
        if task is not stopper and not task.cancelled() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]


async def _disconnect(app: App) -> None:
    steps: list[Callable[[], Awaitable[object]]] = []
    if app.updater is not None and app.updater.running:
        steps.append(app.updater.stop)
    if app.running:
        steps.append(app.stop)
    steps.append(app.shutdown)
    for step in steps:
        try:
            await step()
        except Exception as exc:  # noqa: BLE001 - shutting down: say it once and go on
            log.warning("event=shutdown_step_failed error=%r", exc)


def _on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not the main thread, or not Unix
            loop.add_signal_handler(sig, stop.set)
