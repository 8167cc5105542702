"""Who follows what, in memory, for fan-out. Pure: no I/O.

Distinct topics are matched once per item through one `TopicIndex`; the
chats behind each matched topic are then looked up, so the cost of an item
grows with its length and its matches, not with the number of subscribers.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from bot.core.aliases import NO_ALIASES, Aliases
from bot.core.matching import TopicIndex
from bot.core.models import Item, TopicMatch
from bot.core.prefs import ChatPrefs
from bot.core.topics import Topic, parse_topic

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ChatInfo:
    lang: str = "ar"
    thread_id: int | None = None
    prefs: ChatPrefs = field(default_factory=ChatPrefs)  # /settings: what changes the text (lead, time zone) and the delivery


DEFAULT_INFO = ChatInfo()


# A recipient before it is a `Recipient`: (chat, topics as written, the chat's settings).
Member = tuple[int, tuple[str, ...], ChatInfo]


@dataclass(frozen=True, slots=True)
class Recipient:
    chat_id: int
    lang: str
    thread_id: int | None
    topics: tuple[str, ...]  # as this chat wrote them; empty for an all-breaking chat
    matches: tuple[TopicMatch, ...] = ()
    lead: bool = True  # headline and lead, or headline only
    timezone: str | None = None  # None: the operator's default


@dataclass(frozen=True, slots=True)
class Audience:
    """Who an item reaches, copied on the loop at one instant so that `expand` may run elsewhere.

    Copying a matched topic's chats is one C-level pass (~10 ms for 500,000);
    grouping them per chat, reading their settings and building the
    recipients is what costs, and `expand` does that in chunks, in a thread.
    """

    follow: tuple[tuple[tuple[int, str], ...], ...]  # per matched topic: (chat, topic as written)
    excluded: frozenset[int]
    all_breaking: tuple[int, ...]

    @property
    def size(self) -> int:
        """At most this many recipients (a chat may follow several matched topics)."""
        return sum(len(f) for f in self.follow) + len(self.all_breaking)


class Subscriptions:
    def __init__(self, aliases: Aliases = NO_ALIASES) -> None:
        self.aliases = aliases
        self.index = TopicIndex()
        self._follow: dict[str, dict[int, str]] = {}  # topic key → chat → text as written
        self._exclude: dict[str, dict[int, str]] = {}
        self._chats: dict[int, ChatInfo] = {}
        self._all: set[int] = set()
        self._parsed: dict[str, Topic | None] = {}  # many chats type the same topics

    def parse(self, text: str) -> Topic | None:
        if text not in self._parsed:
            self._parsed[text] = parse_topic(text, self.aliases)
        return self._parsed[text]

    def set_chat(self, chat_id: int, info: ChatInfo = ChatInfo(), *, all_breaking: bool = False) -> None:
        self._chats[chat_id] = info
        (self._all.add if all_breaking else self._all.discard)(chat_id)

    def add(self, chat_id: int, text: str, kind: str = "topic") -> Topic | None:
        topic = self.parse(text)
        if topic is None:
            return None
        if chat_id not in self._chats:  # one shared default: a million adds build no objects
            self._chats[chat_id] = DEFAULT_INFO
        self.index.add(topic)
        self._table(kind).setdefault(topic.key, {})[chat_id] = topic.text
        return topic

    def remove(self, chat_id: int, key: str, kind: str = "topic") -> None:
        table = self._table(kind)
        chats = table.get(key, {})
        chats.pop(chat_id, None)
        if not chats:
            table.pop(key, None)
        if key not in self._follow and key not in self._exclude:
            self.index.remove(key)

    def drop_chat(self, chat_id: int) -> None:
        """Forget a chat entirely (unsubscribed, paused, blocked the bot)."""
        for kind, table in (("topic", self._follow), ("exclude", self._exclude)):
            for key in [k for k, chats in table.items() if chat_id in chats]:
                self.remove(chat_id, key, kind)
        self._chats.pop(chat_id, None)
        self._all.discard(chat_id)

    def rename_chat(self, old: int, new: int) -> None:
        """A group became a supergroup: same subscribers, new id."""
        for table in (self._follow, self._exclude):
            for chats in table.values():
                if old in chats:
                    chats[new] = chats.pop(old)
        if old in self._chats:
            self._chats[new] = self._chats.pop(old)
        if old in self._all:
            self._all.discard(old)
            self._all.add(new)

    def recipients(self, item: Item) -> list[Recipient]:
        """Every chat that should get `item`, with the topics it matched."""
        matches = self.index.match_item(item)
        per_chat: dict[int, list[tuple[str, TopicMatch]]] = {}
        excluded: set[int] = set()
        for key, m in matches.items():
            for chat_id, written in self._follow.get(key, {}).items():
                per_chat.setdefault(chat_id, []).append((written, m))
            excluded.update(self._exclude.get(key, {}))
        for chat_id in self._all:
            per_chat.setdefault(chat_id, [])
        out = []
        for chat_id, found in per_chat.items():
            if chat_id in excluded:
                continue
            info = self._chats.get(chat_id, ChatInfo())
            topics = tuple(dict.fromkeys(w for w, _ in found))
            out.append(Recipient(
                chat_id, info.lang, info.thread_id, topics, tuple(m for _, m in found), info.prefs.lead, info.prefs.timezone,
            ))
        return out

    def info(self, chat_id: int) -> ChatInfo | None:
        """A listening chat's language, thread and settings (None: paused, stopped, unknown)."""
        return self._chats.get(chat_id)

    def audience(self, item: Item) -> Audience:
        """Match `item` and copy who follows what matched (on the loop: the index has one owner)."""
        matches = self.index.match_item(item)
        follow = tuple(tuple(self._follow[key].items()) for key in matches if key in self._follow)
        excluded = frozenset(c for key in matches for c in self._exclude.get(key, ()))
        return Audience(follow, excluded, tuple(self._all))

    def expand(self, audience: Audience, first: int = 1000, chunk: int = 10_000, rotate: int = 0) -> Iterator[list[Recipient]]:
        """The recipients of an `Audience`, in chunks (the first one small, so sending starts early).

        May run in a worker thread while the loop changes the index: it reads
        the index only through single `dict.get` calls, which are atomic.
        A chat that changed its settings meanwhile gets the newer ones.
        """
        for members in self.members(audience, first, chunk, rotate):
            yield [Recipient(c, i.lang, i.thread_id, t, (), i.prefs.lead, i.prefs.timezone) for c, t, i in members]

    def members(self, audience: Audience, first: int = 1000, chunk: int = 10_000, rotate: int = 0) -> Iterator[list[Member]]:
        """What `expand` gives, as plain (chat, topics as written, chat's settings) tuples: for large fan-outs,
        where building a `Recipient` per chat is most of the cost. Same chunks, same thread rules.

        `rotate` (see `rotation`) starts the audience at another chat for each item: a story's first
        recipients go ahead of the queue, and if they were the same chats for every story they would
        wait for Telegram's one message per second per chat while other chats idle."""
        if len(audience.follow) == 1 and not audience.all_breaking:
            grouped: Iterable[tuple[int, tuple[str, ...]]] = ((c, (w,)) for c, w in _rotated(audience.follow[0], rotate))
        else:
            per_chat: dict[int, tuple[str, ...]] = {}
            shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple object per distinct topic list
            for follow in audience.follow:
                for chat_id, written in follow:
                    got = per_chat.get(chat_id, ())
                    if written not in got:
                        topics = (*got, written)
                        per_chat[chat_id] = shared.setdefault(topics, topics)
            for chat_id in audience.all_breaking:
                per_chat.setdefault(chat_id, ())
            grouped = _rotated(tuple(per_chat.items()), rotate)
        out: list[Member] = []
        size = first
        get, excluded = self._chats.get, audience.excluded
        for chat_id, topics in grouped:
            if chat_id in excluded:
                continue
            out.append((chat_id, topics, get(chat_id, DEFAULT_INFO)))
            if len(out) >= size:
                yield out
                out, size = [], chunk
        if out:
            yield out

    def prefs(self, chat_id: int) -> ChatPrefs | None:
        """A listening chat's settings (None for a chat not in the index: paused, stopped, unknown)."""
        info = self._chats.get(chat_id)
        return info.prefs if info else None

    def _table(self, kind: str) -> dict[str, dict[int, str]]:
        return self._exclude if kind == "exclude" else self._follow

    def __len__(self) -> int:
        return sum(len(c) for c in self._follow.values())

    @property
    def chat_count(self) -> int:
        return len(self._chats)


def rotation(key: str) -> int:
    """Where an item's audience starts (`Subscriptions.members`): fixed per item, spread across items."""
    return int.from_bytes(hashlib.blake2s(key.encode(), digest_size=4).digest(), "big")


def _rotated(seq: Sequence[T], rotate: int) -> Iterable[T]:
    """`seq` from position `rotate` (modulo its length) round to the one before it, without a copy."""
    if not rotate or len(seq) < 2:
        return seq
    k = rotate % len(seq)
    return itertools.chain(itertools.islice(seq, k, None), itertools.islice(seq, k))
