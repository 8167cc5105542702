"""The thin orchestrator of one poll: fetch → parse → decide → record.

Everything that decides is in `bot.core.decide`; this module only moves
values between the network, the pure core and the store (through the one
async storage boundary).

A feed's new validators (ETag, Last-Modified, permanent URL) are committed
in the same transaction as the items they produced. If recording fails, the
old validators stay, so the next poll fetches the whole feed again instead
of getting a 304 for items that were never stored.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import httpx

from bot.core.decide import Candidate, Policy, RenderCache, Revision, alert_columns, alerts_for, known_keys_wanted, triage
from bot.core.merging import Story, StoryCopy
from bot.core.models import AlertColumns, FeedConfig, Item, ItemRecord, OutboxRow, item_key
from bot.core.subscriptions import Audience, Subscriptions, rotation
from bot.feeds.channels import ChannelReader, items_from_posts, post_id_of
from bot.feeds.fetch import FetchResult, ParseError, Validators, fetch, next_delay, parse_feed
from bot.feeds.items import items_and_errors
from bot.storage.boundary import Database
from bot.storage.store import FeedState

log = logging.getLogger("bot.poller")
# Items decided and recorded per transaction (see _process).
RECORD_BATCH = 200
# An item reaching more chats than this is fanned out in chunks off the loop (see _record_batch).
LOOP_AUDIENCE = 2000


@dataclass(frozen=True, slots=True)
class PollReport:
    feed_id: str
    skipped: bool = False
    error: str | None = None
    not_modified: bool = False
    items: int = 0
    new_items: int = 0
    breaking: int = 0
    alerts: int = 0
    edited: int = 0  # known items whose text changed (edited channel posts)


class Poller:
    """Polls one feed at a time; many may run at once (one job per feed)."""

    def __init__(
        self,
        db: Database,
        client: httpx.AsyncClient,
        subs: Subscriptions,
        policy: Policy,
        on_alerts: Callable[[int], None] = lambda n: None,
        clock: Callable[[], float] = time.time,
        on_item_queued: Callable[[float], None] = lambda delay: None,
        on_items_edited: Callable[[list[Revision]], None] = lambda edits: None,
    ) -> None:
        self.db, self.client, self.subs, self.policy = db, client, subs, policy
        self.on_alerts, self.clock = on_alerts, clock
        self._record_lock = asyncio.Lock()
        self._moves: dict[str, tuple[str, int]] = {}  # feed → (new address on another host, valid polls seen)
        # Channel → the newest post id recorded (read from the stored items after a restart).
        self._cursors: dict[str, int | None] = {}
        # Metrics: for each new item that queued alerts, seconds from its publication to now.
        self.on_item_queued = on_item_queued
        # Edited items (same uid, new text), after their new revision is recorded: the hook
        # for editing alerts already sent (not done yet: the alert keeps the first text).
        self.on_items_edited = on_items_edited
        self._channels = ChannelReader(client)

    async def poll(self, feed: FeedConfig, *, force: bool = False) -> PollReport:
        store = self.db.store
        state = await self.db.run(store.feed_state, feed.id, feed.url)
        now = self.clock()
        if not force and now < state.next_check:
            return PollReport(feed.id, skipped=True)
        if feed.kind == "telegram":
            return await self._poll_channel(feed, state, now)
        result = await fetch(self.client, state.url, Validators(state.etag, state.last_modified), origin=feed.url)
        after = self._after_fetch(feed, state, result, now)
        if result.error or result.not_modified:
            await self.db.run(store.save_feed_state, after)
            if result.error:
                self._moves.pop(feed.id, None)
                log.warning("feed=%s event=fetch_error error=%r errors=%d", feed.id, result.error, after.error_count)
                return PollReport(feed.id, error=result.error)
            return PollReport(feed.id, not_modified=True)
        return await self._process(feed, result, after, state)

    async def _process(self, feed: FeedConfig, result: FetchResult, after: FeedState, before: FeedState) -> PollReport:
        try:
            parsed = await parse_feed(result)
        except ParseError as exc:
            return await self._parse_failed(feed, after, before, str(exc))
        if result.repaired:
            log.warning("feed=%s event=invalid_utf8 replaced=%d (only those bytes, not the whole feed)", feed.id, result.repaired)
        after = self._count_move(feed, result, after)
        # HTML cleaning is CPU work; an entry that cannot be read is skipped, not fatal.
        items, skipped = await asyncio.to_thread(items_and_errors, feed.id, parsed, self.clock())
        if skipped:
            log.warning("feed=%s event=items_skipped count=%d first=%r", feed.id, len(skipped), skipped[0])
        after = replace(after, item_errors=len(skipped))
        if not items and parsed.get("bozo"):
            return await self._parse_failed(feed, after, before, f"unparseable feed: {parsed.get('bozo_exception')!s:.200}")
        return await self._record(feed, items, after)

    async def _record(self, feed: FeedConfig, items: Sequence[Item], after: FeedState) -> PollReport:
        """Decide and record a poll's items (in batches), the feed's new state with the last batch;
        then the new revisions of known items (edited channel posts)."""
        known = await self.db.run(self.db.store.known_story_keys, known_keys_wanted(items))
        # Story merging: the stored copies of these very items (an item whose text
        # changed edits its alerts); the recent stories are read per batch, below.
        copies = await self.db.run(self.db.store.copies_of, [item_key(i.feed_id, i.uid) for i in items])
        stored, queued = 0, 0
        n_breaking = 0
        revisions: list[Revision] = []
        batches = [items[i : i + RECORD_BATCH] for i in range(0, len(items), RECORD_BATCH)] or [()]
        for n, batch in enumerate(batches):
            # Recording (and fanning out) is one at a time in the process: a
            # story's alerts are filed under the copy the store says is first,
            # and that must not change while a large audience is queued.
            async with self._record_lock:
                last = n == len(batches) - 1
                # Read under the lock: a story another feed recorded a moment ago is one to join.
                recent = await self.db.run(self.db.store.recent_stories, self.clock() - self.policy.merge_window_hours * 3600)
                fresh, alerts, alerted, found = await self._record_batch(
                    feed, batch, known, after if last else None, recent, copies
                )
            known |= {r.story_keys[0] for r in fresh}
            revisions.extend(found)
            stored, queued = stored + len(fresh), queued + alerts
            n_breaking += sum(1 for r in fresh if r.breaking)
            if alerts:
                now = self.clock()
                for r in fresh:
                    if r.key in alerted and r.published is not None:
                        self.on_item_queued(max(0.0, now - r.published))
        edits = await self.db.run(self.db.store.record_revisions, revisions) if revisions else []
        for e in edits:
            log.info("feed=%s event=item_edited uid=%s key=%s", feed.id, e.uid, e.key)
        if edits:
            self.on_items_edited(edits)
        log.info("feed=%s event=polled items=%d new=%d breaking=%d alerts=%d", feed.id, len(items), stored, n_breaking, queued)
        return PollReport(feed.id, items=len(items), new_items=stored, breaking=n_breaking, alerts=queued, edited=len(edits))

    async def _poll_channel(self, feed: FeedConfig, state: FeedState, now: float) -> PollReport:
        """A public channel: its preview page, older pages back to the last post known, then as a feed.

        The page address is always the configured one (a redirect is never
        saved: t.me sends a name that is not a channel to its info page).
        """
        state = replace(state, url=feed.url)
        if feed.id not in self._cursors:
            uids = await self.db.run(self.db.store.recent_uids, feed.id)
            self._cursors[feed.id] = max((i for i in map(post_id_of, uids) if i is not None), default=None)
        cursor = self._cursors[feed.id]
        read = await self._channels.read(feed.url, Validators(state.etag, state.last_modified), cursor)
        result = read.first
        after = replace(self._after_fetch(feed, state, result, now), url=feed.url)
        if result.error or result.not_modified:
            await self.db.run(self.db.store.save_feed_state, after)
            if result.error:
                log.warning("feed=%s event=fetch_error error=%r errors=%d", feed.id, result.error, after.error_count)
                return PollReport(feed.id, error=result.error)
            return PollReport(feed.id, not_modified=True)
        if read.error is not None:
            return await self._parse_failed(feed, after, state, read.error)
        if read.gap is not None:
            log.warning("feed=%s event=channel_gap %s", feed.id, read.gap)
        items = await asyncio.to_thread(items_from_posts, feed.id, read.posts, self.clock())
        report = await self._record(feed, items, replace(after, item_errors=0))
        if read.posts:
            newest = read.posts[-1].id
            self._cursors[feed.id] = newest if cursor is None else max(cursor, newest)
        return report

    async def _record_batch(
        self,
        feed: FeedConfig,
        batch: Sequence[Item],
        known: set[str],
        feed_state: FeedState | None,
        recent: Sequence[Story] = (),
        copies: dict[str, StoryCopy] | None = None,
    ) -> tuple[list[ItemRecord], int, set[str], tuple[Revision, ...]]:
        """Decide one batch of items, queue their alerts, record them.
        Returns (items stored, alerts queued, items alerted, revisions of known items).

        A small audience is matched and rendered on the loop (a few ms) and
        written with its item in one transaction. A large one is expanded in
        a worker thread, chunk by chunk, each chunk written in its own short
        transaction and handed to the sender at once; the item is recorded
        after its last chunk, so a crash in between makes the next poll
        queue the rest (never the same chat twice: the store checks).
        A breaking item that joins a recent story (bot.core.merging) is filed
        under it, and the story's copy is stored with the item.
        """
        store, now = self.db.store, self.clock()
        t = triage(feed, batch, known, self.policy, now, recent, copies)
        alerts: list[OutboxRow] = []
        streamed = 0
        alerted: set[str] = set()  # items that reached somebody
        new_copies: list[StoryCopy] = []
        for c in t.to_alert:
            audience = self.subs.audience(c.item)  # matching: on the loop, the index's owner
            rendered: RenderCache = {}
            if audience.size <= LOOP_AUDIENCE:
                before = len(alerts)
                for chunk in self.subs.expand(audience, rotate=rotation(c.record.key)):
                    alerts.extend(alerts_for(c.item, c.record.key, feed, chunk, self.policy, now, rendered, c.story, len(alerts) - before))
                if len(alerts) > before:
                    alerted.add(c.record.key)
                    new_copies.append(c.copy)
                continue
            n = await self._stream(c, feed, audience, rendered, now)
            streamed += n
            if n:
                alerted.add(c.record.key)
                new_copies.append(c.copy)
        fresh, queued = await self.db.run(
            store.record, t.records, alerts, feed_state=feed_state, copies=new_copies, updates=t.updates
        )
        if queued or new_copies or t.updates:
            self.on_alerts(queued)  # the sender starts on the first batch; the editor looks too
        return fresh, queued + streamed, alerted, t.revisions

    async def _stream(self, c: Candidate, feed: FeedConfig, audience: Audience, rendered: RenderCache, now: float) -> int:
        """Queue a large audience in chunks: expanded and rendered in a thread, written in short transactions."""
        chunks = self.subs.members(audience, rotate=rotation(c.record.key))
        item, record = c.item, c.record

        made = 0

        def next_rows() -> AlertColumns | None:
            nonlocal made
            chunk = next(chunks, None)
            if chunk is None:
                return None
            # Column-wise (no object per recipient): most of this thread's time
            # is time the event loop waits for the GIL.
            rows = alert_columns(item, record.key, feed, chunk, self.policy, now, rendered, c.story, made)
            made += len(rows)
            return rows

        queued = 0
        # A story queued for nobody yet (the usual case): its chunks are disjoint, so
        # nobody can already have it and the per-chat lookup is skipped.
        check = await self.db.run(self.db.store.has_alerts, [record])
        upcoming = asyncio.ensure_future(asyncio.to_thread(next_rows))
        try:
            while (rows := await upcoming) is not None:
                upcoming = asyncio.ensure_future(asyncio.to_thread(next_rows))  # the next chunk while this one is written
                n = await self.db.run(self.db.store.queue_columns, [record], rows, now, check_taken=check)
                queued += n
                if n:
                    self.on_alerts(n)
        finally:
            if not upcoming.done():
                upcoming.cancel()
        log.info("feed=%s event=fanned_out item=%s recipients=%d", feed.id, record.key[:12], queued)
        return queued

    def _count_move(self, feed: FeedConfig, result: FetchResult, after: FeedState) -> FeedState:
        """A permanent move to another host is saved only after it served a valid feed twice in a row."""
        if not result.moved_to:
            self._moves.pop(feed.id, None)
            return after
        target, seen = self._moves.get(feed.id, ("", 0))
        seen = seen + 1 if target == result.moved_to else 1
        if seen < 2:
            self._moves[feed.id] = (result.moved_to, seen)
            return after
        self._moves.pop(feed.id, None)
        log.info("feed=%s event=feed_moved url=%s", feed.id, result.moved_to)
        return replace(after, url=result.moved_to)

    async def _parse_failed(self, feed: FeedConfig, after: FeedState, before: FeedState, err: str) -> PollReport:
        self._moves.pop(feed.id, None)  # only consecutive good polls count towards a move
        # Keep the old validators: a fixed feed must be fetched whole next time.
        failed = replace(after, etag=before.etag, last_modified=before.last_modified, last_error=err,
                         error_count=before.error_count + 1, last_success=before.last_success)
        await self.db.run(self.db.store.save_feed_state, failed)
        log.warning("feed=%s event=parse_error error=%r", feed.id, err)
        return PollReport(feed.id, error=err)

    def _after_fetch(self, feed: FeedConfig, st: FeedState, result: FetchResult, now: float) -> FeedState:
        errors = st.error_count + 1 if result.error else 0
        delay = next_delay(interval=feed.interval, result=result, error_count=max(errors, 1))
        st = replace(st, last_checked=now, error_count=errors, next_check=now + delay - _slack(feed.interval))
        if result.permanent_url:
            st = replace(st, url=result.permanent_url)
        if result.error:
            return replace(st, last_error=result.error)
        return replace(
            st, last_success=now, etag=result.validators.etag, last_modified=result.validators.last_modified
        )


def _slack(interval: float) -> float:
    # The scheduler's jitter may fire a job a little early; a poll due
    # "now + interval" must not be skipped for being a second too soon.
    return min(interval * 0.2, 30.0)
