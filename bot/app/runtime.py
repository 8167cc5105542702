"""`build_runtime()`: the one place where the parts are wired.

`run`, `demo` and the benchmarks all build the same runtime: the store
behind its async boundary, the subscription index loaded from it, the
delivery worker over a sender, the feed client and the poller. Only the
sender (Telegram, the terminal, a benchmark's) and the limits differ.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from bot.app.config import Settings
from bot.app.leadership import FencedSender, Leadership, Lease, Solo
from bot.app.metrics import Health, Metrics, MetricsServer, parse_listen
from bot.app.supervisor import FatalError
from bot.core.decide import Policy
from bot.core.merging import StoryCopy, render_story
from bot.core.models import FeedConfig, Limits, OutboxRow
from bot.core.subscriptions import Subscriptions
from bot.delivery.editor import Editor, EditSender
from bot.delivery.limiter import RateLimiter
from bot.delivery.worker import ChatGone, DeliveryWorker, Migrated, Outcome, Rejected, RetryAfter, Sender, Sent, Transient, Unknown
from bot.feeds.fetch import make_client
from bot.feeds.poller import Poller
from bot.storage import lock as instance_lock
from bot.storage.boundary import Database, guard_loop
from bot.storage.schema import SchemaTooNewError
from bot.storage.store import Store
from bot.storage.story_store import EditJob
from bot.telegram.chat_service import load_subscriptions

log = logging.getLogger("bot.runtime")
# The test suite sets this so that any storage call on the event loop fails loudly.
STRICT_LOOP_ENV = "AJEL_STRICT_LOOP"


@dataclass
class Runtime:
    settings: Settings
    db: Database
    subs: Subscriptions
    policy: Policy
    client: httpx.AsyncClient
    worker: DeliveryWorker
    poller: Poller
    _lock: instance_lock.InstanceLock
    metrics: Metrics
    leadership: Leadership
    editor: Editor | None = field(default=None)  # None when the sender cannot edit (demo senders in tests)
    subs_loaded_at: float = field(default_factory=time.monotonic)

    def wake(self, n: int = 0) -> None:
        """New alerts, or stories that changed: both the worker and the editor look."""
        self.worker.wake(n)
        if self.editor is not None:
            self.editor.wake(n)

    async def poll_job(self, feed: FeedConfig) -> None:
        """One scheduled poll: an error is logged once, and the next interval comes as usual."""
        try:
            report = await self.poller.poll(feed)
            m = self.metrics
            if report.error:
                m.fetch_errors.labels(feed.id).inc()
            m.items_seen.labels(feed.id).inc(report.new_items)
            m.items_breaking.labels(feed.id).inc(report.breaking)
            m.alerts_queued.inc(report.alerts)
        except asyncio.CancelledError:
            # Only the scheduler's shutdown cancels a poll (SIGTERM mid-fetch): a
            # clean stop, not an error; re-raised, APScheduler logs a traceback.
            log.info("feed=%s event=poll_cancelled (stopping)", feed.id)
        except Exception as exc:  # noqa: BLE001 - one feed's bad round must not stop its schedule
            log.error("feed=%s event=poll_error error=%r", feed.id, exc)

    async def prune_job(self) -> int:
        """Retention: delete what is older than `storage.retention_days`, one short batch at a time."""
        before = time.time() - self.settings.retention_days * 86400
        total = 0
        try:
            while done := await self.db.run(self.db.store.prune, before):
                total += done
            total += await self.db.run(self.db.store.prune_stories, before)
        except Exception as exc:  # noqa: BLE001 - the next hourly run tries again
            log.error("event=prune_error error=%r pruned=%d", exc, total)
            return total
        if total:
            log.info("event=pruned rows=%d older_than_days=%g", total, self.settings.retention_days)
        return total

    def observe_pending(self) -> float:
        """Refresh the outbox gauges from the worker's view; returns the oldest pending alert's age (s)."""
        rows = self.worker.pending()
        m = self.metrics
        m.outbox_depth.clear()
        for prio in sorted({r.priority for r in rows}):
            m.outbox_depth.labels(str(prio)).set(sum(1 for r in rows if r.priority == prio))
        oldest = min((r.created_at for r in rows if r.created_at), default=None)
        age = max(0.0, time.time() - oldest) if oldest is not None else 0.0
        m.oldest_pending.set(age)
        return age

    async def reload_subscriptions(self) -> None:
        """Rebuild the index from the database (a new leader: other instances changed it meanwhile)."""
        fresh = await load_subscriptions(self.db, Subscriptions(self.settings.aliases))
        self.subs.__dict__.update(fresh.__dict__)  # in place: the poller, worker and chat service share it
        self.subs_loaded_at = time.monotonic()
        log.info("event=subscriptions_reloaded chats=%d", self.subs.chat_count)

    def metrics_server(self, scheduler_running: Callable[[], bool]) -> MetricsServer | None:
        """The /metrics and /healthz server `[metrics] listen` asks for (None when off); not started.

        A standby neither sends nor polls: its health does not depend on them.
        """
        if not self.settings.metrics_listen:
            return None
        host, port = parse_listen(self.settings.metrics_listen)
        lead = self.leadership
        health = Health({"delivery worker not running": lambda: not lead.is_leader or self.worker.running,
                         "scheduler not running": lambda: not lead.is_leader or scheduler_running()},
                        lambda: self.observe_pending() if lead.is_leader else 0.0,
                        self.settings.health_max_pending_age)
        return MetricsServer(self.metrics, health, host, port, before_render=self.observe_pending)

    async def aclose(self) -> None:
        await self.client.aclose()
        await self.db.close()
        self._lock.release()


async def build_runtime(
    settings: Settings,
    sender: Sender,
    *,
    limits: Limits | None = None,
    limiter: RateLimiter | None = None,
    policy: Policy | None = None,
    subs: Subscriptions | None = None,
    database_url: str | None = None,
    single_instance: bool = True,
    leader_election: bool = False,
    concurrency: int = 32,
    wall_clock: Callable[[], float] = time.time,
) -> Runtime:
    """Open the store (migrations off the loop), load the index, wire the parts.

    Raises `InstanceLockedError` when another instance holds the database.
    `leader_election` (the service): on PostgreSQL, send and poll only while
    this instance holds the lease (`Runtime.leadership` must then be run).
    """
    store = await asyncio.to_thread(open_store, database_url or settings.database_url)
    try:
        lock = await asyncio.to_thread(instance_lock.acquire, store.engine) if single_instance else _NoLock()
    except BaseException:
        await asyncio.to_thread(store.close)
        raise
    if os.environ.get(STRICT_LOOP_ENV):
        guard_loop(store.engine)
    db = Database(store)
    subs = await load_subscriptions(db, subs or Subscriptions(settings.aliases))
    policy = policy or Policy(settings.timezone, settings.lead_chars, settings.max_item_age_hours)
    metrics = Metrics()
    leadership: Leadership
    if store.engine.dialect.name == "postgresql" and leader_election:
        leadership = Lease(store.engine, on_change=lambda leader: metrics.leader.set(1 if leader else 0))
        metrics.leader.set(0)
        sender = FencedSender(sender, leadership)
    else:
        leadership = Solo()
    worker = DeliveryWorker(
        db, sender, limiter or RateLimiter(limits or settings.limits), concurrency=concurrency,
        on_chat_gone=subs.drop_chat, on_migrated=subs.rename_chat,
        prefs_of=subs.prefs, wall=wall_clock, default_timezone=settings.timezone, sources={f.id: f.name for f in settings.feeds},
    )
    worker.on_outcome = lambda row, outcome: _count_outcome(metrics, row, outcome, wall_clock)
    worker.may_send = leadership.may_send
    client = make_client()
    poller = Poller(db, client, subs, policy, on_item_queued=metrics.publish_to_queued.observe)
    editor = None
    if isinstance(sender, EditSender):
        editor = Editor(db, sender, worker.limiter, _story_renderer(subs, policy), alerts_due=lambda: bool(worker.pending()),
                        may_send=leadership.may_send)
    rt = Runtime(settings, db, subs, policy, client, worker, poller, lock, metrics, leadership, editor)
    poller.on_alerts = rt.wake
    return rt


def _story_renderer(subs: Subscriptions, policy: Policy) -> Callable[[EditJob, Sequence[StoryCopy]], str | None]:
    """How a chat's alert of a story reads now: its language, lead and time zone, every copy."""

    def render(job: EditJob, copies: Sequence[StoryCopy]) -> str | None:
        info = subs.info(job.chat_id)
        if info is None:
            return None  # paused or gone: leave the message as it is
        return render_story(copies, job.topics, policy.style(info.lang, info.prefs.lead, info.prefs.timezone))

    return render


def _count_outcome(m: Metrics, row: OutboxRow, outcome: Outcome, wall: Callable[[], float]) -> None:
    match outcome:
        case Sent():
            m.messages_sent.inc()
            if row.created_at:
                m.queued_to_sent.observe(max(0.0, wall() - row.created_at))
        case RetryAfter():
            m.rate_limited.inc()
        case Transient():
            m.failures.labels("transient").inc()
        case Unknown():
            m.failures.labels("unknown").inc()
        case ChatGone():
            m.failures.labels("chat_gone").inc()
        case Migrated():
            m.failures.labels("migrated").inc()
        case Rejected():
            m.failures.labels("rejected").inc()


def open_store(url: str) -> Store:
    """The store, or one clear line (`FatalError`, exit 2) for what an operator can fix."""
    where = _describe_url(url)
    try:
        return Store(url)
    except SchemaTooNewError as exc:
        raise FatalError(f"database {where}: {exc}", exit_code=2) from None
    except (ArgumentError, NoSuchModuleError):
        raise FatalError(f"DATABASE_URL {where}: unknown or malformed database URL (use sqlite:///path or postgresql+psycopg://…)", exit_code=2) from None
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0][:200]
        raise FatalError(f"cannot open the database {where}: {reason}", exit_code=2) from None
    except OSError as exc:
        raise FatalError(f"cannot open the database {where}: {exc.strerror or exc}", exit_code=2) from None


def _describe_url(url: str) -> str:
    """The URL without its password, for error lines."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return repr(url[:100])


class _NoLock:
    def release(self) -> None:
        pass
