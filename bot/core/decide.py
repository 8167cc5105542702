"""The pure heart of the pipeline: items → breaking → topics → alerts to queue.

`decide` does no I/O: given a feed's items and what the store already
knows, it returns intents (items to record, alerts to queue); the store only
applies them. `bot.feeds.poller` feeds it from the edges.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.core import breaking
from bot.core.formatting import AlertStyle, format_alert
from bot.core.models import FeedConfig, Item, ItemRecord, OutboxRow, item_key, own_key
from bot.core.normalize import normalize
from bot.core.subscriptions import Recipient, Subscriptions

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
    title = normalize(item.headline)
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
    records, to_alert = triage(feed, items, known, policy, now)
    alerts: list[OutboxRow] = []
    for item, record in to_alert:
        for chunk in subs.expand(subs.audience(item)):
            alerts.extend(alerts_for(item, record.key, feed, chunk, policy, now, {}))
    return Decision(tuple(records), tuple(alerts))


def triage(
    feed: FeedConfig, items: Sequence[Item], known: set[str], policy: Policy, now: float
) -> tuple[list[ItemRecord], list[tuple[Item, ItemRecord]]]:
    """The new items to record, and those among them worth an alert (breaking and fresh). Pure."""
    known = set(known)
    records: list[ItemRecord] = []
    to_alert: list[tuple[Item, ItemRecord]] = []
    for item in items:
        keys = story_keys(item)
        if keys[0] in known:
            continue  # this very item, processed before
        known.add(keys[0])
        verdict = breaking.detect(item, feed.breaking, feed.breaking_paths)
        key = item_key(item.feed_id, item.uid)
        published = item.published.timestamp() if item.published else None
        record = ItemRecord(key, item.feed_id, item.uid, item.title, item.link, published, bool(verdict), verdict.reason, keys)
        records.append(record)
        if verdict and _fresh(published, policy, now):
            to_alert.append((item, record))
    return records, to_alert


def _fresh(published: float | None, policy: Policy, now: float) -> bool:
    if published is None or policy.max_age_hours is None:
        return True
    return now - published <= policy.max_age_hours * 3600


RenderCache = dict[tuple[str, tuple[str, ...], bool, str], str]


def alerts_for(
    item: Item, key: str, feed: FeedConfig, recipients: Iterable[Recipient], policy: Policy, now: float, rendered: RenderCache
) -> list[OutboxRow]:
    """One alert row per recipient; `rendered` is shared across an audience's chunks (many chats share one text). Pure."""
    out = []
    for r in recipients:
        zone = r.timezone or policy.timezone
        cache_key = (r.lang, r.topics, r.lead, zone)
        html = rendered.get(cache_key)
        if html is None:
            style = AlertStyle(zone, r.lang, policy.lead_chars if r.lead else 0)
            html = rendered[cache_key] = format_alert(item, feed.name, r.topics, style).html
        out.append(OutboxRow(key, r.chat_id, html, r.topics, r.thread_id, 0, now, lang=r.lang))
    return out
