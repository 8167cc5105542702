"""Feedparser's dicts → frozen `Item`s. The only place that touches them."""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any

from bot.core import chrome
from bot.core.derive import display_headline
from bot.core.models import Item
from bot.core.normalize import normalize
from bot.core.textclean import (
    MAX_BODY_CHARS,
    MAX_BODY_MARKUP,
    MAX_TITLE_CHARS,
    MAX_TITLE_MARKUP,
    cap_text,
    cut_markup,
    html_to_lines,
    html_to_text,
    strip_controls,
)

# A date outside this window is a feed's mistake (year 1, year 9999, a CMS
# placeholder), not news: the item is kept, its date treated as missing.
EARLIEST_DATE = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)
MAX_CATEGORIES = 50
MAX_CATEGORY_CHARS = 200

Now = datetime | float | None  # an aware datetime or a POSIX timestamp; None: the current time


def items_from_feed(feed_id: str, parsed: Mapping[str, Any], now: Now = None) -> tuple[Item, ...]:
    """Every usable entry of a parsed feed, in feed order (entries that fail are skipped)."""
    return items_and_errors(feed_id, parsed, now)[0]


def items_and_errors(feed_id: str, parsed: Mapping[str, Any], now: Now = None) -> tuple[tuple[Item, ...], tuple[str, ...]]:
    """Every usable entry of a parsed feed, in feed order, and one short reason per entry skipped.

    Each entry is converted on its own: one that fails anywhere (date, text,
    id) is skipped and reported, and never costs the feed its other items.
    """
    when = _as_datetime(now)
    items: list[Item] = []
    errors: list[str] = []
    for n, entry in enumerate(parsed.get("entries") or ()):
        try:
            item = item_from_entry(feed_id, entry, when)
        except Exception as exc:  # noqa: BLE001 - one hostile entry must not stop the rest of its feed
            errors.append(f"entry {n}: {exc!r:.160}")
            continue
        if item.title or item.body:
            items.append(item)
    return without_chrome(items), tuple(errors)


def without_chrome(items: list[Item]) -> tuple[Item, ...]:
    """The feed's items with what the outlet adds to every one of them removed (see bot.core.chrome)."""
    learned = chrome.learn([i.title for i in items], [i.body for i in items])
    if not learned:
        return tuple(items)
    # headline and lead are cleared so that the item derives them again from the clean text.
    return tuple(
        replace(i, title=chrome.strip_title(i.title, learned), body=chrome.strip_body(i.body, learned), headline="", lead="")
        for i in items
    )


def item_from_entry(feed_id: str, entry: Mapping[str, Any], now: Now = None) -> Item:
    # Caps first: the raw markup is cut before parsing, the clean text after,
    # so nothing downstream (matching, story keys, formatting) sees unbounded text.
    raw_title = cut_markup(str(entry.get("title") or ""), MAX_TITLE_MARKUP)
    # An outlet's name or a «follow us» call after the headline is the site's, not the story's.
    title = chrome.strip_outlet_tail(cap_text(" ".join(html_to_lines(raw_title)), MAX_TITLE_CHARS))
    # Captions repeat the headline without its «عاجل» label: compare with the display headline.
    body = cap_text(html_to_text(cut_markup(_body_html(entry), MAX_BODY_MARKUP), display_headline(title, "")), MAX_BODY_CHARS)
    link = (entry.get("link") or "").strip() or None
    guid = (entry.get("id") or entry.get("guid") or "").strip() or None
    return Item(
        feed_id=feed_id,
        uid=stable_id(guid, link, title, body),
        title=title,
        body=body,
        link=link,
        published=_published(entry, _as_datetime(now)),
        categories=_categories(entry),
    )


def stable_id(guid: str | None, link: str | None, title: str, body: str) -> str:
    """guid, else link, else a hash of the text: stable across polls."""
    if guid:
        return "g:" + guid
    if link:
        return "l:" + link
    digest = hashlib.sha256(normalize(title + "\n" + body).encode()).hexdigest()[:24]
    return "h:" + digest


def _body_html(entry: Mapping[str, Any]) -> str:
    """The fullest body the entry offers: content:encoded beats description."""
    summary = str(entry.get("summary") or "")
    contents = [str(c.get("value") or "") for c in entry.get("content") or ()]
    return max([summary, *contents], key=len)


def _categories(entry: Mapping[str, Any]) -> tuple[str, ...]:
    terms = (strip_controls(str(t.get("term") or "")[:MAX_CATEGORY_CHARS]).strip() for t in entry.get("tags") or ())
    return tuple(islice((term for term in terms if term), MAX_CATEGORIES))


def _published(entry: Mapping[str, Any], now: datetime) -> datetime | None:
    """The entry's date (published, else updated), or None when missing, unreadable or not plausible."""
    for key in ("published_parsed", "updated_parsed"):
        # `in` first: feedparser's get("updated_parsed") falls back to published_parsed, with a DeprecationWarning.
        value = entry.get(key) if key in entry else None
        if not value:
            continue
        try:
            when = datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
        except (ValueError, OverflowError, OSError, TypeError):
            continue  # feedparser parsed it, Python cannot hold it ("0001-01-01T00:00:00+05:00" is year 0)
        if EARLIEST_DATE <= when <= now + FUTURE_SLACK:
            return when
    return None


def _as_datetime(now: Now) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if isinstance(now, datetime):
        return now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    return datetime.fromtimestamp(now, tz=UTC)
