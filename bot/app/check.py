"""`python -m bot check`: what the pipeline makes of one feed, for operators."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from bot.core import breaking
from bot.core.aliases import Aliases
from bot.core.matching import TopicIndex, explain
from bot.core.models import Breaking, BreakingMode, Item, TopicMatch
from bot.core.topics import parse_topic
from bot.feeds.fetch import ParseError, fetch, make_client, parse_feed
from bot.feeds.items import items_from_feed


@dataclass(frozen=True, slots=True)
class CheckedItem:
    item: Item
    verdict: Breaking
    topics: tuple[str, ...]
    matches: tuple[TopicMatch, ...]
    vetoed: tuple[tuple[str, str], ...] = ()  # (topic as given, why it is another sense)


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


def check_items(items: Sequence[Item], mode: BreakingMode, topics: TopicSet) -> list[CheckedItem]:
    out = []
    for item in items:
        names, matches, vetoed = topics.match(item)
        out.append(CheckedItem(item, breaking.detect(item, mode), names, matches, vetoed))
    return out


async def load_items(source: str) -> tuple[list[Item], str | None]:
    """Items of a feed URL or file, or an error line."""
    async with make_client() as client:
        result = await fetch(client, source)
    if result.error:
        return [], f"cannot read {source}: {result.error}"
    try:
        parsed = await parse_feed(result)
    except ParseError as exc:
        return [], f"{source}: {exc}"
    items = list(items_from_feed("check", parsed))
    if not items and parsed.get("bozo"):
        return [], f"{source}: not a readable RSS/Atom feed ({parsed.get('bozo_exception')})"
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
    n_breaking = sum(1 for c in checked if c.verdict)
    n_matched = sum(1 for c in checked if c.topics)
    print(f"\n{len(checked)} items, {n_breaking} breaking, {n_matched} matching a topic", file=out)
