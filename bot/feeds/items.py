"""Feedparser's dicts → frozen `Item`s. The only place that touches them."""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bot.core.derive import display_headline
from bot.core.models import Item
from bot.core.normalize import normalize
from bot.core.textclean import html_to_lines, html_to_text


def items_from_feed(feed_id: str, parsed: Mapping[str, Any]) -> tuple[Item, ...]:
    """Every usable entry of a parsed feed, in feed order."""
    out = []
    for entry in parsed.get("entries", ()):
        item = item_from_entry(feed_id, entry)
        if item.title or item.body:
            out.append(item)
    return tuple(out)


def item_from_entry(feed_id: str, entry: Mapping[str, Any]) -> Item:
    title = " ".join(html_to_lines(str(entry.get("title") or "")))
    # Captions repeat the headline without its «عاجل» label: compare with the display headline.
    body = html_to_text(_body_html(entry), display_headline(title, ""))
    link = (entry.get("link") or "").strip() or None
    guid = (entry.get("id") or entry.get("guid") or "").strip() or None
    return Item(
        feed_id=feed_id,
        uid=stable_id(guid, link, title, body),
        title=title,
        body=body,
        link=link,
        published=_published(entry),
        categories=tuple(term for t in entry.get("tags") or () if (term := str(t.get("term") or "").strip())),
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


def _published(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    return None
