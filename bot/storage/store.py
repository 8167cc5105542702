"""Persistence: one `Store` over a SQLAlchemy engine (SQLite by default).

Every method is one short transaction, so a crash between two calls leaves
the database consistent: an item and its alerts are written together or not
at all.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
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
    exists,
    func,
    insert,
    literal_column,
    select,
    text,
    update,
)

from bot.core.decide import Revision, revision_prefix
from bot.core.merging import StoryCopy
from bot.core.models import SUMMARY_PREFIX, AlertColumns, ItemRecord, OutboxRow
from bot.core.stories import assign_stories, file_alerts, stories_of
from bot.core.vocab import STATUS_CODE, STATUS_NAME, OutboxStatus
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
        self._variants: dict[int, Variant] = {}  # stored renderings by id (read and written on the DB thread)
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

        A large audience is queued before, in short transactions, by `queue`
        (see `bot.feeds.poller`): the item is recorded after its last alert,
        so a crash in between makes the next poll queue the rest.
        """
        now = time.time() if now is None else now
        with self._write_lock, self.engine.begin() as conn:
            plan = assign_stories(records, self._story_map(conn, {k for r in records for k in r.story_keys}))
            taken = self._taken(conn, stories_of(alerts, plan.canonical), {a.chat_id for a in alerts}) if alerts else set()
            # Alerts for chats that already have the story: not sent again, but their topics widen the sent one.
            repeats = [
                replace(a, item_key=plan.canonical[a.item_key]) for a in alerts
                if a.item_key in plan.canonical and (plan.canonical[a.item_key], a.chat_id) in taken
            ]
            if copies or updates or repeats:  # before the new rows: those need no edit
                fresh_keys = {r.key for r in (*plan.fresh, *plan.promoted)}
                self._apply_copies(conn, [c for c in copies if c.item_key in fresh_keys], updates, dict(plan.canonical), repeats, now)
            queued = self._file(conn, alerts, plan.canonical, now, taken=taken) if alerts else 0
            if plan.fresh:
                conn.execute(insert(s.items), [_item_values(r, now) for r in plan.fresh])
            for r in plan.promoted:  # made breaking by an edit: the row says so now, with the new title
                conn.execute(update(s.items).where(s.items.c.key == r.key).values(breaking=True, reason=r.reason, title=r.title))
            if plan.new_keys:
                conn.execute(insert(s.story_keys), [{"key": k, "item_key": v} for k, v in plan.new_keys.items()])
            if feed_state is not None:
                self._save_feed_state(conn, feed_state)
        return list(plan.fresh), queued

    def has_alerts(self, records: Sequence[ItemRecord]) -> bool:
        """Whether any alert is stored under the stories these items would be filed under."""
        with self.engine.connect() as conn:
            plan = assign_stories(records, self._story_map(conn, {k for r in records for k in r.story_keys}))
            stories = [*plan.canonical.values(), *(r.key for r in records)]
            return conn.execute(select(s.alerts.c.id).where(s.alerts.c.item_key.in_(stories)).limit(1)).first() is not None

    def queue(
        self, records: Sequence[ItemRecord], alerts: Sequence[OutboxRow], now: float | None = None, *, check_taken: bool = True
    ) -> int:
        """Queue one batch of alerts for items not recorded yet, in one short transaction; returns rows queued.

        Filed as `record` will file them (under the story's first item, none
        to a chat that already has the story), so the items can be recorded
        afterwards, once the whole audience is queued.

        `check_taken=False` skips looking up who already has the story: for
        the chunks of one fan-out of a story that had no alert before it
        (they are disjoint), the caller knows nobody has.
        """
        now = time.time() if now is None else now
        with self._write_lock, self.engine.begin() as conn:
            plan = assign_stories(records, self._story_map(conn, {k for r in records for k in r.story_keys}))
            return self._file(conn, alerts, plan.canonical, now, check_taken=check_taken)

    def queue_columns(
        self, records: Sequence[ItemRecord], cols: AlertColumns, now: float | None = None, *, check_taken: bool = True
    ) -> int:
        """`queue` for one column-wise chunk of a fan-out (see `AlertColumns`): the same rows, no object per recipient."""
        now = time.time() if now is None else now
        with self._write_lock, self.engine.begin() as conn:
            plan = assign_stories(records, self._story_map(conn, {k for r in records for k in r.story_keys}))
            story = plan.canonical.get(cols.item_key)
            if story is None or not cols.chat_ids:
                return 0
            chat_ids, variant_of, priorities = cols.chat_ids, cols.variant_of, cols.priorities
            if check_taken:
                taken = self._taken(conn, {story}, set(chat_ids))
                if taken:
                    keep = [i for i, c in enumerate(chat_ids) if (story, c) not in taken]
                    chat_ids = [chat_ids[i] for i in keep]
                    variant_of = [variant_of[i] for i in keep]
                    priorities = [priorities[i] for i in keep]
            ids = self._stored_variants(conn, [replace(v, item_key=story) for v in cols.variants], now)
            self._insert_outbox(conn, chat_ids, [ids[v] for v in variant_of], priorities)
            return len(chat_ids)

    def _file(
        self, conn: Connection, alerts: Sequence[OutboxRow], canonical: Mapping[str, str], now: float, *,
        check_taken: bool = True, taken: set[tuple[str, int]] | None = None,
    ) -> int:
        if taken is None:
            stories = stories_of(alerts, canonical)
            taken = self._taken(conn, stories, {a.chat_id for a in alerts}) if check_taken else set()
        queued = file_alerts(alerts, canonical, taken)
        if queued:
            self._insert_rows(conn, queued, now)
        return len(queued)

    def _insert_rows(self, conn: Connection, rows: Sequence[OutboxRow], now: float) -> None:
        """Each distinct rendering once in `alerts`, then one small row per recipient.

        Rows are inserted oldest first, so that id order (what the refill
        reads, without sorting) is breaking first, oldest first.
        """
        rows = sorted(rows, key=lambda r: r.created_at or now)
        slot: dict[tuple[str, str, tuple[str, ...], int | None, str], int] = {}
        protos: list[OutboxRow] = []
        which: list[int] = []
        for r in rows:
            render = (r.item_key, r.html, r.topics, r.thread_id, r.lang)
            i = slot.get(render)
            if i is None:
                i = slot[render] = len(protos)
                protos.append(r)
            which.append(i)
        ids = self._stored_variants(conn, protos, now)
        self._insert_outbox(conn, [r.chat_id for r in rows], [ids[i] for i in which], [r.priority for r in rows])

    def _stored_variants(self, conn: Connection, protos: Sequence[OutboxRow], now: float) -> list[int]:
        """The `alerts` id of each rendering (story, text, topics, thread, language), stored first if new."""
        vkeys = [(p.item_key, s.variant_key(p.html, "\n".join(p.topics), p.thread_id, p.lang)) for p in protos]
        ids = self._variant_ids(conn, {k for k, _ in vkeys})
        missing = {k: p for k, p in zip(vkeys, protos, strict=True) if k not in ids}
        if missing:
            conn.execute(insert(s.alerts), [_alert_values(p, k[1], now) for k, p in missing.items()])
            ids = self._variant_ids(conn, {k for k, _ in missing}) | ids
        return [ids[k] for k in vkeys]

    @staticmethod
    def _insert_outbox(conn: Connection, chat_ids: Sequence[int], alert_ids: Sequence[int], priorities: Sequence[int]) -> None:
        """Outbox rows, column by column, in one plain driver-level executemany.

        Three integers per row need no per-value processing (SQLAlchemy's
        costs 4x the insert itself), and tuples zipped from columns cost a
        fraction of per-row objects or dicts.
        """
        if not chat_ids:
            return
        if conn.dialect.name == "sqlite" and len(chat_ids) >= JSON_INSERT_MIN:
            # One statement per (alert, priority), its chats as one JSON array:
            # SQLite writes the whole group in one step, without the Python
            # driver's per-row work. That work takes the GIL back once per row,
            # and while the event loop is busy sending each of those waits for
            # it (500k rows queued in ~6 s while sending at 1,000/s, against
            # 2.5 s with nothing else running). Chats keep their order within
            # a group; groups go in order of first appearance.
            groups: dict[tuple[int, int], list[int]] = {}
            for chat, alert, prio in zip(chat_ids, alert_ids, priorities, strict=True):
                group = groups.get((alert, prio))
                if group is None:
                    group = groups[(alert, prio)] = []
                group.append(chat)
            for (alert, prio), chats in sorted(groups.items(), key=lambda g: g[0][1]):  # stable: priority first
                conn.exec_driver_sql(
                    "INSERT INTO outbox (chat_id, alert_id, priority) SELECT value, ?, ? FROM json_each(?) ORDER BY key",
                    (alert, prio, json.dumps(chats)),
                )
            return
        if conn.dialect.name == "postgresql" and len(chat_ids) >= JSON_INSERT_MIN:
            # The same on PostgreSQL: the three columns as three arrays in one
            # statement (a per-row executemany queued 500k rows in ~21 s while
            # sending); priority first, then the order given.
            conn.exec_driver_sql(
                "INSERT INTO outbox (chat_id, alert_id, priority) SELECT c, a, p"
                " FROM unnest(%s::bigint[], %s::bigint[], %s::int[]) WITH ORDINALITY AS t(c, a, p, o) ORDER BY p, o",
                (list(chat_ids), list(alert_ids), list(priorities)),
            )
            return
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        conn.exec_driver_sql(
            f"INSERT INTO outbox (chat_id, alert_id, priority) VALUES ({mark}, {mark}, {mark})",
            list(zip(chat_ids, alert_ids, priorities, strict=True)),
        )

    @staticmethod
    def _variant_ids(conn: Connection, stories: set[str]) -> dict[tuple[str, str], int]:
        wanted, found = list(stories), {}
        for i in range(0, len(wanted), 500):
            q = select(s.alerts.c.item_key, s.alerts.c.vkey, s.alerts.c.id).where(s.alerts.c.item_key.in_(wanted[i : i + 500]))
            found.update({(k, v): int(a) for k, v, a in conn.execute(q).all()})
        return found

    @staticmethod
    def _taken(conn: Connection, stories: set[str], chats: set[int]) -> set[tuple[str, int]]:
        """(story, chat) pairs among these that are already in the outbox."""
        variants: dict[int, str] = {}
        wanted = list(stories)
        for i in range(0, len(wanted), 500):
            q = select(s.alerts.c.id, s.alerts.c.item_key).where(s.alerts.c.item_key.in_(wanted[i : i + 500]))
            variants.update({int(a): k for a, k in conn.execute(q).all()})
        taken = set[tuple[str, int]]()
        if not variants:
            return taken  # a story never queued before: nothing to look up per chat
        ids, chat_list = list(variants), list(chats)
        for i in range(0, len(ids), 100):
            for j in range(0, len(chat_list), 500):
                q = select(s.outbox.c.alert_id, s.outbox.c.chat_id).where(
                    and_(s.outbox.c.alert_id.in_(ids[i : i + 100]), s.outbox.c.chat_id.in_(chat_list[j : j + 500]))
                )
                taken.update((variants[int(a)], int(c)) for a, c in conn.execute(q).all())
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

        Pending and held alerts are never pruned (nothing is lost); a stored
        rendering goes when no row uses it any more. Returns rows deleted;
        the caller repeats until it returns 0, one short transaction each.
        """
        with self._write_lock, self.engine.begin() as conn:
            keys = list(conn.execute(select(s.items.c.key).where(s.items.c.first_seen < before).limit(batch)).scalars())
            done = 0
            if keys:
                done += conn.execute(delete(s.story_keys).where(s.story_keys.c.item_key.in_(keys))).rowcount
                done += conn.execute(delete(s.items).where(s.items.c.key.in_(keys))).rowcount
            old = (
                select(s.outbox.c.id)
                .select_from(s.outbox.join(s.alerts, s.alerts.c.id == s.outbox.c.alert_id))
                .where(and_(s.alerts.c.created_at < before, s.outbox.c.status.not_in((PENDING, HELD))))
                .limit(batch)
            )
            ids = list(conn.execute(old).scalars())
            if ids:
                done += conn.execute(delete(s.outbox).where(s.outbox.c.id.in_(ids))).rowcount
            unused = (
                select(s.alerts.c.id)
                .where(and_(s.alerts.c.created_at < before, ~exists().where(s.outbox.c.alert_id == s.alerts.c.id)))
                .limit(batch)
            )
            variant_ids = list(conn.execute(unused).scalars())
            if variant_ids:
                done += conn.execute(delete(s.alerts).where(s.alerts.c.id.in_(variant_ids))).rowcount
                for v in variant_ids:
                    self._variants.pop(v, None)
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
    def pending(self, limit: int = 100, now: float | None = None, after: tuple[int, int] | None = None) -> list[OutboxRow]:
        """Due alerts, breaking first, then in the order they were queued.

        Read in the order of the partial index `ix_outbox_due` (pending rows
        only), so the cost is that of the rows returned, whatever the queue's
        length: no sort. `after` = (priority, id) of the last row already
        read continues from there (keyset paging).
        """
        now = time.time() if now is None else now
        o = s.outbox
        due = and_(o.c.status == literal_column("0"), o.c.next_attempt <= now)  # literal: the partial index's own term
        cols = (o.c.id, o.c.chat_id, o.c.alert_id, o.c.priority, o.c.attempts)
        with self.engine.connect() as conn:
            if after is None:
                rows = list(conn.execute(select(*cols).where(due).order_by(o.c.priority, o.c.id).limit(limit)).all())
            else:
                # Two seeks rather than a row-value comparison, which SQLite
                # would only use on its first column (then scan).
                prio, last = after
                rows = list(conn.execute(
                    select(*cols).where(and_(due, o.c.priority == prio, o.c.id > last)).order_by(o.c.priority, o.c.id).limit(limit)
                ).all())
                if len(rows) < limit:
                    rows += conn.execute(
                        select(*cols).where(and_(due, o.c.priority > prio)).order_by(o.c.priority, o.c.id).limit(limit - len(rows))
                    ).all()
            variants = self._load_variants(conn, {int(r.alert_id) for r in rows})
        out = []
        for r in rows:
            v = variants.get(int(r.alert_id))
            if v is None:
                continue  # its rendering was deleted under it: nothing to send
            out.append(OutboxRow(
                item_key=v.item_key, chat_id=r.chat_id, html=v.html, topics=v.topics, thread_id=v.thread_id, priority=r.priority,
                created_at=v.created_at, id=r.id, attempts=r.attempts, lang=v.lang, alert_id=v.id,
            ))
        return out

    def _load_variants(self, conn: Connection, ids: set[int]) -> dict[int, Variant]:
        """Stored renderings by id, from a small cache (many rows share one; they change only through `update_alert`)."""
        missing = [i for i in ids if i not in self._variants]
        if len(self._variants) + len(missing) > VARIANT_CACHE:
            self._variants.clear()
            missing = list(ids)
        a = s.alerts
        for i in range(0, len(missing), 500):
            q = select(a.c.id, a.c.item_key, a.c.html, a.c.topics, a.c.thread_id, a.c.lang, a.c.created_at).where(a.c.id.in_(missing[i : i + 500]))
            for r in conn.execute(q).all():
                topics = tuple(x for x in (r.topics or "").split("\n") if x)
                self._variants[int(r.id)] = Variant(int(r.id), r.item_key, r.html, topics, r.thread_id, r.lang, r.created_at)
        return {i: self._variants[i] for i in ids if i in self._variants}

    def update_alert(self, alert_id: int, html: str, now: float | None = None) -> list[tuple[int, int]]:
        """Replace a stored rendering's text (a story grew); returns (chat, message id) of the messages already sent with it.

        Rows still pending send the new text; the caller may edit the sent ones.
        """
        now = time.time() if now is None else now
        with self._write_lock, self.engine.begin() as conn:
            conn.execute(update(s.alerts).where(s.alerts.c.id == alert_id).values(html=html, updated_at=now))
            sent = conn.execute(
                select(s.outbox.c.chat_id, s.outbox.c.message_id)
                .where(and_(s.outbox.c.alert_id == alert_id, s.outbox.c.status == SENT, s.outbox.c.message_id.is_not(None)))
            ).all()
        self._variants.pop(alert_id, None)
        return [(int(c), int(m)) for c, m in sent]

    def next_due(self) -> float | None:
        q = select(func.min(s.outbox.c.next_attempt)).where(s.outbox.c.status == literal_column("0"))
        with self.engine.connect() as conn:
            return conn.execute(q).scalar()

    def mark_sent(self, outbox_id: int, message_id: int | None, now: float | None = None) -> None:
        self.mark_sent_many([(outbox_id, message_id, time.time() if now is None else now)])

    def mark_sent_many(self, sent: Sequence[tuple[int, int | None, float]]) -> None:
        """Record several accepted messages in one transaction: (outbox id, message id, sent at)."""
        if not sent:
            return
        with self.engine.begin() as conn:
            conn.execute(
                update(s.outbox).where(s.outbox.c.id == bindparam("oid"))
                .values(status=SENT, sent_at=bindparam("at"), message_id=bindparam("mid"), last_error=None),
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
                .values(status=FAILED, attempts=s.outbox.c.attempts + 1, last_error=error[:500])
            )

    def drop(self, outbox_id: int, error: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(s.outbox).where(s.outbox.c.id == outbox_id).values(status=DROPPED, last_error=error[:500]))

    def outbox_counts(self) -> dict[str, int]:
        q = select(s.outbox.c.status, func.count()).group_by(s.outbox.c.status)
        with self.engine.connect() as conn:
            return {str(STATUS_NAME.get(int(code), code)): int(n) for code, n in conn.execute(q).all()}

    def sent_delays(self, since: float) -> list[float]:
        """Seconds from an item first seen to its alert sent, for alerts sent since `since`."""
        q = (
            select(s.outbox.c.sent_at - s.alerts.c.created_at)
            .select_from(s.outbox.join(s.alerts, s.alerts.c.id == s.outbox.c.alert_id))
            .where(and_(s.outbox.c.status == SENT, s.outbox.c.sent_at >= since))
        )
        with self.engine.connect() as conn:
            return [float(d) for d in conn.execute(q).scalars()]

    # --- quiet hours (held mode) -------------------------------------------
    def hold(self, outbox_ids: Sequence[int]) -> None:
        """These pending alerts wait for their chat's quiet hours to end."""
        if not outbox_ids:
            return
        with self.engine.begin() as conn:
            conn.execute(update(s.outbox).where(and_(s.outbox.c.id.in_(list(outbox_ids)), s.outbox.c.status == PENDING)).values(status=HELD))

    def held_chats(self) -> list[int]:
        q = select(s.outbox.c.chat_id).where(s.outbox.c.status == literal_column("4")).distinct()  # literal: ix_outbox_held's term
        with self.engine.connect() as conn:
            return [int(c) for c in conn.execute(q).scalars()]

    def held(self, chat_id: int) -> list[tuple[int, str, str | None, str, int | None]]:
        """A chat's held alerts, oldest first: (outbox id, title, link, feed id, thread id)."""
        o, a = s.outbox, s.alerts
        q = (
            select(o.c.id, s.items.c.title, s.items.c.link, s.items.c.feed_id, a.c.thread_id)
            .select_from(o.join(a, a.c.id == o.c.alert_id).outerjoin(s.items, s.items.c.key == a.c.item_key))
            .where(and_(o.c.chat_id == chat_id, o.c.status == HELD))
            .order_by(a.c.created_at, o.c.id)
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
                update(s.outbox).where(and_(s.outbox.c.id.in_(list(held_ids)), s.outbox.c.status == HELD)).values(status=SUMMED, sent_at=now)
            ).rowcount
            if not moved:
                return 0
            first = min(held_ids)
            rows = [OutboxRow(f"{SUMMARY_PREFIX}{first}:{i}", chat_id, html, (), thread_id, 0, now) for i, html in enumerate(messages)]
            self._insert_rows(conn, rows, now)
        return len(messages)

    def delete_outbox_for(self, chat_id: int) -> int:
        with self.engine.begin() as conn:
            return conn.execute(delete(s.outbox).where(s.outbox.c.chat_id == chat_id)).rowcount

    def db_bytes(self) -> int | None:
        """Bytes the database holds (SQLite: pages in use, after a checkpoint; PostgreSQL: the
        database's size on disk, which includes its indexes and not yet vacuumed rows); None elsewhere."""
        if self.engine.dialect.name == "postgresql":
            with self.engine.connect() as conn:
                return int(conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one())
        if self.engine.dialect.name != "sqlite":
            return None
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
            free = conn.exec_driver_sql("PRAGMA freelist_count").scalar_one()
            size = conn.exec_driver_sql("PRAGMA page_size").scalar_one()
        return int((pages - free) * size)


@dataclass(frozen=True, slots=True)
class Variant:
    """One stored rendering (a row of `alerts`)."""

    id: int
    item_key: str
    html: str
    topics: tuple[str, ...]
    thread_id: int | None
    lang: str
    created_at: float


VARIANT_CACHE = 20_000
# Outbox rows written as JSON arrays (SQLite) from this many on (see Store._insert_outbox).
JSON_INSERT_MIN = 100
PENDING = STATUS_CODE[OutboxStatus.PENDING]
SENT = STATUS_CODE[OutboxStatus.SENT]
DROPPED = STATUS_CODE[OutboxStatus.DROPPED]
FAILED = STATUS_CODE[OutboxStatus.FAILED]
HELD = STATUS_CODE[OutboxStatus.HELD]
SUMMED = STATUS_CODE[OutboxStatus.SUMMED]


def _item_values(r: ItemRecord, now: float) -> dict[str, object]:
    return {
        "key": r.key, "feed_id": r.feed_id, "uid": r.uid, "title": r.title, "link": r.link,
        "published": r.published, "first_seen": now, "breaking": r.breaking, "reason": r.reason,
    }


def _alert_values(a: OutboxRow, vkey: str, now: float) -> dict[str, object]:
    return {
        "item_key": a.item_key, "vkey": vkey, "lang": a.lang, "topics": "\n".join(a.topics), "thread_id": a.thread_id,
        "html": a.html, "created_at": a.created_at or now,
    }
