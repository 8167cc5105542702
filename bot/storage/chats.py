"""Chats and their topics: the subscriber side of the store."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import Engine, and_, delete, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.core.prefs import ChatPrefs
from bot.core.vocab import STATUS_CODE, OutboxStatus
from bot.storage import schema as s

_WAITING = (STATUS_CODE[OutboxStatus.PENDING], STATUS_CODE[OutboxStatus.HELD])


@dataclass(frozen=True, slots=True)
class ChatRow:
    id: int
    kind: str
    lang: str
    thread_id: int | None
    active: bool
    paused: bool
    all_breaking: bool
    prefs: ChatPrefs = field(default_factory=ChatPrefs)


@dataclass(frozen=True, slots=True)
class TopicRow:
    id: int
    chat_id: int
    text: str
    key: str
    kind: str


class ChatsMixin:
    engine: Engine

    def upsert_chat(self, chat_id: int, kind: str, lang: str, thread_id: int | None = None) -> bool:
        """Subscribe (or re-activate) a chat; True when it is new or was inactive."""
        with self.engine.begin() as conn:
            row = conn.execute(select(s.chats.c.active).where(s.chats.c.id == chat_id)).first()
            if row is None:
                conn.execute(insert(s.chats).values(
                    id=chat_id, kind=kind, lang=lang, thread_id=thread_id, active=True, paused=False,
                    all_breaking=False, created_at=time.time(),
                ))
                return True
            conn.execute(update(s.chats).where(s.chats.c.id == chat_id).values(kind=kind, lang=lang, thread_id=thread_id, active=True))
            return not row.active

    def chat(self, chat_id: int) -> ChatRow | None:
        with self.engine.connect() as conn:
            r = conn.execute(select(s.chats).where(s.chats.c.id == chat_id)).mappings().first()
        return _chat_row(r) if r else None

    def set_chat(self, chat_id: int, **values: object) -> None:
        """Update flags: paused, all_breaking, lang, active, thread_id, and the /settings columns."""
        with self.engine.begin() as conn:
            conn.execute(update(s.chats).where(s.chats.c.id == chat_id).values(**values))

    def add_topic(self, chat_id: int, text: str, key: str, kind: str = "topic") -> bool:
        """False when the chat already has this topic (same normalized key)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(s.topics).values(chat_id=chat_id, text=text, key=key, kind=kind, created_at=time.time()))
        except IntegrityError:
            return False
        return True

    def remove_topic(self, chat_id: int, topic_id: int) -> TopicRow | None:
        with self.engine.begin() as conn:
            r = conn.execute(select(s.topics).where(and_(s.topics.c.id == topic_id, s.topics.c.chat_id == chat_id))).mappings().first()
            if r is None:
                return None
            conn.execute(delete(s.topics).where(s.topics.c.id == topic_id))
        return _topic_row(r)

    def topics(self, chat_id: int, kind: str | None = None) -> list[TopicRow]:
        q = select(s.topics).where(s.topics.c.chat_id == chat_id).order_by(s.topics.c.id)
        if kind:
            q = q.where(s.topics.c.kind == kind)
        with self.engine.connect() as conn:
            return [_topic_row(r) for r in conn.execute(q).mappings()]

    def clear_topics(self, chat_id: int, kind: str = "topic") -> list[TopicRow]:
        """/clear: remove the chat's topics of one kind (excluded words stay)."""
        rows = self.topics(chat_id, kind)
        with self.engine.begin() as conn:
            conn.execute(delete(s.topics).where(and_(s.topics.c.chat_id == chat_id, s.topics.c.kind == kind)))
        return rows

    def delete_chat(self, chat_id: int) -> None:
        """/stop: the chat and everything about it, its past alerts (with their topics) included."""
        with self.engine.begin() as conn:
            conn.execute(delete(s.outbox).where(s.outbox.c.chat_id == chat_id))
            conn.execute(delete(s.topics).where(s.topics.c.chat_id == chat_id))
            conn.execute(delete(s.chats).where(s.chats.c.id == chat_id))

    def deactivate_chat(self, chat_id: int, reason: str) -> int:
        """The bot can no longer write there: stop, and drop what was queued. Returns rows dropped."""
        with self.engine.begin() as conn:
            conn.execute(update(s.chats).where(s.chats.c.id == chat_id).values(active=False))
            return conn.execute(
                update(s.outbox).where(and_(s.outbox.c.chat_id == chat_id, s.outbox.c.status.in_(_WAITING)))
                .values(status=STATUS_CODE[OutboxStatus.DROPPED], last_error=reason[:500])
            ).rowcount

    def migrate_chat(self, old: int, new: int) -> None:
        """A group became a supergroup: move the chat, its topics and its queue to the new id."""
        with self.engine.begin() as conn:
            if conn.execute(select(s.chats.c.id).where(s.chats.c.id == new)).first() is None:
                row = conn.execute(select(s.chats).where(s.chats.c.id == old)).mappings().first()
                if row is not None:
                    conn.execute(insert(s.chats).values({**row, "id": new, "kind": "supergroup"}))
            # What the new id already has would violate the unique keys: keep its copy.
            t2, o2, a1, a2 = s.topics.alias("t2"), s.outbox.alias("o2"), s.alerts.alias("a1"), s.alerts.alias("a2")
            conn.execute(delete(s.topics).where(and_(s.topics.c.chat_id == old, exists().where(and_(
                t2.c.chat_id == new, t2.c.key == s.topics.c.key, t2.c.kind == s.topics.c.kind)))))
            # A story the new id already has (any rendering of it) is not moved, so never sent twice.
            story = select(a1.c.item_key).where(a1.c.id == s.outbox.c.alert_id).correlate(s.outbox).scalar_subquery()
            conn.execute(delete(s.outbox).where(and_(s.outbox.c.chat_id == old, s.outbox.c.status.in_(_WAITING), exists().where(and_(
                o2.c.chat_id == new, a2.c.id == o2.c.alert_id, a2.c.item_key == story)))))
            conn.execute(update(s.topics).where(s.topics.c.chat_id == old).values(chat_id=new))
            conn.execute(update(s.outbox).where(and_(s.outbox.c.chat_id == old, s.outbox.c.status.in_(_WAITING))).values(chat_id=new))
            conn.execute(delete(s.chats).where(s.chats.c.id == old))

    def subscribers(self) -> Iterator[tuple[ChatRow, list[TopicRow]]]:
        """Active, unpaused chats with their topics, to build the in-memory index."""
        with self.engine.connect() as conn:
            chats = [_chat_row(r) for r in conn.execute(
                select(s.chats).where(and_(s.chats.c.active.is_(True), s.chats.c.paused.is_(False)))
            ).mappings()]
            by_chat: dict[int, list[TopicRow]] = {}
            for r in conn.execute(select(s.topics).order_by(s.topics.c.id)).mappings():
                by_chat.setdefault(r["chat_id"], []).append(_topic_row(r))
        for chat in chats:
            yield chat, by_chat.get(chat.id, [])

    def subscribers_page(self, after: int | None, limit: int = 20_000) -> list[tuple[ChatRow, list[TopicRow]]]:
        """`subscribers`, a page at a time in chat id order (start-up reads a large index without holding it twice)."""
        c, tp = s.chats, s.topics
        cond = and_(c.c.active.is_(True), c.c.paused.is_(False))
        if after is not None:
            cond = and_(cond, c.c.id > after)
        with self.engine.connect() as conn:
            chats = [_chat_row(r) for r in conn.execute(select(c).where(cond).order_by(c.c.id).limit(limit)).mappings()]
            if not chats:
                return []
            wanted = {chat.id for chat in chats}
            by_chat: dict[int, list[TopicRow]] = {}
            q = select(tp).where(and_(tp.c.chat_id >= chats[0].id, tp.c.chat_id <= chats[-1].id)).order_by(tp.c.id)
            for r in conn.execute(q).mappings():
                if r["chat_id"] in wanted:
                    by_chat.setdefault(r["chat_id"], []).append(_topic_row(r))
        return [(chat, by_chat.get(chat.id, [])) for chat in chats]

    def chat_counts(self) -> tuple[int, int]:
        """(active chats, topics of active chats)."""
        with self.engine.connect() as conn:
            n_chats = conn.execute(select(func.count()).select_from(s.chats).where(s.chats.c.active.is_(True))).scalar_one()
            n_topics = conn.execute(
                select(func.count()).select_from(s.topics.join(s.chats, s.topics.c.chat_id == s.chats.c.id))
                .where(and_(s.chats.c.active.is_(True), s.topics.c.kind == "topic"))
            ).scalar_one()
        return n_chats, n_topics


def _chat_row(r) -> ChatRow:  # type: ignore[no-untyped-def]
    prefs = ChatPrefs(
        lang=r["lang"], lang_locked=bool(r["lang_locked"]), timezone=r["timezone"], quiet_start=r["quiet_start"],
        quiet_end=r["quiet_end"], quiet_mode=r["quiet_mode"] or "silent", silent=bool(r["silent"]), previews=bool(r["previews"]),
        lead=bool(r["lead"]), ring=frozenset(k for k in (r["ring_topics"] or "").split("\n") if k),
    )
    return ChatRow(r["id"], r["kind"], r["lang"], r["thread_id"], bool(r["active"]), bool(r["paused"]), bool(r["all_breaking"]), prefs)


def _topic_row(r) -> TopicRow:  # type: ignore[no-untyped-def]
    return TopicRow(r["id"], r["chat_id"], r["text"], r["key"], r["kind"])
