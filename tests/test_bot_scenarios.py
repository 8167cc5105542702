"""End to end: the real bot and PTB client against a fake Bot API server over HTTP."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.bot_harness import EMPTY_FEED, start_bot, write_config
from tests.fake_telegram import FakeTelegram
from tests.feedserver import FeedServer
from tests.helpers import GOLDEN, SEED_FEED

A, B = 1001, 1002


@pytest.fixture
def fake() -> FakeTelegram:
    # Conversation replies may come in bursts, as Telegram tolerates; delivery
    # limits get their own tests.
    with FakeTelegram(per_chat_per_second=None) as server:
        yield server


def test_scenario1_seed_alert_reaches_only_the_matching_subscriber(fake: FakeTelegram, feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.route("/news.xml", EMPTY_FEED)
    cdir = write_config(tmp_path, feed_server.url("/news.xml"))

    async def scenario() -> None:
        h = await start_bot(fake, feed_server, cdir)
        await h.say(A, "/start")
        await h.say(A, "/add الملف النووي")
        await h.say(B, "/start")
        await h.say(B, "/add كرة القدم")
        before_a, before_b = len(fake.messages_to(A)), len(fake.messages_to(B))
        feed_server.set_body("/news.xml", SEED_FEED.read_bytes())
        (alert,) = (await h.wait(lambda: fake.wait_for_messages(A, before_a + 1, timeout=2 * 0.5 + 5)))[before_a:]
        await asyncio.sleep(1.5)  # two more poll intervals: nothing else may arrive
        assert alert.text == (GOLDEN / "seed_alert.html").read_text(encoding="utf-8")
        assert alert.parse_mode == "HTML"
        assert len(fake.messages_to(A)) == before_a + 1
        assert len(fake.messages_to(B)) == before_b
        assert await h.shutdown() == 0

    asyncio.run(scenario())
