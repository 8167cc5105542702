"""Persistence: one `Store` over a SQLAlchemy engine (SQLite by default).

Every method is one short transaction, so a crash between two calls leaves
the database consistent: an item and its alerts are written together or not
at all.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
    update,
)

from bot.core.decide import Revision, revision_prefix
from bot.core.merging import StoryCopy
from bot.core.models import SUMMARY_PREFIX, ItemRecord, OutboxRow
from bot.core.stories import assign_stories, file_alerts, stories_of
from bot.core.vocab import OutboxStatus
from bot.storage import schema as s
from bot.storage.chats import ChatsMixin
from bot.storage.story_store import StoriesMixin

_MIGRATE_LOCK_KEY = 0x616A656E  # any constant shared by every instance ("ajen")


@dataclass(frozen=True, slots=True)
class FeedState:
    feed_id: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
    next_check: float = 0.0
    error_count: int = 0
    last_error: str | None = None
    last_checked: float | None = None
    last_success: float | None = None
    item_errors: int = 0  # entries of the last fetched feed that could not be read


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///") and ":memory:" not in url:
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    # A server database (PostgreSQL) may restart or drop idle connections;
    # pre-ping replaces a dead pooled connection instead of failing the call.
    engine = create_engine(url, future=True, pool_pre_ping=not url.startswith("sqlite"))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets the delivery worker read while the poller writes; the busy
    # timeout turns brief lock contention into a short wait, not an error.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


class Store(ChatsMixin, StoriesMixin):
    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self._write_lock = threading.Lock()
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "postgresql":  # instances starting together migrate one at a time
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATE_LOCK_KEY})
            self.upgraded_from = s.migrate(conn)

    def close(self) -> None:
        self.engine.dispose()

    # --- feeds ---------------------------------------------------------
    def feed_state(self, feed_id: str, default_url: str) -> FeedState:
        with self.engine.connect() as conn:
            row = conn.execute(select(s.feeds).where(s.feeds.c.id == feed_id)).mappings().first()
        if row is None:
            return FeedState(feed_id, default_url)
        return FeedState(
            feed_id, row["url"], row["etag"], row["last_modified"], row["next_check"], row["error_count"],
            row["last_error"], row["last_checked"], row["last_success"], row["item_errors"],
        )

    def save_feed_state(self, st: FeedState) -> None:
        with self.engine.begin() as conn:
            self._save_feed_state(conn, st)

    @staticmethod
    def _save_feed_state(conn: Connection, st: FeedState) -> None:
        values = {
            "url": st.url, "etag": st.etag, "last_modified": st.last_modified, "next_check": st.next_check,
            "error_count": st.error_count, "last_error": st.last_error, "last_checked": st.last_checked,
            "last_success": st.last_success, "item_errors": st.item_errors,
        }
        done = conn.execute(update(s.feeds).where(s.feeds.c.id == st.feed_id).values(**values)).rowcount
        if not done:
            conn.execute(insert(s.feeds).values(id=st.feed_id, **values))

    def feed_states(self) -> list[FeedState]:
        with self.engine.connect() as conn:
            ids = conn.execute(select(s.feeds.c.id, s.feeds.c.url)).all()
        return [self.feed_state(i, u) for i, u in ids]

    # --- items ---------------------------------------------------------
    def known_story_keys(self, keys: Iterable[str]) -> set[str]:
        with self.engine.connect() as conn:
            return set(self._story_map(conn, set(keys)))

    def record(
        self,
        records: Sequence[ItemRecord],
        alerts: Sequence[OutboxRow],
        now: float | None = None,
        *,
        feed_state: FeedState | None = None,
        copies: Sequence[StoryCopy] = (),
        updates: Sequence[StoryCopy] = (),
    ) -> tuple[list[ItemRecord], int]:
        """Store new items, their story keys and their alerts in ONE transaction.

        Which copy of a story is canonical is decided by `bot.core.stories`
        over what is committed; this only loads that state and applies the
        plan. `feed_state` (the feed's new validators) is committed in the
        same transaction: validators never get ahead of the items they
        produced. Story copies (`copies`: new, `updates`: changed text) and the
        edits of sent alerts they call for are written here too.
        Returns (items stored, alerts queued).
        """
        now = time.time() if now is None else now
        with self._write_lock, self.engine.begin() as conn:
            plan = assign_stories(records, self._story_map(conn, {k for r in records for k in r.story_keys}))
            taken = self._taken(conn, stories_of(alerts, plan.canonical))
            queued = file_alerts(alerts, plan.canonical, taken)
            repeats = [
                replace(a, item_key=plan.canonical[a.item_key]) for a in alerts
                if a.item_key in plan.canonical and (plan.canonical[a.item_key], a.chat_id) in taken
            ]
            if copies or updates or repeats:
                fresh_keys = {r.key for r in plan.fresh}
                self._apply_copies(conn, [c for c in copies if c.item_key in fresh_keys], updates, dict(plan.canonical), repeats, now)
            if plan.fresh:
                conn.execute(insert(s.items), [_item_values(r, now) for r in plan.fresh])
            if plan.new_keys:
                conn.execute(insert(s.story_keys), [{"key": k, "item_key": v} for k, v in plan.new_keys.items()])
            if queued:
                conn.execute(insert(s.outbox), [_outbox_values(a, now) for a in queued])
            if feed_state is not None:
                self._save_feed_state(conn, feed_state)
        return list(plan.fresh), len(queued)

    @staticmethod
    def _taken(conn: Connection, stories: set[str]) -> set[tuple[str, int]]:
        wanted, taken = list(stories), set[tuple[str, int]]()
        for i in range(0, len(wanted), 500):
            q = select(s.outbox.c.item_key, s.outbox.c.chat_id).where(s.outbox.c.item_key.in_(wanted[i : i + 500]))
            taken.update((k, c) for k, c in conn.execute(q).all())
        return taken

    @staticmethod
    def _story_map(conn: Connection, keys: set[str]) -> dict[str, str]:
        wanted, found = list(keys), {}
        for i in range(0, len(wanted), 500):
            q = select(s.story_keys.c.key, s.story_keys.c.item_key).where(s.story_keys.c.key.in_(wanted[i : i + 500]))
            found.update(dict(conn.execute(q).all()))
        return found

    def prune(self, before: float, batch: int = 1000) -> int:
        """Delete one batch of what is older than `before`: items, their story keys, finished alerts.

        Pending alerts are never pruned (nothing is lost). Returns rows deleted;
        the caller repeats until it returns 0, one short transaction each.
        """
        with self._write_lock, self.engine.begin() as conn:
            keys = list(conn.execute(select(s.items.c.key).where(s.items.c.first_seen < before).limit(batch)).scalars())
            done = 0
            if keys:
                done += conn.execute(delete(s.story_keys).where(s.story_keys.c.item_key.in_(keys))).rowcount
                done += conn.execute(delete(s.items).where(s.items.c.key.in_(keys))).rowcount
            old = select(s.outbox.c.id).where(
                and_(s.outbox.c.status != OutboxStatus.PENDING, s.outbox.c.created_at < before)
            ).limit(batch)
            ids = list(conn.execute(old).scalars())
            if ids:
                done += conn.execute(delete(s.outbox).where(s.outbox.c.id.in_(ids))).rowcount
            return done

    def count_items(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(s.items)).scalar_one()

    def recent_uids(self, feed_id: str, limit: int = 500) -> list[str]:
        """The uids of a feed's most recently recorded items (a channel's cursor is derived from them)."""
        q = select(s.items.c.uid).where(s.items.c.feed_id == feed_id).order_by(s.items.c.first_seen.desc()).limit(limit)
        with self.engine.connect() as conn:
            return list(conn.execute(q).scalars())

    def record_revisions(self, revisions: Sequence[Revision]) -> list[Revision]:
        """Record new revisions of known items' text; returns those that are edits.

        A revision is an edit when the item already has another revision on
        record (story keys `rev:<item key>:…`, found by a range over the
        primary key); an item recorded before revisions existed gets its first
        one silently. An edit also updates the item's stored title. One
        transaction; idempotent (a revision already recorded is skipped).
        """
        edits: list[Revision] = []
        with self._write_lock, self.engine.begin() as conn:
            for r in revisions:
                prefix = revision_prefix(r.key)
                # ':' + 1 == ';': every key that starts with the prefix sorts in [prefix, end).
                end = prefix[:-1] + ";"
                q = select(s.story_keys.c.key).where(s.story_keys.c.key >= prefix, s.story_keys.c.key < end)
                had = set(conn.execute(q).scalars())
                if r.revision_key in had:
                    continue
                conn.execute(insert(s.story_keys).values(key=r.revision_key, item_key=r.key))
                if had:
                    conn.execute(update(s.items).where(s.items.c.key == r.key).values(title=r.title))
                    edits.append(r)
        return edits

    # --- outbox --------------------------------------------------------
    def pending(self, limit: int = 100, now: float | None = None) -> list[OutboxRow]:
        """Due alerts, breaking first, oldest first."""
        now = time.time() if now is None else now
        q = (
            select(s.outbox)
            .where(and_(s.outbox.c.status == "pending", s.outbox.c.next_attempt <= now))
            .order_by(s.outbox.c.priority, s.outbox.c.created_at, s.outbox.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(q).mappings().all()
        return [_outbox_row(r) for r in rows]

    def next_due(self) -> float | None:
        q = select(func.min(s.outbox.c.next_attempt)).where(s.outbox.c.status == "pending")
        with self.engine.connect() as conn:
            return conn.execute(q).scalar()

    def mark_sent(self, outbox_id: int, message_id: int | None, now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self.engine.begin() as conn:
            conn.execute(
                update(s.outbox).where(s.outbox.c.id == outbox_id)
                .values(status="sent", sent_at=now, message_id=message_id, last_error=None)
            )

    def mark_sent_many(self, sent: Sequence[tuple[int, int | None, float]]) -> None:
        """Record several accepted messages in one transaction: (outbox id, message id, sent at)."""
        if not sent:
            return
        with self.engine.begin() as conn:
            conn.execute(
                update(s.outbox).where(s.outbox.c.id == bindparam("oid"))
                .values(status="sent", sent_at=bindparam("at"), message_id=bindparam("mid"), last_error=None),
                [{"oid": oid, "mid": mid, "at": at} for oid, mid, at in sent],
            )

    def retry_later(self, outbox_id: int, at: float, error: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(s.outbox).where(s.outbox.c.id == outbox_id)
                .values(next_attempt=at, attempts=s.outbox.c.attempts + 1, last_error=error[:500])
            )

    def fail(self, outbox_id: int, error: str) -> None:
        """Never send this row again (Telegram refused it, or it kept failing)."""
        with self.engine.begin() as conn:
            conn.execute(
                update(s.outbox).where(s.outbox.c.id == outbox_id)
                .values(status=OutboxStatus.FAILED, attempts=s.outbox.c.attempts + 1, last_error=error[:500])
            )

    def drop(self, outbox_id: int, error: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(s.outbox).where(s.outbox.c.id == outbox_id).values(status="dropped", last_error=error[:500]))

    def outbox_counts(self) -> dict[str, int]:
        q = select(s.outbox.c.status, func.count()).group_by(s.outbox.c.status)
        with self.engine.connect() as conn:
            return {str(status): int(n) for status, n in conn.execute(q).all()}

    def sent_delays(self, since: float) -> list[float]:
        """Seconds from an item first seen to its alert sent, for alerts sent since `since`."""
        q = select(s.outbox.c.sent_at - s.outbox.c.created_at).where(
            and_(s.outbox.c.status == "sent", s.outbox.c.sent_at >= since)
        )
        with self.engine.connect() as conn:
            return [float(d) for d in conn.execute(q).scalars()]

    # --- quiet hours (held mode) -------------------------------------------
    def hold(self, outbox_ids: Sequence[int]) -> None:
        """These pending alerts wait for their chat's quiet hours to end."""
        if not outbox_ids:
            return
        with self.engine.begin() as conn:
            conn.execute(update(s.outbox).where(and_(s.outbox.c.id.in_(list(outbox_ids)), s.outbox.c.status == "pending")).values(status="held"))

    def held_chats(self) -> list[int]:
        with self.engine.connect() as conn:
            return [int(c) for c in conn.execute(select(s.outbox.c.chat_id).where(s.outbox.c.status == "held").distinct()).scalars()]

    def held(self, chat_id: int) -> list[tuple[int, str, str | None, str, int | None]]:
        """A chat's held alerts, oldest first: (outbox id, title, link, feed id, thread id)."""
        q = (
            select(s.outbox.c.id, s.items.c.title, s.items.c.link, s.items.c.feed_id, s.outbox.c.thread_id)
            .select_from(s.outbox.outerjoin(s.items, s.items.c.key == s.outbox.c.item_key))
            .where(and_(s.outbox.c.chat_id == chat_id, s.outbox.c.status == "held"))
            .order_by(s.outbox.c.created_at, s.outbox.c.id)
        )
        with self.engine.connect() as conn:
            return [(int(r[0]), r[1] or "", r[2], r[3] or "", r[4]) for r in conn.execute(q).all()]

    def release_held(self, chat_id: int, held_ids: Sequence[int], messages: Sequence[str], thread_id: int | None, now: float) -> int:
        """In one transaction: the held alerts become "summed" and the summary's messages are queued.

        The summary rows are keyed by the first held id, so a second call for
        the same alerts queues nothing (and a crash between the two cannot
        leave alerts both held and summarised). Returns the messages queued.
        """
        if not held_ids:
            return 0
        with self.engine.begin() as conn:
            moved = conn.execute(
                update(s.outbox).where(and_(s.outbox.c.id.in_(list(held_ids)), s.outbox.c.status == "held")).values(status="summed", sent_at=now)
            ).rowcount
            if not moved:
                return 0
            first = min(held_ids)
            conn.execute(insert(s.outbox), [
                {"item_key": f"{SUMMARY_PREFIX}{first}:{i}", "chat_id": chat_id, "thread_id": thread_id, "html": html, "topics": "",
                 "priority": 0, "created_at": now, "next_attempt": 0.0}
                for i, html in enumerate(messages)
            ])
        return len(messages)

    def delete_outbox_for(self, chat_id: int) -> int:
        with self.engine.begin() as conn:
            return conn.execute(delete(s.outbox).where(s.outbox.c.chat_id == chat_id)).rowcount


def _item_values(r: ItemRecord, now: float) -> dict[str, object]:
    return {
        "key": r.key, "feed_id": r.feed_id, "uid": r.uid, "title": r.title, "link": r.link,
        "published": r.published, "first_seen": now, "breaking": r.breaking, "reason": r.reason,
    }


def _outbox_values(a: OutboxRow, now: float) -> dict[str, object]:
    return {
        "item_key": a.item_key, "chat_id": a.chat_id, "thread_id": a.thread_id, "html": a.html,
        "topics": "\n".join(a.topics), "priority": a.priority, "created_at": a.created_at or now,
        "next_attempt": 0.0,
    }


def _outbox_row(r) -> OutboxRow:  # type: ignore[no-untyped-def]
    return OutboxRow(
        item_key=r["item_key"], chat_id=r["chat_id"], html=r["html"],
        topics=tuple(x for x in (r["topics"] or "").split("\n") if x), thread_id=r["thread_id"],
        priority=r["priority"], created_at=r["created_at"], id=r["id"], attempts=r["attempts"],
    )
