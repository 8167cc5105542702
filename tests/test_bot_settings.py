"""/settings end to end (issue 13): the screen edited in place, each setting reaching the next alert,
quiet hours on an injected wall clock (silent, or held and summarised once, across a restart),
and groups where only admins change anything."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.storage import Store
from tests.bot_harness import Harness, start_bot, write_config
from tests.fake_telegram import FakeTelegram, SentMessage
from tests.feedserver import FeedServer

RIYADH = ZoneInfo("Asia/Riyadh")
TOPIC = "الملف النووي"
GROUP, ADMIN, MEMBER = -5001, 31, 32


def at_riyadh(hour: int, minute: int = 0) -> float:
    return datetime(2026, 11, 26, hour, minute, tzinfo=RIYADH).timestamp()


def rss(*stories: tuple[str, str]) -> bytes:
    """A feed of breaking stories (uid, headline), each about the nuclear file."""
    entries = "".join(
        f"<item><guid>{uid}</guid><title>عاجل: {title}</title><link>https://news.example/{uid}</link>"
        f"<description>{title}. وقالت مصادر إن الملف النووي كان محور المحادثات التي استمرت ساعات طويلة في العاصمة.</description></item>"
        for uid, title in stories
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'
        f"<link>https://news.example/</link><description>d</description>{entries}</channel></rss>"
    ).encode()


STORY_1 = ("s1", "محادثات جديدة حول الملف النووي في مسقط")
STORY_2 = ("s2", "وفد أوروبي يصل طهران لبحث الملف النووي")


@pytest.fixture
def fake() -> FakeTelegram:
    with FakeTelegram(per_chat_per_second=None) as server:
        yield server


async def press(h: Harness, chat: int, data: str, message_id: int | None = None, **kw: object) -> dict[str, object]:
    """Press a button (on `message_id`, else the newest message carrying it); returns the callback answer."""
    if message_id is None:
        message_id = next(m.message_id for m in reversed(h.fake.messages_to(chat)) if data in current(h.fake, chat, m.message_id).callback_data)
    answered = len(h.fake.answered_callbacks)
    edits = len(h.fake.edits)
    h.fake.press_button(chat, message_id, data, **kw)  # type: ignore[arg-type]
    deadline = time.monotonic() + 10
    while len(h.fake.answered_callbacks) == answered and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    assert len(h.fake.answered_callbacks) > answered, "callback never answered"
    settle = time.monotonic() + 1.0  # the edit follows the answer (when there is one)
    while len(h.fake.edits) == edits and time.monotonic() < settle:
        await asyncio.sleep(0.02)
    return h.fake.answered_callbacks[-1]


def screen(m: SentMessage) -> str:
    """A settings message as a user sees it: text, then one line per button row."""
    rows = [" ".join(f"[{b['text']}]" for b in row) for row in (m.reply_markup or {}).get("inline_keyboard", [])]
    return "\n".join([m.plain, *rows])


def current(fake: FakeTelegram, chat: int, message_id: int) -> SentMessage:
    """The message as it stands now: its last edit, else as sent."""
    edits = [e for e in fake.edits if e.chat_id == chat and e.message_id == message_id]
    return edits[-1] if edits else next(m for m in fake.messages_to(chat) if m.message_id == message_id)


async def wait_until(cond, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


TRANSCRIPT: list[str] = []  # filled by the first test; printed with -s


def test_settings_screen_edits_in_place_and_reaches_the_next_alert(fake: FakeTelegram, feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.route("/news.xml", rss())
    cdir = write_config(tmp_path, feed_server.url("/news.xml"))

    async def scenario() -> None:
        h = await start_bot(fake, feed_server, cdir)
        store = Store(h.settings.database_url)
        for chat in (7, 8):
            await h.subscribe(chat, TOPIC)
        await h.say(7, "/settings")
        settings_msg = fake.messages_to(7)[-1]
        sent_before = len(fake.messages_to(7))
        TRANSCRIPT.append("— /settings —\n" + screen(settings_msg))
        assert "الإعدادات" in settings_msg.plain and "s:lang:en" in settings_msg.callback_data

        # English by a button, from an Arabic client: the screen is redrawn in English, in place.
        answer = await press(h, 7, "s:lang:en")
        assert answer.get("text") == "Saved ✅"
        after_lang = current(fake, 7, settings_msg.message_id)
        TRANSCRIPT.append("— pressed «🌐 English» —\n" + screen(after_lang))
        assert after_lang.plain.startswith("⚙️ Settings") and "Language: English" in after_lang.plain
        await press(h, 7, "s:pv:on", settings_msg.message_id)
        after_pv = current(fake, 7, settings_msg.message_id)
        TRANSCRIPT.append("— pressed «🔗 Show link previews» —\n" + screen(after_pv))
        assert "Link previews: on" in after_pv.plain and "s:pv:off" in after_pv.callback_data
        assert len(fake.messages_to(7)) == sent_before  # no new message per press
        await h.say(7, "/help")  # the Arabic client now gets English
        assert fake.messages_to(7)[-1].plain.startswith("Commands") and "/settings — quiet hours" in fake.messages_to(7)[-1].plain
        await h.say(7, "/topics")  # the topics list shows the settings too
        assert "⚙️ Quiet hours: off; sound: with every alert. To change: /settings" in fake.messages_to(7)[-1].plain

        # Sub-menus and a typed IANA zone.
        await press(h, 7, "s:menu:tz", settings_msg.message_id)
        assert "s:tz:1" in current(fake, 7, settings_msg.message_id).callback_data
        await press(h, 7, "s:tz:1", settings_msg.message_id)  # Cairo
        assert "Time zone: Cairo" in current(fake, 7, settings_msg.message_id).plain
        await h.say(7, "/settings tz Europe/London")
        assert "Europe/London" in fake.messages_to(7)[-1].plain
        await h.say(7, "/settings tz Mars/Olympus")
        assert "don't know the time zone" in fake.messages_to(7)[-1].plain
        # A stale settings message (an older /settings) still works.
        await press(h, 7, "s:len:head", settings_msg.message_id)
        chat7 = store.chat(7)
        assert chat7 is not None and chat7.prefs.timezone == "Europe/London" and not chat7.prefs.lead and chat7.prefs.previews

        # The next alert follows the settings: English, headline only, preview on, London time;
        # chat 8 (defaults): Arabic, with the lead, previews disabled.
        feed_server.set_body("/news.xml", rss(STORY_1))
        await h.wait(lambda: fake.wait_for_messages(7, len(fake.messages_to(7)) + 1))
        await h.wait(lambda: fake.wait_for_messages(8, 3))
        alert7, alert8 = fake.messages_to(7)[-1], fake.messages_to(8)[-1]
        assert "BREAKING" in alert7.plain and "مسقط" in alert7.plain and "استمرت ساعات" not in alert7.plain
        assert alert7.link_preview_options is None
        assert "عاجل" in alert8.plain and "استمرت ساعات" in alert8.plain
        assert alert8.link_preview_options == {"is_disabled": True} and not alert8.disable_notification
        assert fake.errors == []
        assert await h.shutdown() == 0

    asyncio.run(scenario())
    print("\n\n".join(TRANSCRIPT))


def test_quiet_hours_silent_or_held_summary_once_across_a_restart(fake: FakeTelegram, feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.route("/news.xml", rss())
    cdir = write_config(tmp_path, feed_server.url("/news.xml"))
    clock = [at_riyadh(2)]  # 02:00 in Riyadh: inside 23:00–07:00

    async def scenario() -> None:
        h = await start_bot(fake, feed_server, cdir, wall_clock=lambda: clock[0])
        store = Store(h.settings.database_url)
        for chat in (7, 8):  # 7 holds, 8 gets silent alerts
            await h.subscribe(chat, TOPIC)
            await h.say(chat, "/settings")
            await press(h, chat, "s:menu:quiet")
            await press(h, chat, "s:qh:23-7")
        # Chat 9 holds too, but its topic rings anyway.
        await h.subscribe(9, TOPIC)
        await h.say(9, "/settings")
        for data in ("s:menu:quiet", "s:qh:23-7", "s:qm:hold", "s:menu:ring"):
            await press(h, 9, data)
        (topic9,) = store.topics(9, "topic")
        await press(h, 9, f"s:ron:{topic9.id}")
        chat9 = store.chat(9)
        assert chat9 is not None and chat9.prefs.ring == frozenset({TOPIC})
        assert f"s:roff:{topic9.id}" in current(fake, 9, fake.messages_to(9)[-1].message_id).callback_data
        n9 = len(fake.messages_to(9))
        await press(h, 7, "s:qm:hold")
        quiet_screen = current(fake, 7, fake.messages_to(7)[-1].message_id)
        assert "✅ 23:00–07:00" in screen(quiet_screen) and "✅ 📥" in screen(quiet_screen)
        print("\n— quiet hours after «23:00–07:00» and «📥» —\n" + screen(quiet_screen))
        n7 = len(fake.messages_to(7))

        feed_server.set_body("/news.xml", rss(STORY_1))
        await h.wait(lambda: fake.wait_for_messages(8, 4))
        assert fake.messages_to(8)[-1].disable_notification  # quiet, silent mode
        await h.wait(lambda: fake.wait_for_messages(9, n9 + 1))
        assert not fake.messages_to(9)[-1].disable_notification and "مسقط" in fake.messages_to(9)[-1].plain  # rings anyway
        await wait_until(lambda: store.outbox_counts().get("held", 0) == 1)
        assert len(fake.messages_to(7)) == n7  # held, not sent
        assert await h.shutdown() == 0

        # Restart during quiet hours: the held alert is still there; a second story is held too.
        h = await start_bot(fake, feed_server, cdir, wall_clock=lambda: clock[0])
        feed_server.set_body("/news.xml", rss(STORY_1, STORY_2))
        await h.wait(lambda: fake.wait_for_messages(8, 5))
        await wait_until(lambda: store.outbox_counts().get("held", 0) == 2)
        assert len(fake.messages_to(7)) == n7

        clock[0] = at_riyadh(7)  # quiet hours end: one summary, each story once
        await h.wait(lambda: fake.wait_for_messages(7, n7 + 1))
        await asyncio.sleep(2.5)  # a few more worker rounds: nothing else comes
        summary = fake.messages_to(7)[n7:]
        assert len(summary) == 1, [m.plain for m in summary]
        text = summary[0].plain
        assert text.count("محادثات جديدة حول الملف النووي") == 1 and text.count("وفد أوروبي") == 1
        assert "الأخبار العربية (تجريبي)" in text and "(2)" in text
        print("\n— summary at 07:00 —\n" + text)
        assert {"summed": 2}.items() <= store.outbox_counts().items()
        assert await h.shutdown() == 0

        h = await start_bot(fake, feed_server, cdir, wall_clock=lambda: clock[0])  # and again: nothing re-sent
        await asyncio.sleep(2.5)
        assert len(fake.messages_to(7)) == n7 + 1
        assert fake.errors == []
        assert await h.shutdown() == 0

    asyncio.run(scenario())


def test_settings_buttons_in_a_group_change_nothing_for_a_member(fake: FakeTelegram, feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.route("/news.xml", rss())
    cdir = write_config(tmp_path, feed_server.url("/news.xml"))

    async def scenario() -> None:
        h = await start_bot(fake, feed_server, cdir)
        store = Store(h.settings.database_url)
        await h.say(GROUP, "/start", chat_type="group", user_id=ADMIN, is_admin=True)
        await h.say(GROUP, "/settings", chat_type="group", user_id=ADMIN, is_admin=True)
        msg = fake.messages_to(GROUP)[-1]
        before = store.chat(GROUP)
        await h.say(GROUP, "/help", chat_type="group", user_id=MEMBER, is_admin=False)  # the member is known
        for data in ("s:snd:off", "s:lang:en", "s:menu:quiet"):
            answer = await press(h, GROUP, data, msg.message_id, user_id=MEMBER, chat_type="group")
            assert answer.get("show_alert") and "المشرفون" in str(answer.get("text"))
        assert store.chat(GROUP) == before and not any(e.chat_id == GROUP for e in fake.edits)
        await h.say(GROUP, "/settings", chat_type="group", user_id=MEMBER, is_admin=False)
        assert "المشرفون" in fake.messages_to(GROUP)[-1].plain
        answer = await press(h, GROUP, "s:snd:off", msg.message_id, user_id=ADMIN, chat_type="group")  # an admin may
        chat = store.chat(GROUP)
        assert answer.get("text") == "حُفظ ✅" and chat is not None and chat.prefs.silent
        assert await h.shutdown() == 0

    asyncio.run(scenario())
