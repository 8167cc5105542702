"""Story copies and edits of sent alerts (see bot.core.merging).

Written inside `Store.record`'s transaction: a copy, the topics it adds to a
chat's alert and the edits it calls for are committed together with the
item, or not at all.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, and_, delete, func, insert, select, update

from bot.core.merging import Story, StoryCopy, group
from bot.core.models import OutboxRow
from bot.core.vocab import STATUS_NAME
from bot.storage import schema as s

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class EditJob:
    """One sent alert to bring up to date with its story."""

    id: int
    outbox_id: int
    chat_id: int
    thread_id: int | None
    message_id: int | None
    outbox_status: str
    story_key: str
    html: str  # as the chat has it now
    topics: tuple[str, ...]
    attempts: int


class StoriesMixin:
    engine: Engine
    _write_lock: threading.Lock

    # --- read by the poller ---------------------------------------------
    def recent_stories(self, since: float) -> list[Story]:
        """Stories with a copy first seen at or after `since`, with all their copies."""
        with self.engine.connect() as conn:
            return read_recent_stories(conn, since)

    def copies_of(self, item_keys: Iterable[str]) -> dict[str, StoryCopy]:
        """Stored copies of these items (only alerted breaking items have one)."""
        wanted, out = list(item_keys), {}
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), _CHUNK):
                q = select(s.story_copies).where(s.story_copies.c.item_key.in_(wanted[i : i + _CHUNK]))
                out.update({r["item_key"]: _copy(r) for r in conn.execute(q).mappings()})
        return out

    def story_copies(self, story_key: str) -> list[StoryCopy]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(s.story_copies).where(s.story_copies.c.story_key == story_key)).mappings().all()
        return sorted((_copy(r) for r in rows), key=lambda x: (x.first_seen, x.item_key))

    # --- inside Store.record's transaction ------------------------------
    @staticmethod
    def _apply_copies(
        conn: Connection,
        copies: Sequence[StoryCopy],
        updates: Sequence[StoryCopy],
        canonical: dict[str, str],
        repeats: Sequence[OutboxRow],
        now: float,
    ) -> int:
        """Store new and changed copies; widen the topics of chats a new copy also
        matched (`repeats`: alerts filed under a story the chat already has);
        queue edits for every alert of a story that changed. Returns edits queued."""
        changed: set[str] = set()
        new = [c for c in copies if c.item_key in canonical]
        if new:
            existing = _stories_with_copies(conn, {canonical[c.item_key] for c in new})
            conn.execute(insert(s.story_copies), [_copy_values(c, canonical[c.item_key]) for c in new])
            changed |= {canonical[c.item_key] for c in new} & existing
        for u in updates:
            story = conn.execute(select(s.story_copies.c.story_key).where(s.story_copies.c.item_key == u.item_key)).scalar()
            if story is not None:
                conn.execute(update(s.story_copies).where(s.story_copies.c.item_key == u.item_key).values(
                    headline=u.headline, lead=u.lead, link=u.link, published=u.published))
                changed.add(story)
        widened = _widen_topics(conn, repeats)
        return _queue_edits(conn, changed, widened, now)

    # --- the editor -----------------------------------------------------
    def due_edits(self, limit: int = 200, now: float | None = None) -> list[EditJob]:
        now = time.time() if now is None else now
        e, o, a, ea = s.edits.c, s.outbox.c, s.alerts.c, s.edited_alerts.c
        q = (
            select(e.id, e.outbox_id, e.attempts, o.chat_id, a.thread_id, o.message_id, o.status, a.item_key,
                   func.coalesce(ea.html, a.html).label("html"), func.coalesce(ea.topics, a.topics).label("topics"))
            .select_from(s.edits)
            .join(s.outbox, o.id == e.outbox_id, isouter=True)
            .join(s.alerts, a.id == o.alert_id, isouter=True)
            .join(s.edited_alerts, ea.outbox_id == e.outbox_id, isouter=True)
            .where(and_(e.status == "pending", e.next_attempt <= now))
            .order_by(e.next_attempt, e.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        return [
            EditJob(r.id, r.outbox_id, r.chat_id or 0, r.thread_id, r.message_id,
                    str(STATUS_NAME.get(r.status, "gone")) if r.status is not None else "gone", r.item_key or "",
                    r.html or "", tuple(x for x in (r.topics or "").split("\n") if x), r.attempts)
            for r in rows
        ]

    def finish_edit(self, edit_id: int, html: str | None = None, error: str | None = None) -> None:
        """Done (the chat's message now reads `html`), or failed for good with `error`."""
        with self._write_lock, self.engine.begin() as conn:
            status = "failed" if error else "done"
            conn.execute(update(s.edits).where(s.edits.c.id == edit_id).values(status=status, last_error=error))
            if html is not None:
                outbox_id = conn.execute(select(s.edits.c.outbox_id).where(s.edits.c.id == edit_id)).scalar_one()
                _override(conn, outbox_id, html=html)

    def retry_edit(self, edit_id: int, at: float, error: str) -> None:
        with self._write_lock, self.engine.begin() as conn:
            conn.execute(update(s.edits).where(s.edits.c.id == edit_id).values(
                next_attempt=at, attempts=s.edits.c.attempts + 1, last_error=error))

    def postpone_edit(self, edit_id: int, at: float) -> None:
        """The alert itself has not gone out yet: not an attempt, just later."""
        with self._write_lock, self.engine.begin() as conn:
            conn.execute(update(s.edits).where(s.edits.c.id == edit_id).values(next_attempt=at))

    def prune_stories(self, before: float) -> int:
        """Copies older than the merge window's horizon, and finished edits."""
        with self._write_lock, self.engine.begin() as conn:
            n = conn.execute(delete(s.story_copies).where(s.story_copies.c.first_seen < before)).rowcount
            done = and_(s.edits.c.status != "pending", s.edits.c.created_at < before)
            n += conn.execute(delete(s.edits).where(done)).rowcount
            # A chat's edited text goes with its outbox row (retention, /stop).
            orphans = ~s.edited_alerts.c.outbox_id.in_(select(s.outbox.c.id))
            return n + conn.execute(delete(s.edited_alerts).where(orphans)).rowcount


def read_recent_stories(conn: Connection, since: float) -> list[Story]:
    """Stories with a copy first seen at or after `since` (also read by `check`, which opens no Store)."""
    c = s.story_copies.c
    recent = select(c.story_key).where(c.first_seen >= since).distinct().scalar_subquery()
    rows = conn.execute(select(s.story_copies).where(c.story_key.in_(recent))).mappings().all()
    return group((r["story_key"], _copy(r)) for r in rows)


def _stories_with_copies(conn: Connection, stories: set[str]) -> set[str]:
    q = select(s.story_copies.c.story_key).where(s.story_copies.c.story_key.in_(list(stories))).distinct()
    return set(conn.execute(q).scalars())


def _widen_topics(conn: Connection, repeats: Sequence[OutboxRow]) -> set[int]:
    """A chat that already has the story, and whose topics a new copy also matched,
    sees every one of them: its alert's topics grow. Returns the rows that changed."""
    wanted: dict[tuple[str, int], tuple[str, ...]] = {}
    for r in repeats:
        wanted[(r.item_key, r.chat_id)] = tuple(dict.fromkeys(wanted.get((r.item_key, r.chat_id), ()) + r.topics))
    changed: set[int] = set()
    o, a, ea = s.outbox.c, s.alerts.c, s.edited_alerts.c
    for (story, chat), topics in wanted.items():
        q = (
            select(o.id, func.coalesce(ea.topics, a.topics).label("topics"))
            .select_from(s.outbox)
            .join(s.alerts, a.id == o.alert_id)
            .join(s.edited_alerts, ea.outbox_id == o.id, isouter=True)
            .where(and_(a.item_key == story, o.chat_id == chat))
        )
        row = conn.execute(q).first()
        if row is None:
            continue
        have = tuple(x for x in (row.topics or "").split("\n") if x)
        merged = tuple(dict.fromkeys(have + topics))
        if merged != have:
            _override(conn, row.id, topics="\n".join(merged))
            changed.add(row.id)
    return changed


def _override(conn: Connection, outbox_id: int, **values: str) -> None:
    """Set what one chat's message reads (topics, html) apart from its shared variant."""
    ea = s.edited_alerts
    if conn.execute(select(ea.c.outbox_id).where(ea.c.outbox_id == outbox_id)).first() is None:
        conn.execute(insert(ea).values(outbox_id=outbox_id, **values))
    else:
        conn.execute(update(ea).where(ea.c.outbox_id == outbox_id).values(**values))


def _queue_edits(conn: Connection, stories: set[str], rows: set[int], now: float) -> int:
    ids = set(rows)
    wanted = list(stories)
    for i in range(0, len(wanted), _CHUNK):
        variants = select(s.alerts.c.id).where(s.alerts.c.item_key.in_(wanted[i : i + _CHUNK]))
        ids.update(conn.execute(select(s.outbox.c.id).where(s.outbox.c.alert_id.in_(variants))).scalars())
    if not ids:
        return 0
    pending: set[int] = set()
    listed = list(ids)
    for i in range(0, len(listed), _CHUNK):
        q = select(s.edits.c.outbox_id).where(and_(s.edits.c.status == "pending", s.edits.c.outbox_id.in_(listed[i : i + _CHUNK])))
        pending.update(conn.execute(q).scalars())
    fresh = sorted(ids - pending)
    if fresh:
        conn.execute(insert(s.edits), [{"outbox_id": i, "created_at": now, "next_attempt": 0.0} for i in fresh])
    return len(fresh)


def _copy(r) -> StoryCopy:  # type: ignore[no-untyped-def]
    return StoryCopy(r["item_key"], r["feed_id"], r["source"], r["headline"], r["lead"] or "", r["first_seen"], r["link"], r["published"])


def _copy_values(c: StoryCopy, story_key: str) -> dict[str, object]:
    return {
        "item_key": c.item_key, "story_key": story_key, "feed_id": c.feed_id, "source": c.source, "headline": c.headline,
        "lead": c.lead, "link": c.link, "published": c.published, "first_seen": c.first_seen,
    }
