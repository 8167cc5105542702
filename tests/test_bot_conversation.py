"""The conversation, end to end through the real PTB client and the fake Bot API."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import pytest

from bot.storage import Store
from tests.bot_harness import EMPTY_FEED, Harness, start_bot, write_config
from tests.fake_telegram import FakeTelegram
from tests.feedserver import FeedServer
from tests.helpers import SEED_FEED

ADMIN_ID = 4242


@pytest.fixture
def fake() -> FakeTelegram:
    with FakeTelegram(per_chat_per_second=None) as server:
        yield server


def last(fake: FakeTelegram, chat: int) -> str:
    return fake.messages_to(chat)[-1].plain


async def press(h: Harness, chat: int, data: str, **kw: object) -> None:
    """Press a button the bot sent to `chat` and wait for the callback to be answered."""
    message = next(m for m in reversed(h.fake.messages_to(chat)) if data in m.callback_data)
    answered = len(h.fake.answered_callbacks)
    h.fake.press_button(chat, message.message_id, data, **kw)  # type: ignore[arg-type]
    deadline = time.monotonic() + 10
    while len(h.fake.answered_callbacks) == answered and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    assert len(h.fake.answered_callbacks) > answered, "callback never answered"
    await asyncio.sleep(0.2)  # the confirmation message follows the answer


def test_private_chat_conversation(fake: FakeTelegram, feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.route("/news.xml", EMPTY_FEED)
    cdir = write_config(tmp_path, feed_server.url("/news.xml"), admins=f"[{ADMIN_ID}]")

    async def scenario() -> None:
        h = await start_bot(fake, feed_server, cdir)
        store = Store(h.settings.database_url)
        assert {c["command"] for c in fake.commands[""]} >= {"start", "add", "topics", "stop"}
        assert "Subscribe" in [c["description"] for c in fake.commands["en"]]

        await h.say(7, "/add غزة")
        assert "/start" in last(fake, 7)  # not subscribed yet
        await h.say(7, "/start")
        assert "بوت عاجل" in last(fake, 7) and "p:0" in fake.messages_to(7)[-1].callback_data
        await press(h, 7, "p:0")
        assert [t.text for t in store.topics(7)] == ["الملف النووي"]

        await h.say(7, "/add غزة، سعر الدولار\nالاقتصاد")
        assert last(fake, 7) == "✅ أُضيف: غزة، سعر الدولار، الاقتصاد"
        await h.say(7, "/topics")
        rows = store.topics(7)
        await press(h, 7, f"rm:{rows[1].id}")
        assert "غزة" not in [t.text for t in store.topics(7)]
        await h.say(7, "/remove الاقتصاد")
        assert last(fake, 7) == "🗑 حُذف: الاقتصاد"

        await h.say(7, "حزب الله")  # plain text: offered as a topic
        await press(h, 7, next(d for d in fake.messages_to(7)[-1].callback_data if d.startswith("ok:")))
        assert "حزب الله" in [t.text for t in store.topics(7)]

        await h.say(7, "/exclude كرة القدم")
        await h.say(7, "/test عاجل: اتصالات سرية بشأن الملف النووي الإيراني\nومباراة كرة القدم")
        reply = last(fake, 7)
        assert "العنوان يبدأ بـ«عاجل»" in reply and "الملف النووي: الملف ← الملف" in reply and "كرة القدم" in reply
        await h.say(7, "/test دعوة عاجلة لاجتماع")
        assert "ليس خبرًا عاجلًا" in last(fake, 7)

        await h.say(7, "/frobnicate")
        assert "/help" in last(fake, 7)
        await h.say(7, "/help")
        assert "/exclude" in last(fake, 7)
        await h.say(7, "/sources")
        assert "الأخبار العربية (تجريبي)" in last(fake, 7)
        await h.say(7, "/stats")
        assert "للمشرفين" in last(fake, 7)
        await h.say(ADMIN_ID, "/stats")
        assert "المحادثات النشطة: 1" in last(fake, ADMIN_ID)

        await h.say(7, "/all")
        assert store.chat(7).all_breaking
        await h.say(7, "/pause")
        n = len(fake.messages_to(7))
        feed_server.set_body("/news.xml", SEED_FEED.read_bytes())
        await asyncio.sleep(1.5)
        assert len(fake.messages_to(7)) == n  # paused: nothing pushed
        await h.say(7, "/resume")
        n_topics = len(store.topics(7, "topic"))
        await h.say(7, "/clear")
        # /clear removes the topics, counted right; excluded words stay.
        assert last(fake, 7) == f"🗑 حُذفت كل المواضيع ({n_topics})."
        assert store.topics(7, "topic") == [] and [t.text for t in store.topics(7)] == ["كرة القدم"]
        await h.say(7, "/stop")
        assert store.chat(7) is None
        assert fake.errors == []
        assert await h.shutdown() == 0

    asyncio.run(scenario())


def test_stats_reports_chats_topics_feed_health_outbox_and_delays(fake: FakeTelegram, feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.route("/news.xml", EMPTY_FEED)
    feed_server.route("/broken.xml", b"oops", status=500)
    cdir = write_config(tmp_path, feed_server.url("/news.xml"), admins=f"[{ADMIN_ID}]")
    with (cdir / "feeds.toml").open("a", encoding="utf-8") as f:
        f.write(f'[[feed]]\nid = "broken"\nname = "مصدر معطّل"\nurl = "{feed_server.url("/broken.xml")}"\ninterval = 0.5\n')

    async def scenario() -> None:
        h = await start_bot(fake, feed_server, cdir)
        await h.subscribe(ADMIN_ID, "الملف النووي، غزة")
        await h.say(9, "/start")
        n = len(fake.messages_to(ADMIN_ID))
        feed_server.set_body("/news.xml", SEED_FEED.read_bytes())
        await h.wait(lambda: fake.wait_for_messages(ADMIN_ID, n + 1))
        deadline = time.monotonic() + 10
        while True:  # every alert of the seed feed sent (they are recorded in small batches)
            await asyncio.sleep(0.3)
            await h.say(ADMIN_ID, "/stats")
            text = last(fake, ADMIN_ID)
            if "طابور الإرسال: 0" in text or time.monotonic() > deadline:
                break
        assert "المحادثات النشطة: 2" in text and "المواضيع: 2" in text and "طابور الإرسال: 0" in text
        assert re.search(r"الوسيط \d+\.\d ث، المئين 95: \d+\.\d ث", text), text
        assert re.search(r"• الأخبار العربية \(تجريبي\): \d{4}-\d\d-\d\d \d\d:\d\d بتوقيت غرينتش\n", text), text
        assert re.search(r"• مصدر معطّل: — ⚠️ خطأ HTTP 500 ×\d+", text), text
        assert "UTC" not in text  # nothing untranslated inside the Arabic reply
        await h.say(9, "/stats")
        assert "للمشرفين" in last(fake, 9)
        assert await h.shutdown() == 0

    asyncio.run(scenario())


def test_english_user_gets_english(fake: FakeTelegram, feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.route("/news.xml", EMPTY_FEED)
    cdir = write_config(tmp_path, feed_server.url("/news.xml"))

    async def scenario() -> None:
        h = await start_bot(fake, feed_server, cdir)
        await h.say(8, "/start", language_code="en")
        assert "Welcome to Ajel" in last(fake, 8)
        await h.say(8, "/add الملف النووي", language_code="en-GB")
        await h.say(8, "/add", language_code="en")
        assert "Write the topic" in last(fake, 8)
        n = len(fake.messages_to(8))
        feed_server.set_body("/news.xml", SEED_FEED.read_bytes())
        (alert,) = (await h.wait(lambda: fake.wait_for_messages(8, n + 1)))[n:]
        assert alert.plain.startswith("🔴 BREAKING |") and "Read the full story" in alert.plain
        # Why a found word is not the topic is said in the user's language too.
        await h.say(8, "/add مالي", language_code="en")
        await h.say(8, "/test اتفاق مالي ضخم بين الشركتين", language_code="en")
        reply = last(fake, 8)
        assert "not the country Mali" in reply and "البلد" not in reply
        assert await h.shutdown() == 0

    asyncio.run(scenario())


def test_groups_forums_and_migration(fake: FakeTelegram, feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.route("/news.xml", EMPTY_FEED)
    cdir = write_config(tmp_path, feed_server.url("/news.xml"))
    group, forum, thread = -3001, -1003002, 77

    async def scenario() -> None:
        h = await start_bot(fake, feed_server, cdir)
        store = Store(h.settings.database_url)
        await h.say(group, "/start", chat_type="group", user_id=11, is_admin=True)
        await h.say(group, "/add غزة", chat_type="group", user_id=12, is_admin=False)
        assert "المشرفون فقط" in last(fake, group) and store.topics(group) == []
        await h.say(group, "/add الملف النووي", chat_type="group", user_id=11, is_admin=True)
        # The group becomes a supergroup: Telegram sends a service message.
        fake.inject_update({"message": {
            "message_id": 900, "date": int(time.time()), "chat": {"id": group, "type": "group", "title": "g"},
            "from": {"id": 11, "is_bot": False, "first_name": "A"}, "migrate_to_chat_id": -1003001,
        }})
        deadline = time.monotonic() + 10
        while store.chat(-1003001) is None and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert [t.text for t in store.topics(-1003001)] == ["الملف النووي"]

        await h.say(forum, "/start", chat_type="supergroup", user_id=11, thread_id=thread)
        assert fake.messages_to(forum)[-1].message_thread_id == thread
        await h.say(forum, "/add الملف النووي", chat_type="supergroup", user_id=11, thread_id=thread)
        n = len(fake.messages_to(forum))
        feed_server.set_body("/news.xml", SEED_FEED.read_bytes())
        (alert,) = (await h.wait(lambda: fake.wait_for_messages(forum, n + 1)))[n:]
        assert alert.message_thread_id == thread
        await h.wait(lambda: fake.wait_for_messages(-1003001, 1))
        assert fake.messages_to(group)[-1].plain.count("عاجل") == 0  # nothing to the old id
        assert await h.shutdown() == 0

    asyncio.run(scenario())


def test_test_command_says_the_story_was_already_alerted(fake: FakeTelegram, feed_server: FeedServer, tmp_path: Path) -> None:
    from bot.core.merging import StoryCopy
    from bot.core.models import ItemRecord

    feed_server.route("/news.xml", EMPTY_FEED)
    cdir = write_config(tmp_path, feed_server.url("/news.xml"))

    async def scenario() -> None:
        h = await start_bot(fake, feed_server, cdir)
        store = Store(h.settings.database_url)
        headline = "زلزال بقوة 6.1 درجات يضرب ولاية ملاطيا شرقي تركيا"
        copy = StoryCopy("k-aj", "aj", "الجزيرة", headline, "", time.time())
        store.record([ItemRecord("k-aj", "aj", "1", headline, None, None, True, "title_prefix", ("item:k-aj",))], [], copies=[copy])
        await h.say(7, "/start")
        await h.say(7, "/test عاجل | هيئة الكوارث التركية: زلزال بقوة 6.1 يهز ملاطيا شرق تركيا")
        assert "الخبر نفسه الذي نُبّه إليه من «الجزيرة»" in last(fake, 7) and headline in last(fake, 7)
        await h.say(7, "/test عاجل | حريق ضخم في سوق شعبي بمدينة ملاطيا شرقي تركيا")
        assert "الخبر نفسه" not in last(fake, 7)
        assert await h.shutdown() == 0

    asyncio.run(scenario())
