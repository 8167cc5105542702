"""Frozen value types that flow through the pipeline.

Feedparser's loose dicts are turned into these at the boundary (see
`bot.feeds.items`), so the pure core never sees a dict or a None it did not expect.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.core.derive import article_lead, display_headline
from bot.core.markers import DEFAULT_BREAKING_PATHS
from bot.core.vocab import BreakingMode, BreakingReason, SourceKind

__all__ = ["BreakingMode", "BreakingReason", "SourceKind"]


@dataclass(frozen=True, slots=True)
class FeedConfig:
    id: str
    name: str
    url: str
    interval: float = 120.0
    breaking: BreakingMode = "marked"
    # Sections of the site's URLs that hold breaking news only (`/news/breaking/…`).
    breaking_paths: tuple[str, ...] = DEFAULT_BREAKING_PATHS
    # "feed" (RSS/Atom) or "telegram" (a public channel's web preview, `url` its t.me/s/ page).
    kind: SourceKind = "feed"
    channel: str | None = None  # the channel's public name, for kind = "telegram"


@dataclass(frozen=True, slots=True)
class Item:
    """One feed entry, with its text already cleaned to plain lines."""

    feed_id: str
    uid: str  # stable within the feed: guid, else link, else content hash
    title: str
    body: str  # plain text, one paragraph per line
    link: str | None = None
    published: datetime | None = None
    categories: tuple[str, ...] = ()
    # Derived once at construction (see bot.core.derive), read by every stage:
    headline: str = ""  # display headline, marker removed
    lead: str = ""  # the first sentences of the prose, at most derive.LEAD_MAX characters
    # A digest of the item's text when its source can edit an item in place (a channel post):
    # the same uid seen later with another revision is an edit (see decide.revision_key).
    # "" = not tracked (RSS items).
    revision: str = ""

    def __post_init__(self) -> None:
        if not self.headline and not self.lead:
            h = display_headline(self.title, self.body)
            object.__setattr__(self, "headline", h)
            object.__setattr__(self, "lead", article_lead(self.body, h))


@dataclass(frozen=True, slots=True)
class Breaking:
    """Whether an item is breaking news and which rule said so."""

    is_breaking: bool
    reason: BreakingReason | None = None

    def __bool__(self) -> bool:
        return self.is_breaking


@dataclass(frozen=True, slots=True)
class WordHit:
    """How one word of the text satisfied one word of a topic."""

    text: str  # the word as written in the item
    topic_word: str  # the topic word (or alias variant) it stands for
    rule: str  # exact, clitic, nisba, feminine, plural, pronoun, alias, latin, quoted


@dataclass(frozen=True, slots=True)
class TopicMatch:
    """A topic that matched an item, with the evidence."""

    topic: str  # as the subscriber wrote it
    field: str  # "title" or "body"
    start: int
    end: int
    span: str  # the matched stretch of original text
    hits: tuple[WordHit, ...] = ()


@dataclass(frozen=True, slots=True)
class Alert:
    """A rendered alert, ready for Telegram (HTML parse mode)."""

    item_uid: str
    html: str
    topics: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Limits:
    """Telegram's flood limits, as the operator configured them."""

    global_per_second: float = 30.0
    per_chat_per_second: float = 1.0
    group_per_minute: float = 20.0
    # Paid broadcasts (Telegram Stars per message beyond the free 30/s): sends carry
    # allow_paid_broadcast and the global limit may rise to 1,000/s.
    paid_broadcast: bool = False
    # The share of each limit the limiter paces at (telegram.limits.safety): the
    # margin is for arrivals that bunch on the way to Telegram (bot.delivery.limiter).
    safety: float = 0.93


def item_key(feed_id: str, uid: str) -> str:
    """One item of one feed, as a fixed-length key."""
    return hashlib.sha256(f"{feed_id}\x00{uid}".encode()).hexdigest()[:40]


def own_key(key: str) -> str:
    """The story key that identifies one item of one feed (see `decide.story_keys`)."""
    return "item:" + key


@dataclass(frozen=True, slots=True)
class ItemRecord:
    """An item as the store keeps it: what `decide` says to record."""

    key: str
    feed_id: str
    uid: str
    title: str
    link: str | None
    published: float | None
    breaking: bool
    reason: str | None
    story_keys: tuple[str, ...]
    # An item recorded before, not breaking then, whose edit made it breaking (a channel
    # post marked «عاجل» afterwards): its alerts are filed, its row is updated, not added.
    promoted: bool = False


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """One alert for one chat: an intent from `decide`, then a row of the outbox."""

    item_key: str
    chat_id: int
    html: str
    topics: tuple[str, ...] = ()
    thread_id: int | None = None
    priority: int = 0
    created_at: float = 0.0
    id: int | None = None
    attempts: int = 0
    lang: str = "ar"
    # The stored rendering (alerts table) this row sends: many chats share one.
    alert_id: int | None = None
    # Set by the delivery worker from the chat's /settings, just before sending:
    silent: bool = False  # disable_notification
    preview: bool = False  # show the link preview

    @property
    def is_summary(self) -> bool:
        """A quiet-hours summary (see Store.release_held), never held itself."""
        return self.item_key.startswith(SUMMARY_PREFIX)


SUMMARY_PREFIX = "summary:"


@dataclass(frozen=True, slots=True)
class AlertColumns:
    """One chunk of a large fan-out, column-wise: one item, a few renderings, many chats.

    What a list of `OutboxRow` says for the same chunk, without an object
    per recipient: `variants` holds one row per distinct rendering (its
    `chat_id` is that of its first recipient and means nothing more), and
    recipient i is `chat_ids[i]`, sent `variants[variant_of[i]]` at
    `priorities[i]`. Building and writing 500,000 rows this way costs a
    fraction of the objects' time, most of which the event loop would wait
    for (the GIL).
    """

    item_key: str
    variants: tuple[OutboxRow, ...]
    chat_ids: list[int]
    variant_of: list[int]
    priorities: list[int]

    def __len__(self) -> int:
        return len(self.chat_ids)

    def rows(self) -> list[OutboxRow]:
        """The same chunk as one `OutboxRow` per recipient (tests, small audiences)."""
        return [
            replace(self.variants[v], chat_id=c, priority=p)
            for c, v, p in zip(self.chat_ids, self.variant_of, self.priorities, strict=True)
        ]
