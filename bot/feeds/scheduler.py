"""One APScheduler job per feed: at its interval, a little jitter, never two at once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]

from bot.core.models import FeedConfig

MAX_JITTER = 10.0


def make_scheduler() -> AsyncIOScheduler:
    return AsyncIOScheduler(timezone=UTC)


def schedule_feeds(
    scheduler: AsyncIOScheduler,
    feeds: tuple[FeedConfig, ...],
    poll: Callable[[FeedConfig], Awaitable[object]],
    *,
    start_now: bool = True,
) -> None:
    for feed in feeds:
        first = {"next_run_time": datetime.now(UTC)} if start_now else {}
        scheduler.add_job(
            poll,
            "interval",
            seconds=feed.interval,
            jitter=min(feed.interval * 0.1, MAX_JITTER),
            args=[feed],
            id=f"feed:{feed.id}",
            name=f"poll {feed.id}",
            max_instances=1,  # a slow feed is never polled twice at once
            coalesce=True,  # after a stall, one catch-up poll, not a burst
            # A busy loop may start a job late; late is fine, skipped is not.
            misfire_grace_time=max(int(feed.interval), 30),
            replace_existing=True,
            **first,
        )


def schedule_retention(scheduler: AsyncIOScheduler, prune: Callable[[], Awaitable[object]], *, every: float = 3600.0) -> None:
    """Hourly pruning; the first run a minute after start, not during the start-up rush."""
    first = datetime.now(UTC) + timedelta(seconds=60)
    scheduler.add_job(
        prune, "interval", seconds=every, id="retention", name="prune old rows",
        max_instances=1, coalesce=True, misfire_grace_time=int(every), replace_existing=True, next_run_time=first,
    )
