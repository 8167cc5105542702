"""The poller end to end over a real local HTTP feed server and a real SQLite file."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot.core.decide import Policy
from bot.core.models import FeedConfig
from bot.core.subscriptions import ChatInfo, Subscriptions
from bot.feeds.fetch import make_client
from bot.feeds.poller import Poller, PollReport
from bot.feeds.scheduler import make_scheduler, schedule_feeds
from bot.storage import Store
from bot.storage.boundary import Database
from tests.feedserver import FeedServer
from tests.helpers import GOLDEN, SEED_FEED, WIRE_FEED

NEWS_NAME = "الأخبار العربية (تجريبي)"
POLICY = Policy("Asia/Riyadh", 400, max_age_hours=None)


def subscriptions() -> Subscriptions:
    subs = Subscriptions()
    subs.set_chat(1, ChatInfo("ar"))
    subs.add(1, "الملف النووي")
    subs.set_chat(2, ChatInfo("ar"))
    subs.add(2, "كرة السلة")
    return subs


async def poll(store: Store, feed: FeedConfig, subs: Subscriptions | None = None, **kw: object) -> PollReport:
    async with make_client() as client:
        return await Poller(Database(store), client, subs or subscriptions(), POLICY).poll(feed, **kw)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'bot.db'}")


def news_feed(server: FeedServer) -> FeedConfig:
    server.route("/news.xml", SEED_FEED.read_bytes(), etag='"v1"', headers={"Content-Type": "application/rss+xml; charset=utf-8"})
    return FeedConfig("news", NEWS_NAME, server.url("/news.xml"), 60)


def test_seed_article_alerts_only_the_matching_subscriber(feed_server: FeedServer, store: Store) -> None:
    report = asyncio.run(poll(store, news_feed(feed_server)))
    assert (report.items, report.new_items, report.breaking, report.alerts) == (7, 7, 4, 1)
    (row,) = store.pending()
    assert row.chat_id == 1 and row.topics == ("الملف النووي",)
    assert row.html == (GOLDEN / "seed_alert.html").read_text(encoding="utf-8")


def test_restart_over_same_database_realerts_nothing(feed_server: FeedServer, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    feed = news_feed(feed_server)
    first = Store(url)
    asyncio.run(poll(first, feed))
    first.close()
    # New process, and the server no longer honours our ETag: full body again.
    feed_server.set_body("/news.xml", SEED_FEED.read_bytes())
    again = Store(url)
    report = asyncio.run(poll(again, feed, force=True))
    assert (report.items, report.new_items, report.alerts) == (7, 0, 0)
    assert again.outbox_counts() == {"pending": 1}


def test_second_feed_with_same_story_is_not_alerted_again(feed_server: FeedServer, store: Store) -> None:
    asyncio.run(poll(store, news_feed(feed_server)))
    feed_server.route("/wire.xml", WIRE_FEED.read_bytes())
    wire = FeedConfig("wire", "شريط العاجل", feed_server.url("/wire.xml"), 60, "all")
    report = asyncio.run(poll(store, wire))
    assert (report.items, report.new_items, report.alerts) == (2, 2, 0)
    assert store.outbox_counts() == {"pending": 1}


def test_story_first_seen_in_a_terser_feed_still_reaches_subscriber(feed_server: FeedServer, store: Store) -> None:
    # The wire's copy of the seed story does not mention «الملف النووي»; the
    # news site's fuller copy does. Whichever arrives first, chat 1 gets one alert.
    feed_server.route("/wire.xml", WIRE_FEED.read_bytes())
    wire = FeedConfig("wire", "شريط العاجل", feed_server.url("/wire.xml"), 60, "all")
    assert asyncio.run(poll(store, wire)).alerts == 0
    assert asyncio.run(poll(store, news_feed(feed_server))).alerts == 1
    assert [r.chat_id for r in store.pending()] == [1]


def test_not_modified_costs_no_parsing(feed_server: FeedServer, store: Store) -> None:
    feed = news_feed(feed_server)
    asyncio.run(poll(store, feed))
    report = asyncio.run(poll(store, feed, force=True))
    assert report.not_modified and report.items == 0
    assert feed_server.last_headers("/news.xml").get("if-none-match") == '"v1"'


def test_errors_back_off_and_are_recorded(feed_server: FeedServer, store: Store) -> None:
    feed_server.route("/broken.xml", b"oops", status=500)
    feed = FeedConfig("broken", "B", feed_server.url("/broken.xml"), 60)
    before = time.time()
    asyncio.run(poll(store, feed))
    asyncio.run(poll(store, feed, force=True))
    state = store.feed_state("broken", feed.url)
    assert (state.error_count, state.last_error) == (2, "HTTP 500")
    assert state.next_check >= before + 2 * 60 - 30  # doubled interval, minus scheduler slack
    assert asyncio.run(poll(store, feed)).skipped  # not due yet


def test_permanent_redirect_is_remembered(feed_server: FeedServer, store: Store) -> None:
    news_feed(feed_server)
    feed_server.redirect("/old.xml", "/news.xml", 301)
    feed = FeedConfig("moved", "M", feed_server.url("/old.xml"), 60)
    asyncio.run(poll(store, feed))
    assert store.feed_state("moved", feed.url).url == feed_server.url("/news.xml")


def test_slow_feed_does_not_delay_others(feed_server: FeedServer, store: Store) -> None:
    fast = news_feed(feed_server)
    feed_server.route("/slow.xml", WIRE_FEED.read_bytes(), delay=3.0)
    slow = FeedConfig("slow", "S", feed_server.url("/slow.xml"), 60, "all")

    async def both() -> list[str]:
        async with make_client() as client:
            poller = Poller(Database(store), client, subscriptions(), POLICY)
            tasks = {asyncio.create_task(poller.poll(f)): f.id for f in (slow, fast)}
            done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            order = [tasks[t] for t in done]
            await asyncio.gather(*pending)
            return order

    assert asyncio.run(both()) == ["news"]


def test_stale_breaking_items_are_recorded_but_not_pushed(feed_server: FeedServer, store: Store) -> None:
    async def run() -> PollReport:
        async with make_client() as client:
            return await Poller(Database(store), client, subscriptions(), Policy(max_age_hours=1)).poll(news_feed(feed_server))

    report = asyncio.run(run())
    assert (report.new_items, report.alerts) == (7, 0)


def test_scheduler_job_per_feed_never_overlaps_or_skips() -> None:
    async def run() -> list:
        scheduler = make_scheduler()

        async def job(feed: FeedConfig) -> None: ...

        feeds = (FeedConfig("a", "A", "x", 120), FeedConfig("b", "B", "y", 30))
        schedule_feeds(scheduler, feeds, job)
        return scheduler.get_jobs()

    jobs = asyncio.run(run())
    assert [j.id for j in jobs] == ["feed:a", "feed:b"]
    for job, interval in zip(jobs, (120, 30)):
        assert job.max_instances == 1 and job.coalesce
        assert job.misfire_grace_time >= interval
        assert job.trigger.interval.total_seconds() == interval and 0 < job.trigger.jitter <= 10
