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


def seed_item() -> Item:
    """The seed article, as the demo feed carries it."""
    return items_from_feed("demo-news", feedparser.parse(SEED_FEED.read_bytes()))[0]
