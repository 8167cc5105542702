"""The one-way pipeline: fetch → items → breaking → topics → alerts → outbox.

`decide` is the pure heart (no I/O): given a feed's items and what the
store already knows, it says which items are new and which alerts to queue.
`Poller` is the thin orchestrator that feeds it from the edges.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

import httpx

from bot import breaking
from bot.fetch import FetchResult, Validators, fetch, next_delay, parse_feed
from bot.formatting import AlertStyle, format_alert, headline
from bot.items import items_from_feed
from bot.models import FeedConfig, Item
from bot.normalize import normalize
from bot.storage.store import FeedState, ItemRecord, OutboxRow, Store, item_key, own_key
from bot.subscriptions import Subscriptions

log = logging.getLogger("bot.pipeline")
_MIN_TITLE_WORDS_FOR_KEY = 4  # shorter headlines («عاجل», «تحديث») are not a story's identity


@dataclass(frozen=True, slots=True)
class Policy:
    timezone: str = "Asia/Riyadh"
    lead_chars: int = 400
    max_age_hours: float | None = 12.0


@dataclass(frozen=True, slots=True)
class Decision:
    records: tuple[ItemRecord, ...]
    alerts: tuple[OutboxRow, ...]


def story_keys(item: Item) -> tuple[str, ...]:
    """Ways to recognise this story again: the item itself, its link, its headline."""
    keys = [own_key(item_key(item.feed_id, item.uid))]
    if item.link:
        u = urlsplit(item.link.strip())
        host = u.netloc.lower().removeprefix("www.")
        keys.append("link:" + _digest(f"{host}{u.path.rstrip('/')}?{u.query}"))
    title = normalize(headline(item, 10_000))
    if len(title.split()) >= _MIN_TITLE_WORDS_FOR_KEY:
        keys.append("title:" + _digest(" ".join(title.split())))
    return tuple(keys)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def decide(
    feed: FeedConfig,
    items: Sequence[Item],
    known: set[str],
    subs: Subscriptions,
    policy: Policy,
    now: float,
) -> Decision:
    """New items to record and the alerts to queue for them. Pure.

    Copies of a story already seen in another feed are still evaluated: the
    store files their alerts under the first copy, so nobody gets it twice.
    """
    known = set(known)
    records: list[ItemRecord] = []
    alerts: list[OutboxRow] = []
    for item in items:
        keys = story_keys(item)
        if keys[0] in known:
            continue  # this very item, processed before
        known.add(keys[0])
        verdict = breaking.detect(item, feed.breaking)
        key = item_key(item.feed_id, item.uid)
        published = item.published.timestamp() if item.published else None
        records.append(ItemRecord(key, item.feed_id, item.uid, item.title, item.link, published, bool(verdict), verdict.reason, keys))
        if verdict and _fresh(published, policy, now):
            alerts.extend(_alerts_for(item, key, feed, subs, policy, now))
    return Decision(tuple(records), tuple(alerts))


def _fresh(published: float | None, policy: Policy, now: float) -> bool:
    if published is None or policy.max_age_hours is None:
        return True
    return now - published <= policy.max_age_hours * 3600


def _alerts_for(item: Item, key: str, feed: FeedConfig, subs: Subscriptions, policy: Policy, now: float) -> list[OutboxRow]:
    rendered: dict[tuple[str, tuple[str, ...]], str] = {}  # many chats share one rendering
    out = []
    for r in subs.recipients(item):
        cache_key = (r.lang, r.topics)
        if cache_key not in rendered:
            style = AlertStyle(policy.timezone, r.lang, policy.lead_chars)
            rendered[cache_key] = format_alert(item, feed.name, r.topics, style).html
        out.append(OutboxRow(key, r.chat_id, rendered[cache_key], r.topics, r.thread_id, 0, now))
    return out


@dataclass(frozen=True, slots=True)
class PollReport:
    feed_id: str
    skipped: bool = False
    error: str | None = None
    not_modified: bool = False
    items: int = 0
    new_items: int = 0
    breaking: int = 0
    alerts: int = 0


class Poller:
    """Polls one feed at a time; many may run at once (one job per feed)."""

    def __init__(
        self,
        store: Store,
        client: httpx.AsyncClient,
        subs: Subscriptions,
        policy: Policy,
        on_alerts: Callable[[int], None] = lambda n: None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store, self.client, self.subs, self.policy = store, client, subs, policy
        self.on_alerts, self.clock = on_alerts, clock

    async def poll(self, feed: FeedConfig, *, force: bool = False) -> PollReport:
        state = self.store.feed_state(feed.id, feed.url)
        now = self.clock()
        if not force and now < state.next_check:
            return PollReport(feed.id, skipped=True)
        result = await fetch(self.client, state.url, Validators(state.etag, state.last_modified))
        state = self._after_fetch(feed, state, result, now)
        self.store.save_feed_state(state)
        if result.error:
            log.warning("feed=%s event=fetch_error error=%r errors=%d", feed.id, result.error, state.error_count)
            return PollReport(feed.id, error=result.error)
        if result.not_modified:
            return PollReport(feed.id, not_modified=True)
        return await self._process(feed, result)

    async def _process(self, feed: FeedConfig, result: FetchResult) -> PollReport:
        parsed = await parse_feed(result)
        items = items_from_feed(feed.id, parsed)
        if not items and parsed.get("bozo"):
            err = f"unparseable feed: {parsed.get('bozo_exception')!s:.200}"
            log.warning("feed=%s event=parse_error error=%r", feed.id, err)
            return PollReport(feed.id, error=err)
        known = self.store.known_story_keys(story_keys(item)[0] for item in items)
        decision = decide(feed, items, known, self.subs, self.policy, self.clock())
        stored, queued = await asyncio.to_thread(self.store.record, decision.records, decision.alerts)
        if queued:
            self.on_alerts(queued)
        n_breaking = sum(1 for r in stored if r.breaking)
        log.info("feed=%s event=polled items=%d new=%d breaking=%d alerts=%d", feed.id, len(items), len(stored), n_breaking, queued)
        return PollReport(feed.id, items=len(items), new_items=len(stored), breaking=n_breaking, alerts=queued)

    def _after_fetch(self, feed: FeedConfig, st: FeedState, result: FetchResult, now: float) -> FeedState:
        errors = st.error_count + 1 if result.error else 0
        delay = next_delay(interval=feed.interval, result=result, error_count=max(errors, 1))
        st = replace(st, last_checked=now, error_count=errors, next_check=now + delay - _slack(feed.interval))
        if result.permanent_url:
            st = replace(st, url=result.permanent_url)
        if result.error:
            return replace(st, last_error=result.error)
        return replace(
            st, last_success=now, etag=result.validators.etag, last_modified=result.validators.last_modified
        )


def _slack(interval: float) -> float:
    # The scheduler's jitter may fire a job a little early; a poll due
    # "now + interval" must not be skipped for being a second too soon.
    return min(interval * 0.2, 30.0)
