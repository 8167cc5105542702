"""Edits of sent alerts: a story gained an outlet, a fuller text or a topic.

Runs beside the delivery worker and shares its rate limiter (Telegram counts
edits against the same flood limits). New alerts go first: while the worker
has alerts due, the editor waits. An edit is rendered when it goes out, from
the story as it stands then, so several changes in a row cost one edit; an
edit that would change nothing is not sent.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from bot.core.merging import StoryCopy
from bot.delivery.limiter import RateLimiter
from bot.delivery.worker import Outcome, Rejected, RetryAfter, Sent, Transient
from bot.storage.boundary import Database
from bot.storage.story_store import EditJob

log = logging.getLogger("bot.delivery.editor")

BATCH = 200
IDLE = 1.0
WAIT_FOR_SEND = 2.0  # the alert itself is still queued: look again shortly
MAX_ATTEMPTS = 8
CONCURRENCY = 16
_UNCHANGED = "message is not modified"


@runtime_checkable
class EditSender(Protocol):
    async def edit(self, chat_id: int, message_id: int, html: str) -> Outcome: ...


Render = Callable[[EditJob, Sequence[StoryCopy]], "str | None"]


class Editor:
    def __init__(
        self,
        db: Database,
        sender: EditSender,
        limiter: RateLimiter,
        render: Render,
        *,
        alerts_due: Callable[[], bool] = lambda: False,
        may_send: Callable[[], bool] = lambda: True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # may_send: this instance leads (several instances on PostgreSQL); a standby never edits.
        self.db, self.store, self.sender, self.limiter = db, db.store, sender, limiter
        self.render, self.alerts_due, self.may_send, self.clock = render, alerts_due, may_send, clock
        self._wake = asyncio.Event()
        self._slots = asyncio.Semaphore(CONCURRENCY)
        self.edited = 0
        self.running = False

    def wake(self, _n: int = 0) -> None:
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        self.running = True
        try:
            while not stop.is_set():
                self._wake.clear()
                try:
                    delay = await self.round()
                except Exception as exc:  # noqa: BLE001 - one bad round must not end the editor
                    log.error("event=edit_error error=%r", exc)
                    delay = 5.0
                if delay > 0 and not self._wake.is_set():
                    await _wait(self._wake, stop, delay)
        finally:
            self.running = False

    async def drain(self, timeout: float = 60.0) -> None:
        """Apply every edit due now (demo, tests)."""
        deadline = self.clock() + timeout
        while self.clock() < deadline:
            if not await self.db.run(self.store.due_edits, 1):
                return
            await asyncio.sleep(min(await self.round(), 0.2))

    async def round(self) -> float:
        """Apply the due edits; return how long to wait before the next round."""
        if not self.may_send():
            return IDLE
        jobs = await self.db.run(self.store.due_edits, BATCH)
        if not jobs:
            return IDLE
        stories: dict[str, Sequence[StoryCopy]] = {}
        tasks: list[asyncio.Task[None]] = []
        for job in jobs:
            if self.alerts_due() or not self.may_send():
                break  # new alerts first; the rest of the edits wait
            html = await self._prepare(job, stories)
            if html is None:
                continue
            await self._pace(job.chat_id)
            await self._slots.acquire()
            tasks.append(asyncio.create_task(self._edit(job, html)))
        if tasks:
            await asyncio.gather(*tasks)
        return 0.05 if len(jobs) == BATCH else 0.2

    async def _prepare(self, job: EditJob, stories: dict[str, Sequence[StoryCopy]]) -> str | None:
        """The new text, or None when there is nothing to send (and the job is settled or postponed)."""
        if job.outbox_status == "pending":
            await self.db.run(self.store.postpone_edit, job.id, time.time() + WAIT_FOR_SEND)
            return None
        if job.outbox_status != "sent" or job.message_id is None:
            await self.db.run(self.store.finish_edit, job.id, None, None)  # nothing on the chat's screen to edit
            return None
        if job.story_key not in stories:
            stories[job.story_key] = await self.db.run(self.store.story_copies, job.story_key)
        copies = stories[job.story_key]
        html = self.render(job, copies) if copies else None
        if html is None or html == job.html:
            await self.db.run(self.store.finish_edit, job.id, None, None)
            return None
        return html

    async def _pace(self, chat_id: int) -> None:
        while True:
            now = self.clock()
            at = max(self.limiter.global_at(now), self.limiter.ready_at(chat_id, now))
            if at <= now:
                self.limiter.take(chat_id, now)
                return
            await asyncio.sleep(at - now)

    async def _edit(self, job: EditJob, html: str) -> None:
        try:
            assert job.message_id is not None
            outcome = await self.sender.edit(job.chat_id, job.message_id, html)
            await self._settle(job, html, outcome)
        except Exception as exc:  # noqa: BLE001 - recorded on the job, retried later
            await self.db.run(self.store.retry_edit, job.id, time.time() + 30.0, repr(exc)[:300])
        finally:
            self._slots.release()

    async def _settle(self, job: EditJob, html: str, outcome: Outcome) -> None:
        if isinstance(outcome, Sent) or (isinstance(outcome, Rejected) and _UNCHANGED in outcome.error.lower()):
            self.edited += 1
            await self.db.run(self.store.finish_edit, job.id, html, None)
        elif isinstance(outcome, RetryAfter):
            self.limiter.pause(self.clock() + outcome.seconds)
            await self.db.run(self.store.retry_edit, job.id, time.time() + outcome.seconds, "429")
        elif isinstance(outcome, Transient) and job.attempts + 1 < MAX_ATTEMPTS:
            await self.db.run(self.store.retry_edit, job.id, time.time() + min(2.0 ** job.attempts, 300.0), outcome.error)
        else:
            error = getattr(outcome, "error", type(outcome).__name__)
            log.warning("event=edit_failed chat=%s outbox_id=%s error=%r", job.chat_id, job.outbox_id, error)
            await self.db.run(self.store.finish_edit, job.id, None, str(error)[:300])


async def _wait(wake: asyncio.Event, stop: asyncio.Event, delay: float) -> None:
    waiters = [asyncio.ensure_future(wake.wait()), asyncio.ensure_future(stop.wait())]
    await asyncio.wait(waiters, timeout=delay, return_when=asyncio.FIRST_COMPLETED)
    for w in waiters:
        w.cancel()
