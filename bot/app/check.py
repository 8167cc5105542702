"""`python -m bot check`: what the pipeline makes of one feed or public channel, for operators."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sqlalchemy import create_engine, inspect
from sqlalchemy.exc import SQLAlchemyError

from bot.core import breaking
from bot.core.aliases import Aliases
from bot.core.matching import TopicIndex, explain
from bot.core.merging import DEFAULT_WINDOW_HOURS, Story, find_story
from bot.core.models import Breaking, BreakingMode, Item, TopicMatch
from bot.core.topics import parse_topic
from bot.feeds.channels import DEFAULT_BASE_URL as DEFAULT_CHANNELS_BASE_URL
from bot.feeds.channels import ChannelPageError, channel_name, channel_page_url, items_from_posts, parse_page
from bot.feeds.fetch import ParseError, fetch, make_client, parse_feed
from bot.feeds.items import items_from_feed
from bot.storage.story_store import read_recent_stories


@dataclass(frozen=True, slots=True)
class CheckedItem:
    item: Item
    verdict: Breaking
    topics: tuple[str, ...]
    matches: tuple[TopicMatch, ...]
    vetoed: tuple[tuple[str, str], ...] = ()  # (topic as given, why it is another sense)
    story: Story | None = None  # the recent story this breaking item would join (bot.core.merging)


class TopicSet:
    """The operator's topics: many may share one normalized key."""

    def __init__(self, topics: Sequence[str], aliases: Aliases) -> None:
        self.index = TopicIndex()
        self._given: dict[str, list[tuple[int, str]]] = {}
        self.rejected: list[str] = []
        for i, text in enumerate(topics):
            topic = parse_topic(text, aliases)
            if topic is None:
                self.rejected.append(text)
                continue
            self.index.add(topic)
            self._given.setdefault(topic.key, []).append((i, text))

    def match(self, item: Item) -> tuple[tuple[str, ...], tuple[TopicMatch, ...], tuple[tuple[str, str], ...]]:
        vetoed: dict[str, str] = {}
        found = self.index.match_item(item, vetoed)
        given = sorted(g for key in found for g in self._given[key])
        why = tuple((text, reason) for key, reason in vetoed.items() for _, text in self._given[key])
        return tuple(text for _, text in given), tuple(found.values()), why


def check_items(items: Sequence[Item], mode: BreakingMode, topics: TopicSet, recent: Sequence[Story] = ()) -> list[CheckedItem]:
    out = []
    for item in items:
        names, matches, vetoed = topics.match(item)
        verdict = breaking.detect(item, mode)
        story = find_story(item.headline, item.lead, recent) if verdict and recent else None
        out.append(CheckedItem(item, verdict, names, matches, vetoed, story))
    return out


def recent_stories(database_url: str, window_hours: float = DEFAULT_WINDOW_HOURS) -> list[Story]:
    """The stories the running bot alerted in the merge window, read without touching the
    database (no migration, no lock): none when it does not exist or predates story merging."""
    if database_url.startswith("sqlite:///") and not Path(database_url.removeprefix("sqlite:///")).is_file():
        return []
    try:
        engine = create_engine(database_url)
        try:
            if not inspect(engine).has_table("story_copies"):
                return []
            with engine.connect() as conn:
                return read_recent_stories(conn, time.time() - window_hours * 3600)
        finally:
            engine.dispose()
    except SQLAlchemyError:
        return []


async def load_items(source: str, channels_base_url: str = DEFAULT_CHANNELS_BASE_URL) -> tuple[list[Item], str | None]:
    """Items of a feed URL or file, or of a public channel (`tg:name`, `@name`, a t.me/s/ URL,
    or a saved copy of a channel page, recognised by its markup), or an error line."""
    name = channel_name(source)
    if name is None and source.strip().startswith("tg:"):
        return [], f"{source}: not a channel name (a public channel's name: 5-32 letters, digits or _)"
    url = source
    if name is not None and source.strip().startswith(("tg:", "@")):
        url = channel_page_url(name, channels_base_url)
    elif name is not None:
        url = channel_page_url(name)  # https://t.me/name and post links read the channel's preview page
    async with make_client() as client:
        result = await fetch(client, url)
    if result.error:
        return [], f"cannot read {url}: {result.error}"
    if result.body is None:
        return [], f"cannot read {url}: empty answer (HTTP {result.status})"
    try:
        page = await asyncio.to_thread(parse_page, result.body)
    except ChannelPageError as exc:
        if name is not None or exc.telegram:
            return [], f"{url}: {exc}"
    else:
        return list(await asyncio.to_thread(items_from_posts, "check", page.posts)), None
    try:
        parsed = await parse_feed(result)
    except ParseError as exc:
        return [], f"{source}: {exc}"
    items = list(items_from_feed("check", parsed))
    if not items and parsed.get("bozo"):
        return [], f"{source}: not a readable RSS/Atom feed or channel page ({parsed.get('bozo_exception')})"
    return items, None


def as_json(c: CheckedItem) -> str:
    return json.dumps(
        {
            "id": c.item.uid,
            "title": c.item.title,
            "link": c.item.link,
            "published": c.item.published.isoformat() if c.item.published else None,
            "breaking": c.verdict.is_breaking,
            "breaking_reason": c.verdict.reason,
            "topics": list(c.topics),
            "not_matched": dict(c.vetoed),
            # The recent story (in the configured database) this item would join instead of alerting anew.
            "story": c.story.key if c.story else None,
            "merged": c.story is not None,
            "merged_with": c.story.copies[0].headline if c.story else None,
        },
        ensure_ascii=False,
    )


def print_table(checked: Sequence[CheckedItem], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    for n, c in enumerate(checked, 1):
        flag = f"عاجل ✓ ({c.verdict.reason})" if c.verdict else "—"
        print(f"{n:>3}. {flag:<26} {c.item.title}", file=out)
        for m in c.matches:
            print(f"       ↳ {m.topic}: «{m.span}» [{m.field}] {explain(m)}", file=out)
        for topic, why in c.vetoed:
            print(f"       ✗ {topic}: {why}", file=out)
        if c.story is not None:
            first = c.story.copies[0]
            print(f"       ≡ same story as «{first.headline}» ({first.source}): its alert would be edited", file=out)
    n_breaking = sum(1 for c in checked if c.verdict)
    n_matched = sum(1 for c in checked if c.topics)
    print(f"\n{len(checked)} items, {n_breaking} breaking, {n_matched} matching a topic", file=out)
