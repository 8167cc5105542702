"""The pure parts of /settings (issue 13): quiet-hours arithmetic, the summary, button payloads,
the rendering key, and the idempotent v4 migration."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, insert, inspect, select, text

from bot.core.decide import Policy, decide
from bot.core.models import FeedConfig, Item
from bot.core.prefs import ChatPrefs, HeldStory, in_window, is_quiet, local_minute, summary_messages, valid_zone
from bot.core.subscriptions import ChatInfo, Subscriptions
from bot.core.telegram_limits import MAX_MESSAGE_UNITS, utf16_len, visible_text
from bot.storage import schema as s
from bot.telegram import buttons

RIYADH = ZoneInfo("Asia/Riyadh")


def riyadh(hour: int, minute: int = 0, day: int = 26) -> float:
    return datetime(2026, 11, day, hour, minute, tzinfo=RIYADH).timestamp()


@pytest.mark.parametrize(("hm", "quiet"), [
    ((22, 59), False), ((23, 0), True), ((23, 59), True), ((0, 0), True), ((2, 0), True), ((6, 59), True), ((7, 0), False), ((12, 0), False),
])
def test_quiet_window_across_midnight(hm: tuple[int, int], quiet: bool) -> None:
    assert in_window(hm[0] * 60 + hm[1], 23, 7) is quiet


def test_quiet_window_within_a_day_and_empty() -> None:
    assert in_window(0, 0, 6) and in_window(5 * 60 + 59, 0, 6) and not in_window(6 * 60, 0, 6) and not in_window(23 * 60, 0, 6)
    assert not any(in_window(m, 5, 5) for m in range(0, 1440, 30))  # start == end: never quiet


def test_is_quiet_reads_the_chats_zone() -> None:
    prefs = ChatPrefs(quiet_start=23, quiet_end=7, timezone="Asia/Riyadh")
    assert is_quiet(prefs, riyadh(2), "UTC") and not is_quiet(prefs, riyadh(7), "UTC")
    # 02:00 in Riyadh is 00:00 in Cairo (winter) and 23:00 UTC the day before.
    assert local_minute(riyadh(2), "Africa/Cairo") == 1 * 60 and local_minute(riyadh(2), "UTC") == 23 * 60
    assert is_quiet(ChatPrefs(quiet_start=0, quiet_end=6), riyadh(2), "Asia/Riyadh")  # the operator's zone by default
    assert not is_quiet(ChatPrefs(quiet_start=0, quiet_end=6), riyadh(2), "UTC")  # 23:00 UTC
    assert not is_quiet(ChatPrefs(), riyadh(2), "Asia/Riyadh")


def test_valid_zone() -> None:
    assert valid_zone("Europe/London") == "Europe/London" and valid_zone(" Asia/Riyadh ") == "Asia/Riyadh"
    for bad in ("Mars/Olympus", "", "../etc/passwd", "/etc/localtime", "x" * 100):
        assert valid_zone(bad) is None


def test_summary_lists_each_story_once_and_splits_within_telegrams_limit() -> None:
    stories = [HeldStory(f"عنوان الخبر رقم {i} عن الملف النووي " + "كلمة " * 30, "وكالة", f"https://news.example/{i}") for i in range(60)]
    stories.append(stories[0])  # the same story twice: listed once
    parts = summary_messages(stories, "ar")
    assert len(parts) > 1
    assert all(utf16_len(visible_text(p)) <= MAX_MESSAGE_UNITS for p in parts)
    joined = "\n".join(parts)
    assert joined.count("https://news.example/0\"") == 1 and "(60)" in parts[0]
    assert all(f"https://news.example/{i}\"" in joined for i in range(60))  # nothing dropped
    assert summary_messages([], "ar") == []
    one = summary_messages([HeldStory("<script>", "BBC", "javascript:alert(1)")], "en")
    assert one == ["🌅 <b>While your quiet hours were on (1)</b>\n• <b>&lt;script&gt;</b> — BBC"]  # escaped, no unsafe link


def test_setting_payloads_are_a_closed_vocabulary() -> None:
    for name, choices in buttons.SETTINGS.items():
        for choice in choices:
            raw = buttons.setting(name, choice)
            press = buttons.parse(raw)
            assert press is not None and press.kind == "setting" and press.setting == (name, choice) and len(raw) <= 64
    for forged in ("s:qh:5-5", "s:tz:12", "s:tz:-1", "s:lang:fr", "s:pv", "s:", "s:menu:main:x", "s:__class__:x", "s:tz:٣"):
        assert buttons.parse(forged) is None, forged
    with pytest.raises(ValueError):
        buttons.setting("qh", "1-2")
    assert buttons.parse("s:ron:17") == buttons.Press("setting", "ron:17") and buttons.parse("s:roff:x") is None


def test_one_rendering_per_equal_key_lead_and_zone_change_the_text() -> None:
    feed = FeedConfig(id="wire", name="وكالة", url="https://example.com/rss")
    now = datetime(2026, 11, 26, 0, 0, tzinfo=UTC)
    item = Item("wire", "u1", "عاجل: محادثات حول الملف النووي في مسقط", "وقالت مصادر إن الجولة المقبلة ستعقد الأسبوع المقبل في العاصمة العمانية.",
                "https://example.com/1", now - timedelta(hours=1))
    subs = Subscriptions()
    chats = {1: ChatPrefs(), 2: ChatPrefs(), 3: ChatPrefs(lead=False), 4: ChatPrefs(timezone="Africa/Casablanca")}
    for chat_id, prefs in chats.items():
        subs.set_chat(chat_id, ChatInfo("ar", None, prefs))
        subs.add(chat_id, "الملف النووي")
    alerts = {a.chat_id: a.html for a in decide(feed, [item], set(), subs, Policy("Asia/Riyadh", 400, None), now.timestamp()).alerts}
    assert alerts[1] is alerts[2]  # shared
    assert "الجولة المقبلة" in alerts[1] and "الجولة المقبلة" not in alerts[3]  # headline only
    assert "02:00 (GMT+3)" in alerts[1] and "00:00 (GMT+1)" in alerts[4]  # Riyadh vs Rabat time


def test_v4_migration_adds_the_columns_once_and_keeps_chats(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    new_columns = ("lang_locked", "timezone", "quiet_start", "quiet_end", "quiet_mode", "silent", "previews", "lead", "ring_topics")
    with engine.begin() as conn:
        s.migrate(conn, target=3)
        for column in new_columns:  # a v3 database: chats without the /settings columns
            conn.execute(text(f"ALTER TABLE chats DROP COLUMN {column}"))
        conn.execute(text("INSERT INTO chats (id, kind, lang, active, paused, all_breaking, created_at) VALUES (7, 'private', 'en', 1, 0, 0, 1.0)"))
    with engine.begin() as conn:
        assert s.migrate(conn, target=4) == 3 and s.current_version(conn) == 4
        s.MIGRATIONS[3](conn)  # again: nothing to add, no error
        assert set(new_columns) <= {c["name"] for c in inspect(conn).get_columns("chats")}
        row = conn.execute(select(s.chats).where(s.chats.c.id == 7)).mappings().one()
        assert (row["lang"], row["quiet_start"], row["quiet_mode"], bool(row["lead"]), bool(row["previews"])) == ("en", None, "silent", True, False)
        conn.execute(insert(s.chats).values(id=8, created_at=1.0))  # server defaults
        assert conn.execute(select(s.chats.c.quiet_mode, s.chats.c.lead).where(s.chats.c.id == 8)).one() == ("silent", True)
    engine.dispose()


def test_held_alerts_follow_a_migrated_group_and_drop_with_a_gone_chat(tmp_path: Path) -> None:
    from bot.core.models import SUMMARY_PREFIX, OutboxRow
    from bot.storage import Store

    store = Store(f"sqlite:///{tmp_path / 'h.db'}")
    try:
        for chat in (-1, -2):
            store.upsert_chat(chat, "group", "ar")
        from bot.core.models import ItemRecord

        store.record(
            [ItemRecord(k, "f", k, "t", None, None, True, "feed_all", ("item:" + k,)) for k in "abc"],
            [OutboxRow(key, chat, "x", created_at=1.0) for chat, key in ((-1, "a"), (-1, "b"), (-2, "c"))],
        )
        store.hold([r.id or 0 for r in store.pending(10)])
        assert sorted(store.held_chats()) == [-2, -1] and store.pending(10) == []
        store.migrate_chat(-1, -100)
        assert [h[0] for h in store.held(-100)] and store.held(-1) == []
        assert store.deactivate_chat(-2, "blocked") == 1 and store.held(-2) == []
        ids = [h[0] for h in store.held(-100)]
        assert store.release_held(-100, ids, ["part 1", "part 2"], None, 5.0) == 2
        assert store.release_held(-100, ids, ["part 1", "part 2"], None, 6.0) == 0  # once only
        rows = store.pending(10)
        assert [r.html for r in rows] == ["part 1", "part 2"] and all(r.is_summary and r.item_key.startswith(SUMMARY_PREFIX) for r in rows)
        assert isinstance(rows[0], OutboxRow) and store.outbox_counts().get("summed") == 2
    finally:
        store.close()
