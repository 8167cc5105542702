"""Small shared helpers for tests."""

from __future__ import annotations

from pathlib import Path

import feedparser

from bot.core.models import Item
from bot.feeds.items import items_from_feed

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_TEXT = SEEDS / "000_bd537ae80dd81654.txt"
SEED_FEED = SEEDS / "demo_news.xml"
WIRE_FEED = SEEDS / "demo_breaking.xml"
GOLDEN = Path(__file__).resolve().parent / "golden"
DATA = Path(__file__).resolve().parent / "data"


def seed_only_feed() -> bytes:
    """The demo feed with the seed article as its only item.

    Tests about one fan-out (crash safety, exactly-once) need a feed whose
    only alert is the seed: with the shipped concepts «الملف النووي» also
    matches the feed's IAEA item, a second, different story."""
    xml = SEED_FEED.read_text(encoding="utf-8")
    head, _, rest = xml.partition("<item>")
    first, _, _ = rest.partition("</item>")
    return f"{head}<item>{first}</item></channel></rss>".encode()


def seed_item() -> Item:
    """The seed article, as the demo feed carries it."""
    return items_from_feed("demo-news", feedparser.parse(SEED_FEED.read_bytes()))[0]
