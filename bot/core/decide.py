"""The pure heart of the pipeline: items → breaking → topics → alerts to queue.

`decide` does no I/O: given a feed's items and what the store already
knows, it returns intents (items to record, alerts to queue); the store only
applies them. `bot.feeds.poller` feeds it from the edges.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.core import breaking
from bot.core.formatting import AlertStyle, format_alert
from bot.core.merging import DEFAULT_WINDOW_HOURS, Story, StoryCopy, find_story, render_story
from bot.core.models import AlertColumns, FeedConfig, Item, ItemRecord, OutboxRow, item_key, own_key
from bot.core.normalize import normalize
from bot.core.subscriptions import Member, Recipient, Subscriptions, rotation
from bot.core.vocab import Priority

_MIN_TITLE_WORDS_FOR_KEY = 4  # shorter headlines («عاجل», «تحديث») are not a story's identity


@dataclass(frozen=True, slots=True)
class Policy:
    timezone: str = "Asia/Riyadh"
    lead_chars: int = 400
    max_age_hours: float | None = 12.0
    # How far back a breaking item may join a story already alerted (bot.core.merging).
    merge_window_hours: float = DEFAULT_WINDOW_HOURS

    def style(self, lang: str, lead: bool, zone: str | None) -> AlertStyle:
        """How one chat's alerts read: its language, its time zone (else ours), with or without the lead."""
        return AlertStyle(zone or self.timezone, lang, self.lead_chars if lead else 0)


@dataclass(frozen=True, slots=True)
class Revision:
    """An item already recorded, seen again with text whose revision is not known yet.

    The store decides whether it is an edit (the item has an older revision)
    or the first revision recorded for an item stored before revisions existed.
    """

    key: str  # the item's key
    feed_id: str
    uid: str
    title: str
    revision_key: str


@dataclass(frozen=True, slots=True)
class Decision:
    records: tuple[ItemRecord, ...]
    alerts: tuple[OutboxRow, ...]
    copies: tuple[StoryCopy, ...] = ()  # breaking items alerted: their story's new copies
    updates: tuple[StoryCopy, ...] = ()  # known copies whose text changed (same guid or post id)
    # Known items (same uid) whose text changed since it was recorded; only for sources
    # that set `Item.revision` (channel posts). Nothing is queued for them here.
    revisions: tuple[Revision, ...] = ()


REVISION_PREFIX = "rev:"


def revision_key(key: str, revision: str) -> str:
    """The story key that records one revision of one item's text: `rev:<item key>:<digest>`
    (61 characters). All revisions of an item share the prefix `revision_prefix(key)`."""
    return f"{revision_prefix(key)}{revision}"


def revision_prefix(key: str) -> str:
    return f"{REVISION_PREFIX}{key}:"


def known_keys_wanted(items: Sequence[Item]) -> list[str]:
    """The story keys `decide` needs to know about for these items: each one's own key,
    and its revision key when its source tracks revisions."""
    out = []
    for item in items:
        key = item_key(item.feed_id, item.uid)
        out.append(own_key(key))
        if item.revision:
            out.append(revision_key(key, item.revision))
    return out


def story_keys(item: Item) -> tuple[str, ...]:
    """Ways to recognise this story again: the item itself, its link, its headline."""
    key = item_key(item.feed_id, item.uid)
    keys = [own_key(key)]
    if item.revision:
        keys.append(revision_key(key, item.revision))
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
    recent: Sequence[Story] = (),
    known_copies: Mapping[str, StoryCopy] | None = None,
) -> Decision:
    """New items to record and the alerts to queue for them. Pure.

    Copies of a story already seen in another feed are still evaluated: the
    store files their alerts under the first copy, so nobody gets it twice.
    A breaking item that reads as one of the `recent` stories joins it (see
    `bot.core.merging`); a known item whose text changed is an update, and its
    sent alerts are edited rather than sent again. (The poller runs the same
    steps, `triage` then `alerts_for` chunk by chunk, to stream large audiences.)
    """
    t = triage(feed, items, known, policy, now, recent, known_copies)
    alerts: list[OutboxRow] = []
    copies: list[StoryCopy] = []
    for c in t.to_alert:
        rendered: RenderCache = {}
        before = len(alerts)
        for chunk in subs.expand(subs.audience(c.item), rotate=rotation(c.record.key)):
            alerts.extend(alerts_for(c.item, c.record.key, feed, chunk, policy, now, rendered, c.story, len(alerts) - before))
        if len(alerts) > before:  # only alerted stories are worth merging into
            copies.append(c.copy)
    return Decision(tuple(t.records), tuple(alerts), tuple(copies), t.updates, t.revisions)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A new breaking, fresh item: what to alert, and the story it joins."""

    item: Item
    record: ItemRecord
    copy: StoryCopy  # this item as a copy of its story
    story: tuple[StoryCopy, ...] = ()  # every copy, this one last, when it joins a recent story


@dataclass(frozen=True, slots=True)
class Triage:
    records: list[ItemRecord]
    to_alert: list[Candidate]
    updates: tuple[StoryCopy, ...] = ()
    revisions: tuple[Revision, ...] = ()


def triage(
    feed: FeedConfig,
    items: Sequence[Item],
    known: set[str],
    policy: Policy,
    now: float,
    recent: Sequence[Story] = (),
    known_copies: Mapping[str, StoryCopy] | None = None,
) -> Triage:
    """The new items to record, those among them worth an alert (breaking and fresh) with
    the recent story each joins, and the known items whose text changed. Pure."""
    known = set(known)
    records: list[ItemRecord] = []
    to_alert: list[Candidate] = []
    updates: list[StoryCopy] = []
    revisions: list[Revision] = []
    for item in items:
        keys = story_keys(item)
        key = item_key(item.feed_id, item.uid)
        if keys[0] in known:
            old = (known_copies or {}).get(key)
            update = _changed(item, key, feed, old)
            if update is not None:
                updates.append(update)
            # This very item, processed before; with new text when its revision is unknown.
            rev = revision_key(key, item.revision) if item.revision else None
            if rev is not None and rev not in known:
                known.add(rev)
                promoted = _promoted(item, key, keys, feed, policy, now, recent) if old is None else None
                if promoted is None:
                    revisions.append(Revision(key, item.feed_id, item.uid, item.title, rev))
                else:
                    records.append(promoted.record)
                    to_alert.append(promoted)
            continue
        known.add(keys[0])
        record, candidate = _assess(item, key, keys, feed, policy, now, recent)
        records.append(record)
        if candidate is not None:
            to_alert.append(candidate)
    return Triage(records, to_alert, tuple(updates), tuple(revisions))


def _assess(
    item: Item, key: str, keys: tuple[str, ...], feed: FeedConfig, policy: Policy, now: float, recent: Sequence[Story],
    *, promoted: bool = False,
) -> tuple[ItemRecord, Candidate | None]:
    """An item's record, and its candidate when it is breaking and fresh (with the recent story it joins). Pure."""
    verdict = breaking.detect(item, feed.breaking, feed.breaking_paths)
    published = item.published.timestamp() if item.published else None
    story, copy = None, None
    if verdict and _fresh(published, policy, now):
        story = find_story(item.headline, item.lead, recent, exclude_feed=feed.id) if recent else None
        copy = StoryCopy.of(key, item, feed.name, now)
        if story is not None:
            keys = (*keys, own_key(story.key))  # the store files it under that story
    record = ItemRecord(key, item.feed_id, item.uid, item.title, item.link, published, bool(verdict), verdict.reason, keys, promoted)
    if copy is None:
        return record, None
    return record, Candidate(item, record, copy, (*story.copies, copy) if story else ())


def _promoted(
    item: Item, key: str, keys: tuple[str, ...], feed: FeedConfig, policy: Policy, now: float, recent: Sequence[Story]
) -> Candidate | None:
    """A known item never alerted whose new text is breaking and fresh («عاجل» added by an edit):
    a candidate like a new item, its record marked `promoted` (the store updates the row). Pure."""
    return _assess(item, key, keys, feed, policy, now, recent, promoted=True)[1]


def _changed(item: Item, key: str, feed: FeedConfig, old: StoryCopy | None) -> StoryCopy | None:
    """The item's new copy when an alerted item's own text changed, else None."""
    if old is None:
        return None
    new = StoryCopy.of(key, item, feed.name, old.first_seen)
    return None if new.same_text(old) else new


def _fresh(published: float | None, policy: Policy, now: float) -> bool:
    if published is None or policy.max_age_hours is None:
        return True
    return now - published <= policy.max_age_hours * 3600


RenderCache = dict[tuple[str, tuple[str, ...], bool, str], str]


def alerts_for(
    item: Item,
    key: str,
    feed: FeedConfig,
    recipients: Iterable[Recipient],
    policy: Policy,
    now: float,
    rendered: RenderCache,
    story: tuple[StoryCopy, ...] = (),
    offset: int = 0,
) -> list[OutboxRow]:
    """One alert row per recipient; `rendered` is shared across an audience's chunks (many chats share one text).
    `story`: when the item joins a story, every copy of it (the alert shows the story as a whole).
    `offset`: rows of this fan-out already made (the first `Priority.HEAD_SIZE` go first). Pure."""
    out = []
    for n, r in enumerate(recipients, offset):
        zone = r.timezone or policy.timezone
        cache_key = (r.lang, r.topics, r.lead, zone)
        html = rendered.get(cache_key)
        if html is None:
            style = policy.style(r.lang, r.lead, zone)
            html = rendered[cache_key] = (
                render_story(story, r.topics, style) if story else format_alert(item, feed.name, r.topics, style).html
            )
        priority = Priority.of(n)
        out.append(OutboxRow(key, r.chat_id, html, r.topics, r.thread_id, priority, now, lang=r.lang))
    return out


def alert_columns(
    item: Item,
    key: str,
    feed: FeedConfig,
    members: Sequence[Member],
    policy: Policy,
    now: float,
    rendered: RenderCache,
    story: tuple[StoryCopy, ...] = (),
    offset: int = 0,
) -> AlertColumns:
    """What `alerts_for` says for the same recipients (`Subscriptions.members`), column-wise (see `AlertColumns`):
    for large fan-outs, with no object per recipient. Pure."""
    variants: list[OutboxRow] = []
    index: dict[tuple[tuple[str, ...], str, bool, str | None, int | None], int] = {}
    chat_ids: list[int] = []
    variant_of: list[int] = []
    for chat_id, topics, info in members:
        prefs = info.prefs
        vk = (topics, info.lang, prefs.lead, prefs.timezone, info.thread_id)
        v = index.get(vk)
        if v is None:
            zone = prefs.timezone or policy.timezone
            cache_key = (info.lang, topics, prefs.lead, zone)
            html = rendered.get(cache_key)
            if html is None:
                style = policy.style(info.lang, prefs.lead, zone)
                html = rendered[cache_key] = (
                    render_story(story, topics, style) if story else format_alert(item, feed.name, topics, style).html
                )
            v = index[vk] = len(variants)
            variants.append(OutboxRow(key, chat_id, html, topics, info.thread_id, Priority.BREAKING_BULK, now, lang=info.lang))
        chat_ids.append(chat_id)
        variant_of.append(v)
    priorities = Priority.run(offset, len(chat_ids))
    return AlertColumns(key, tuple(variants), chat_ids, variant_of, priorities)
