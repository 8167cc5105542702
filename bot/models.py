"""Frozen value types that flow through the pipeline.

Feedparser's loose dicts are turned into these at the boundary (see
`bot.items`), so the pure core never sees a dict or a None it did not expect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

BreakingMode = Literal["marked", "all"]


@dataclass(frozen=True, slots=True)
class FeedConfig:
    id: str
    name: str
    url: str
    interval: float = 120.0
    breaking: BreakingMode = "marked"


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


@dataclass(frozen=True, slots=True)
class Breaking:
    """Whether an item is breaking news and which rule said so."""

    is_breaking: bool
    reason: str | None = None

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
