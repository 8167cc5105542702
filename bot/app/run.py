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

from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
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
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
# Webhook mode with several instances: how often the leader rereads the subscriptions others changed.
SUBSCRIPTIONS_REFRESH = 30.0


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


async def run_service(settings: Settings, *, stop: asyncio.Event | None = None, wall_clock: Callable[[], float] | None = None,
                      webhook: bool = False) -> int:
    """Run the bot until `stop`; `wall_clock` (tests) is the time quiet hours are read on.

    `webhook` (`run --webhook`): insist on webhook mode, which [telegram.webhook] configures.
    """
    if webhook and settings.webhook is None:
        print(f"ajel: run --webhook: set [telegram.webhook] url in {settings.config_dir / 'settings.toml'} "
              "(the public URL Telegram posts to)", file=sys.stderr)
        return 2
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        print("TELEGRAM_BOT_TOKEN is not set: export your bot's token (from @BotFather) and run again.", file=sys.stderr)
        return 2
    install_log_redaction()  # also when called without the CLI (tests, embedding)
    stop = stop or asyncio.Event()
    _on_signals(stop)
    sender = HttpSender(token, settings.telegram_base_url, paid_broadcast=settings.limits.paid_broadcast)
    try:
        runtime = await build_runtime(settings, sender, wall_clock=wall_clock or time.time, leader_election=True)
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
        if settings.webhook is not None:
            # Every instance serves the webhook and answers commands; only the leader polls and sends.
            from bot.app.metrics import parse_listen

            host, port = parse_listen(settings.webhook.listen)
            await app.updater.start_webhook(
                listen=host, port=port, url_path=settings.webhook.path, secret_token=settings.webhook.secret,
                webhook_url=settings.webhook.url, allowed_updates=ALLOWED_UPDATES,
            )
            log.info("event=webhook_listening host=%s port=%d path=/%s", host, port, settings.webhook.path)
        duties = LeaderDuties(settings, rt, app)
        metrics_server = rt.metrics_server(duties.scheduler_running)
        if metrics_server is not None:
            await metrics_server.start()
        log.info("event=started feeds=%d chats=%d instances=%s", len(settings.feeds), rt.subs.chat_count,
                 "several (PostgreSQL lease)" if rt.leadership.multi else "one")
        tasks = [
            asyncio.create_task(supervise("leadership", lambda: rt.leadership.run(stop), stop), name="leadership"),
            asyncio.create_task(supervise("leader", lambda: duties.run(stop), stop), name="leader"),
            asyncio.create_task(supervise("updates", lambda: _watch(app, stop, duties.updater_expected), stop, max_crashes=1),
                                name="updates"),
        ]
        editor = rt.editor
        if editor is not None:
            tasks.append(asyncio.create_task(supervise("edits", lambda: editor.run(stop), stop), name="edits"))
        try:
            await _until_stop_or_fatal(tasks, stop)
        finally:
            stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)  # in-flight sends finish and are recorded
            if metrics_server is not None:
                await metrics_server.stop()
    finally:
        await _disconnect(app)


class LeaderDuties:
    """What only the leader does: poll feeds, send alerts, and (long polling) receive updates.

    One term at a time: started when this instance is elected, stopped when
    its term ends (fenced, or the service stops), started again if it is
    elected again. On SQLite the one term lasts from start to stop.
    """

    def __init__(self, settings: Settings, rt: Runtime, app: App) -> None:
        self.settings, self.rt, self.app = settings, rt, app
        self.scheduler: AsyncIOScheduler | None = None
        self.polling = False  # our getUpdates loop should be running
        self.terms = 0

    def scheduler_running(self) -> bool:
        return self.scheduler is not None and bool(self.scheduler.running)

    def updater_expected(self) -> bool:
        return self.settings.webhook is not None or self.polling

    async def run(self, stop: asyncio.Event) -> None:
        lead = self.rt.leadership
        while await lead.wait_elected(stop):
            term_end = asyncio.Event()
            watcher = asyncio.create_task(_set_when_any(term_end, stop, lead.term_stop))
            try:
                await self._term(term_end)
            finally:
                watcher.cancel()

    async def _term(self, term_end: asyncio.Event) -> None:
        rt, settings, lead = self.rt, self.settings, self.rt.leadership
        self.terms += 1
        if lead.multi and time.monotonic() - rt.subs_loaded_at > 2.0:
            await rt.reload_subscriptions()  # other instances may have changed them meanwhile
        worker: asyncio.Task[None] | None = None
        refresher: asyncio.Task[None] | None = None
        try:
            self.scheduler = make_scheduler()
            schedule_feeds(self.scheduler, settings.feeds, rt.poll_job)
            schedule_retention(self.scheduler, rt.prune_job)
            self.scheduler.start()
            if settings.webhook is None:
                assert self.app.updater is not None
                await self.app.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
                self.polling = True
            rt.worker.wake()
            worker = asyncio.create_task(supervise("delivery", lambda: rt.worker.run(term_end), term_end), name="delivery")
            if lead.multi and settings.webhook is not None:
                refresher = asyncio.create_task(self._refresh_index(term_end))
            ended = asyncio.create_task(term_end.wait())
            await asyncio.wait([worker, ended], return_when=asyncio.FIRST_COMPLETED)
            ended.cancel()
            if worker.done() and not worker.cancelled() and worker.exception() is not None:
                raise worker.exception()  # type: ignore[misc]
        finally:
            term_end.set()
            if self.scheduler is not None:
                self.scheduler.shutdown(wait=False)
            self.polling = False
            if settings.webhook is None and self.app.updater is not None and self.app.updater.running:
                await self.app.updater.stop()  # the next leader takes over getUpdates
            for task in (worker, refresher):
                if task is not None:
                    if task is refresher:
                        task.cancel()
                    await asyncio.gather(task, return_exceptions=True)
            if lead.multi:
                log.info("event=leader_duties_stopped term=%d", lead.term)

    async def _refresh_index(self, term_end: asyncio.Event) -> None:
        """Webhook mode with several instances: commands land anywhere; the leader rereads the index."""
        while not await wait_or_stop(term_end, SUBSCRIPTIONS_REFRESH):
            try:
                await self.rt.reload_subscriptions()
            except Exception as exc:  # noqa: BLE001 - the next refresh tries again
                log.warning("event=subscriptions_reload_failed error=%r", str(exc)[:200])


async def _set_when_any(target: asyncio.Event, *events: asyncio.Event) -> None:
    waiters = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        target.set()
    finally:
        for w in waiters:
            w.cancel()


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


async def _watch(app: App, stop: asyncio.Event, expected: Callable[[], bool]) -> None:
    """The updater polls Telegram in PTB's own task; if it stops, so do we (never half-alive)."""
    while not await wait_or_stop(stop, 2.0):
        if expected() and (app.updater is None or not app.updater.running):
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
