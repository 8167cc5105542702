"""One alert per story across outlets. Pure.

When a breaking item reads as the same event as a story alerted in the last
few hours (see `bot.core.similarity`), it joins that story instead of
starting a new one: subscribers who already have the story get their alert
edited to name the new outlet («أيضًا: …»), to carry the fuller text and to
show every topic any copy matched; subscribers whose topics only the new copy
matches get one alert.

What a subscriber finally sees must not depend on which copy arrived first,
so the shown copy and the «أيضًا» list are chosen by content (the fuller
copy; then the source id), never by arrival.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.core import similarity
from bot.core.formatting import AlertStyle, format_alert
from bot.core.models import Item

DEFAULT_WINDOW_HOURS = 6.0


@dataclass(frozen=True, slots=True)
class StoryCopy:
    """One outlet's report of a story, as the store keeps it."""

    item_key: str
    feed_id: str
    source: str  # the outlet's display name
    headline: str
    lead: str
    first_seen: float
    link: str | None = None
    published: float | None = None

    @classmethod
    def of(cls, key: str, item: Item, source: str, now: float) -> StoryCopy:
        published = item.published.timestamp() if item.published else None
        return cls(key, item.feed_id, source, item.headline, item.lead, now, item.link, published)

    def as_item(self) -> Item:
        """The copy as an item again, to render it (headline and lead already derived)."""
        when = datetime.fromtimestamp(self.published, UTC) if self.published is not None else None
        return Item(self.feed_id, self.item_key, self.headline, self.lead, self.link, when,
                    headline=self.headline, lead=self.lead)

    def same_text(self, other: StoryCopy) -> bool:
        return (self.headline, self.lead) == (other.headline, other.lead)


@dataclass(frozen=True, slots=True)
class Story:
    """A story alerted recently: its canonical key (its first item's) and every copy."""

    key: str
    copies: tuple[StoryCopy, ...]
    signatures: tuple[similarity.Signature, ...] = field(default=(), compare=False)

    @classmethod
    def of(cls, key: str, copies: Iterable[StoryCopy]) -> Story:
        cs = tuple(copies)
        return cls(key, cs, tuple(similarity.signature(c.headline, c.lead) for c in cs))


def group(copies: Iterable[tuple[str, StoryCopy]]) -> list[Story]:
    """(story key, copy) rows → stories, in a stable order."""
    by_key: dict[str, list[StoryCopy]] = {}
    for key, copy in copies:
        by_key.setdefault(key, []).append(copy)
    return [Story.of(k, sorted(v, key=lambda c: (c.first_seen, c.item_key))) for k, v in sorted(by_key.items())]


def find_story(headline: str, lead: str, recent: Sequence[Story], exclude_feed: str | None = None) -> Story | None:
    """The recent story this text reports, or None. The closest wins when several qualify.

    A copy from the same source never joins by similarity: one outlet's two
    posts are two events, or an update the outlet itself made (seen by its id).
    """
    sig = similarity.signature(headline, lead)
    best: tuple[float, Story] | None = None
    for story in recent:
        if exclude_feed is not None and any(c.feed_id == exclude_feed for c in story.copies):
            continue
        for other in story.signatures:
            if similarity.same_story(sig, other):
                s = similarity.score(sig, other)
                if best is None or s > best[0]:
                    best = (s, story)
    return best[1] if best else None


def shown_copy(copies: Sequence[StoryCopy]) -> StoryCopy:
    """The copy an alert shows: the fullest text, then the lowest source id (never arrival order)."""
    return min(copies, key=lambda c: (-len(c.lead), -len(c.headline), c.feed_id, c.item_key))


def also_sources(copies: Sequence[StoryCopy], shown: StoryCopy) -> tuple[str, ...]:
    """The other outlets, each once, in a stable order."""
    names = {c.source for c in copies if c.source != shown.source}
    return tuple(sorted(names))


def render_story(copies: Sequence[StoryCopy], topics: tuple[str, ...], style: AlertStyle) -> str:
    """A story's alert as it should finally read: the fullest copy, its outlet in the
    header, every other outlet under «أيضًا», and every topic any copy matched."""
    shown = shown_copy(copies)
    ordered = tuple(sorted(topics))  # however the copies arrived, the same hashtags in the same order
    return format_alert(shown.as_item(), shown.source, ordered, style, also_sources(copies, shown)).html
