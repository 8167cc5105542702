"""`python -m bot demo`: the real scheduler and pipeline on the seed feeds.

No network and no token: feeds are read from `seeds/`, alerts are printed
instead of sent, and the database is a throwaway file, so every run shows
the same thing.
"""

from __future__ import annotations

import asyncio
import html
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bot.app.config import PROJECT_ROOT, Settings
from bot.app.runtime import Runtime, build_runtime
from bot.core.decide import Policy
from bot.core.models import FeedConfig, Limits, OutboxRow
from bot.core.subscriptions import ChatInfo, Subscriptions
from bot.delivery.worker import Outcome, Sent
from bot.feeds.poller import PollReport
from bot.feeds.scheduler import make_scheduler, schedule_feeds

SEEDS = PROJECT_ROOT / "seeds"
DEMO_CHAT = 1
DEFAULT_TOPICS = ("الملف النووي",)
DEMO_FEEDS = (
    FeedConfig("demo-news", "الأخبار العربية (تجريبي)", str(SEEDS / "demo_news.xml"), 5.0, "marked"),
    FeedConfig("demo-wire", "شريط العاجل (تجريبي)", str(SEEDS / "demo_breaking.xml"), 5.0, "all"),
)


@dataclass
class Tally:
    items: int = 0
    breaking: int = 0
    alerts: int = 0

    def add(self, r: PollReport) -> None:
        self.items += r.new_items
        self.breaking += r.breaking


async def run_demo(settings: Settings, topics: Sequence[str], *, follow: bool = False, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    subs = Subscriptions(settings.aliases)
    subs.set_chat(DEMO_CHAT, ChatInfo("ar"))
    for t in topics or DEFAULT_TOPICS:
        if subs.add(DEMO_CHAT, t) is None:
            print(f"ignored topic {t!r}: nothing to match once normalized", file=out)
    policy = Policy(settings.timezone, settings.lead_chars, max_age_hours=None)  # seed items are dated in the past
    console = ConsoleSender(out)
    with tempfile.TemporaryDirectory(prefix="ajel-demo-") as tmp:
        # A terminal has no flood limits; everything else is the production path.
        rt = await build_runtime(
            settings, console, limits=Limits(1e6, 1e6, 1e6), policy=policy, subs=subs,
            database_url=f"sqlite:///{Path(tmp) / 'demo.db'}",
        )
        try:
            tally = await _run(rt, console, follow, out)
        finally:
            await rt.aclose()
    print(
        f"\nsummary: {tally.items} items seen, {tally.breaking} breaking, {tally.alerts} alert{'' if tally.alerts == 1 else 's'} "
        f"(topics: {', '.join(topics or DEFAULT_TOPICS)})",
        file=out,
    )
    return 0


async def _run(rt: Runtime, console: ConsoleSender, follow: bool, out: TextIO) -> Tally:
    tally = Tally()
    pending = {f.id for f in DEMO_FEEDS}
    first_round = asyncio.Event()

    async def poll(feed: FeedConfig) -> None:
        try:
            report = await rt.poller.poll(feed, force=True)
            if report.error:
                print(f"feed {feed.id}: {report.error}", file=out)
            tally.add(report)
            await rt.worker.drain()
            if rt.editor is not None:
                await rt.editor.drain()
            tally.alerts = console.printed
        except Exception as exc:  # noqa: BLE001 - the demo must end, and say why, whatever a feed does
            print(f"feed {feed.id}: failed: {exc!r}", file=out)
        finally:
            pending.discard(feed.id)
            if not pending:
                first_round.set()

    scheduler = make_scheduler()
    schedule_feeds(scheduler, DEMO_FEEDS, poll)
    scheduler.start()
    try:
        await first_round.wait()
        console.flush()
        if follow:
            await asyncio.Event().wait()  # until Ctrl-C
    finally:
        scheduler.shutdown(wait=False)
    return tally


class ConsoleSender:
    """'Delivers' alerts to the terminal, through the same outbox and worker Telegram uses.

    Until `live` is set, messages are kept and printed by `flush` as they
    finally read (after edits), in a stable order: which feed answers first
    must not change what the demo shows.
    """

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.printed = 0
        self.live = False
        self._messages: dict[int, str] = {}

    async def send(self, row: OutboxRow) -> Outcome:
        self.printed += 1
        self._messages[self.printed] = row.html
        if self.live:
            self._print(row.html)
        return Sent(self.printed)

    async def edit(self, chat_id: int, message_id: int, html: str) -> Outcome:
        self._messages[message_id] = html
        if self.live:
            self._print(html, edited=True)
        return Sent(message_id)

    def flush(self) -> None:
        for markup in sorted(self._messages.values()):
            self._print(markup)
        self.live = True

    def _print(self, html: str, *, edited: bool = False) -> None:
        print("─" * 60 + (" ✏️" if edited else ""), file=self.out)
        print(html_to_terminal(html, color=self.out.isatty()), file=self.out)


_BOLD = re.compile(r"<b>(.*?)</b>", re.S)
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)
_TAG = re.compile(r"<[^>]+>")


def html_to_terminal(markup: str, *, color: bool = False) -> str:
    text = _LINK.sub(lambda m: f"{m.group(2)}: {m.group(1)}", markup)
    text = _BOLD.sub(lambda m: f"\033[1m{m.group(1)}\033[0m" if color else m.group(1), text)
    return html.unescape(_TAG.sub("", text))
