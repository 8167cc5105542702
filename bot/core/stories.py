"""Which copy of a story is canonical, and which alerts survive. Pure.

A story may reach us through several feeds. Each copy is recorded, but its
alerts are filed under the story's first item, so a chat gets a story at
most once, while a chat whose topic only a later copy mentions still gets
it. The store calls these inside its write transaction (polls run
concurrently, so the decision must see what is committed) and only applies
what they return.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from bot.core.models import ItemRecord, OutboxRow, own_key


@dataclass(frozen=True, slots=True)
class StoryPlan:
    fresh: tuple[ItemRecord, ...]  # items never recorded before
    canonical: Mapping[str, str]  # item key → the key its story is filed under
    new_keys: Mapping[str, str]  # story keys to add → canonical item key
    promoted: tuple[ItemRecord, ...] = ()  # items recorded before that an edit made breaking


def assign_stories(records: Sequence[ItemRecord], known: Mapping[str, str]) -> StoryPlan:
    """File each new record under the first item of its story. `known`: story key → item key."""
    story = dict(known)
    fresh: list[ItemRecord] = []
    canonical: dict[str, str] = {}
    new_keys: dict[str, str] = {}
    promoted: list[ItemRecord] = []
    for r in records:
        if own_key(r.key) in story:
            if not r.promoted:
                continue  # this very item was processed before
            # Recorded before and made breaking by an edit: filed under the story it joins
            # now if any (its own keys point at itself), else under itself.
            mine = story[own_key(r.key)]
            canonical[r.key] = next((story[k] for k in r.story_keys if story.get(k, mine) != mine), mine)
            promoted.append(r)
        else:
            canonical[r.key] = next((story[k] for k in r.story_keys if k in story), r.key)
            fresh.append(r)
        for k in r.story_keys:
            if k not in story:
                story[k] = new_keys[k] = canonical[r.key]
    return StoryPlan(tuple(fresh), canonical, new_keys, tuple(promoted))


def file_alerts(
    alerts: Sequence[OutboxRow], canonical: Mapping[str, str], taken: set[tuple[str, int]]
) -> list[OutboxRow]:
    """Alerts re-filed under their story, minus any chat that already has that story."""
    taken = set(taken)
    out: list[OutboxRow] = []
    for a in alerts:
        if a.item_key not in canonical:
            continue
        story = canonical[a.item_key]
        if story != a.item_key:  # a later copy: filed under the first (most alerts are the first copy's own)
            a = replace(a, item_key=story)
        if (a.item_key, a.chat_id) not in taken:
            taken.add((a.item_key, a.chat_id))
            out.append(a)
    return out


def stories_of(alerts: Sequence[OutboxRow], canonical: Mapping[str, str]) -> set[str]:
    """The canonical stories these alerts will be filed under."""
    return {canonical[a.item_key] for a in alerts if a.item_key in canonical}
