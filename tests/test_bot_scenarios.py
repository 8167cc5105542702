"""End to end: the real bot and PTB client against a fake Bot API server over HTTP."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.storage import Store
from tests.bot_harness import EMPTY_FEED, start_bot, write_config
from tests.fake_telegram import FakeTelegram
from tests.feedserver import FeedServer
from tests.helpers import GOLDEN, seed_only_feed

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
        await h.subscribe(A, "الملف النووي")
        await h.subscribe(B, "كرة القدم")
        before_a, before_b = len(fake.messages_to(A)), len(fake.messages_to(B))
        feed_server.set_body("/news.xml", seed_only_feed())
        (alert,) = (await h.wait(lambda: fake.wait_for_messages(A, before_a + 1, timeout=2 * 0.5 + 5)))[before_a:]
        await asyncio.sleep(1.5)  # two more poll intervals: nothing else may arrive
        assert alert.text == (GOLDEN / "seed_alert.html").read_text(encoding="utf-8")
        assert alert.parse_mode == "HTML"
        assert len(fake.messages_to(A)) == before_a + 1
        assert len(fake.messages_to(B)) == before_b
        assert await h.shutdown() == 0

    asyncio.run(scenario())


def test_scenario2_restart_resends_nothing(fake: FakeTelegram, feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.route("/news.xml", EMPTY_FEED)
    cdir = write_config(tmp_path, feed_server.url("/news.xml"))

    async def scenario() -> None:
        h = await start_bot(fake, feed_server, cdir)
        await h.subscribe(A, "الملف النووي")
        n = len(fake.messages_to(A))
        feed_server.set_body("/news.xml", seed_only_feed())
        await h.wait(lambda: fake.wait_for_messages(A, n + 1))
        assert await h.shutdown() == 0
        sends = len(fake.calls("sendMessage"))
        # Same database, and the feed server no longer honours our ETag.
        feed_server.set_body("/news.xml", seed_only_feed())
        h2 = await start_bot(fake, feed_server, cdir)
        await asyncio.sleep(2.0)  # four poll intervals
        assert feed_server.hits("/news.xml") >= 3
        assert len(fake.calls("sendMessage")) == sends
        assert len(fake.messages_to(A)) == n + 1
        assert await h2.shutdown() == 0

    asyncio.run(scenario())


FAULTS = {
    2001: ("429", {"retry_after": 1}),
    2002: ("403", {}),
    2003: ("400_not_found", {}),
    -2004: ("migrate", {"migrate_to": -1002004}),
    2005: ("500", {"times": 2}),
    2006: ("slow", {"delay": 2.0}),
}


def test_scenario3_every_fault_still_delivers_exactly_once_or_deactivates(
    fake: FakeTelegram, feed_server: FeedServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    feed_server.route("/news.xml", EMPTY_FEED)
    cdir = write_config(tmp_path, feed_server.url("/news.xml"))

    async def scenario() -> None:
        h = await start_bot(fake, feed_server, cdir)
        for chat in FAULTS:
            kind = "group" if chat < 0 else "private"
            await h.subscribe(chat, "الملف النووي", chat_type=kind)
        counts = {chat: len(fake.messages_to(chat)) for chat in FAULTS}
        for chat, (kind, kw) in FAULTS.items():
            fake.add_fault(chat, kind, **kw)
        feed_server.set_body("/news.xml", seed_only_feed())
        for chat in (2001, 2005, 2006):
            await h.wait(lambda c=chat: fake.wait_for_messages(c, counts[c] + 1, timeout=20))
        await h.wait(lambda: fake.wait_for_messages(-1002004, 1, timeout=20))
        await asyncio.sleep(2.0)  # anything duplicated would show up by now
        for chat in (2001, 2005, 2006):
            assert len(fake.messages_to(chat)) == counts[chat] + 1, chat
        assert len(fake.messages_to(-1002004)) == 1
        store = Store(h.settings.database_url)
        assert not store.chat(2002).active and not store.chat(2003).active
        assert store.chat(-2004) is None and [t.text for t in store.topics(-1002004)] == ["الملف النووي"]
        assert store.outbox_counts() == {"sent": 4, "dropped": 2}
        gone = [r.getMessage() for r in caplog.records if "event=chat_deactivated" in r.getMessage()]
        assert sorted(m.split()[1] for m in gone) == ["chat=2002", "chat=2003"], gone  # once each, not in a loop
        assert await h.shutdown() == 0

    asyncio.run(scenario())


BAD_INPUT = [
    ("/add    ", "اكتب الموضوع بعد الأمر"),
    ("/add " + "ن" * 65, "طويل جدًا"),
    ("/add غزة", "موجود في قائمتك بالفعل"),
    ("/add !!! 🔥", "لا يحتوي حروفًا"),
    ("/add ،،", "الموضوع فارغ"),
    ("/add <b>x", None),  # rejected as too many below; must come back escaped, not as broken HTML
]


def test_scenario5_bad_input_gets_a_reply_and_changes_nothing(fake: FakeTelegram, feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.route("/news.xml", EMPTY_FEED)
    cdir = write_config(tmp_path, feed_server.url("/news.xml"))

    async def scenario() -> None:
        h = await start_bot(fake, feed_server, cdir)
        await h.subscribe(A, "غزة")
        store = Store(h.settings.database_url)
        for text, expected in BAD_INPUT[:-1]:
            before = store.topics(A)
            await h.say(A, text)
            reply = fake.messages_to(A)[-1].plain
            assert expected in reply, (text, reply)
            assert store.topics(A) == before
        await h.say(A, "/add " + "\n".join(f"موضوع {i}" for i in range(49)))
        assert len(store.topics(A)) == 50
        before = store.topics(A)
        await h.say(A, "/add <b>x")
        reply = fake.messages_to(A)[-1]
        assert "بلغت الحد الأقصى (50" in reply.plain and store.topics(A) == before
        await h.say(A, "/remove موضوع 1")
        await h.say(A, "/add <b>x & y")
        assert "<b>x & y" in fake.messages_to(A)[-1].plain  # echoed as text, escaped in HTML
        # The same error for 1,000 pieces is said once.
        before, n = store.topics(A), len(fake.messages_to(A))
        await h.say(A, "/add " + "، ".join(["غزة"] * 1000))
        assert fake.messages_to(A)[-1].plain == "«غزة» موجود في قائمتك بالفعل." and store.topics(A) == before
        # Fifty long topics sent again: fifty distinct errors, longer than one
        # Telegram message, come as two messages that Telegram accepts.
        await h.say(A, "/clear")
        long_topics = [f"موضوع طويل رقم {i} عن الملف النووي الإيراني ومفاوضات مسقط" for i in range(50)]
        await h.say(A, "/add " + "\n".join(long_topics))
        before, n = store.topics(A), len(fake.messages_to(A))
        fake.send_user_message(A, "/add " + "\n".join(long_topics))
        replies = (await h.wait(lambda: fake.wait_for_messages(A, n + 2)))[n:]
        await asyncio.sleep(0.3)
        assert len(fake.messages_to(A)) == n + 2 and store.topics(A) == before
        assert sum(r.plain.count("موجود في قائمتك بالفعل") for r in replies) == 50
        await h.say(A, "/exclude " + "\n".join(f"كلمة مستبعدة طويلة جدًا رقم {i} من قائمة طويلة" for i in range(50)))
        n = len(fake.messages_to(A))
        fake.send_user_message(A, "/topics")
        topics_view = (await h.wait(lambda: fake.wait_for_messages(A, n + 2)))[n:]
        assert len(topics_view[-1].callback_data) == 100 and not topics_view[0].callback_data
        assert fake.errors == []
        assert await h.shutdown() == 0

    asyncio.run(scenario())
