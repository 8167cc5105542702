"""Issue 14: the compact outbox (v5), its migration from v4, and a refill that never sorts.

`check_v5_migration` and `check_column_queue` run here on SQLite and in tests/test_postgres.py on PostgreSQL.
"""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import create_engine, event, insert, inspect, select

from bot.core.decide import Policy, alert_columns, alerts_for
from bot.core.models import SUMMARY_PREFIX, FeedConfig, Item, ItemRecord, OutboxRow
from bot.core.prefs import ChatPrefs
from bot.core.subscriptions import ChatInfo, Subscriptions
from bot.core.vocab import STATUS_CODE, OutboxStatus
from bot.storage import Store
from bot.storage import schema as s

HTML = "🔴 <b>عاجل</b> | الأخبار\n\nاتصالات سرية بين طهران وواشنطن " + "ونص المقدمة " * 60
BIG_SUPER = -1001234567890


def item(key: str) -> ItemRecord:
    return ItemRecord(key, "f", key, "عنوان " + key, "https://x/" + key, None, True, "feed_all", ("item:" + key,))


def check_v5_migration(url: str) -> None:
    """A v4 database with pending, held, sent, failed and summary rows: after v5 none is lost, each is as it was."""
    engine = create_engine(url)
    v4 = s._outbox_v4
    with engine.begin() as conn:
        s.migrate(conn, target=4)
        for chat, lang in ((1, "ar"), (2, "en"), (3, "ar"), (BIG_SUPER, "ar")):
            conn.execute(insert(s.chats).values(id=chat, lang=lang, kind="private", created_at=1.0))
        conn.execute(insert(s.items).values(key="a", feed_id="f", uid="a", title="خبر أ", link="https://x/a", first_seen=10.0, breaking=True))
        rows = [
            # id, item, chat, thread, html, topics, status, attempts, next_attempt, created_at, sent_at, message_id, last_error
            (1, "a", 1, None, HTML, "غزة", "pending", 0, 0.0, 10.0, None, None, None),
            (2, "a", 3, None, HTML, "غزة", "pending", 2, 0.0, 10.0, None, None, "timeout"),  # same rendering as row 1
            (3, "a", 2, None, HTML + " en", "Gaza", "sent", 1, 0.0, 10.0, 12.0, 777, None),
            (4, "a", BIG_SUPER, 42, HTML, "غزة", "pending", 0, 0.0, 10.0, None, None, None),  # a forum thread
            (5, "b", 1, None, "<b>ب</b>", "", "held", 0, 0.0, 20.0, None, None, None),
            (6, "c", 1, None, "<b>ج</b>", "", "failed", 3, 0.0, 30.0, None, None, "Bad Request"),
            (7, f"{SUMMARY_PREFIX}9:0", 3, None, "ملخص", "", "pending", 0, 0.0, 40.0, None, None, None),
        ]
        conn.execute(insert(v4), [
            dict(zip(("id", "item_key", "chat_id", "thread_id", "html", "topics", "status", "attempts", "next_attempt", "created_at",
                      "sent_at", "message_id", "last_error"), r, strict=True))
            for r in rows
        ])
    engine.dispose()

    store = Store(url)
    try:
        assert store.upgraded_from == 4
        assert store.outbox_counts() == {"pending": 4, "sent": 1, "held": 1, "failed": 1}
        pending = {r.id: r for r in store.pending(100, now=time.time())}
        assert sorted(pending) == [1, 2, 4, 7]  # same ids, breaking first in the order they were queued
        one, two, four, seven = pending[1], pending[2], pending[4], pending[7]
        assert (one.item_key, one.chat_id, one.html, one.topics, one.thread_id, one.created_at, one.attempts) == ("a", 1, HTML, ("غزة",), None, 10.0, 0)
        assert two.attempts == 2 and two.alert_id == one.alert_id  # one stored rendering for both chats
        assert four.thread_id == 42 and four.alert_id != one.alert_id and four.chat_id == BIG_SUPER
        assert seven.is_summary and seven.html == "ملخص"
        assert store.held(1) == [(5, "", None, "", None)]
        with store.engine.connect() as conn:
            sent = conn.execute(select(s.outbox.c.message_id, s.outbox.c.sent_at).where(s.outbox.c.id == 3)).one()
            failed = conn.execute(select(s.outbox.c.last_error).where(s.outbox.c.id == 6)).scalar()
            assert not inspect(conn).has_table("outbox_v4")
        assert tuple(sent) == (777, 12.0) and failed == "Bad Request"
        # The queue goes on: new rows get new ids, sending records as before.
        assert store.record([item("d")], [OutboxRow("d", 2, "<b>د</b>")])[1] == 1
        new = [r for r in store.pending(100) if r.item_key == "d"]
        assert len(new) == 1 and (new[0].id or 0) > 7
        store.mark_sent_many([(r.id or 0, 100 + (r.id or 0), time.time()) for r in store.pending(100)])
        assert store.outbox_counts() == {"sent": 6, "held": 1, "failed": 1}
    finally:
        store.close()


def test_v5_migration_keeps_every_alert(tmp_path: Path) -> None:
    check_v5_migration(f"sqlite:///{tmp_path / 'v4.db'}")


def test_a_recipient_costs_at_most_100_bytes(tmp_path: Path) -> None:
    """One alert to 20,000 chats: the rendering once, a few integers per chat (v4: ~1,110 bytes each)."""
    store = Store(f"sqlite:///{tmp_path / 'size.db'}")
    try:
        before = store.db_bytes() or 0
        n = 20_000
        store.record([item("a")], [OutboxRow("a", 5_000_000_000 + c, HTML, ("الملف النووي",)) for c in range(n)])
        per_pending = ((store.db_bytes() or 0) - before) / n
        store.mark_sent_many([(r.id or 0, 1_000_000 + i, time.time()) for i, r in enumerate(store.pending(n))])
        per_sent = ((store.db_bytes() or 0) - before) / n
        print(f"\nbytes per recipient: {per_pending:.1f} pending, {per_sent:.1f} sent")
        assert per_pending <= 100 and per_sent <= 100
    finally:
        store.close()


def _plans(store: Store, call: object) -> list[str]:
    """EXPLAIN QUERY PLAN of the statements `call()` runs."""
    seen: list[tuple[str, object]] = []

    def note(_conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", note)
    try:
        call()  # type: ignore[operator]
    finally:
        event.remove(store.engine, "before_cursor_execute", note)
    out = []
    with store.engine.connect() as conn:
        for statement, parameters in seen:
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()  # type: ignore[arg-type]
            out.append(" / ".join(str(r[-1]) for r in plan))
    return out


def test_refill_reads_an_index_in_order_and_never_sorts(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'plan.db'}")
    try:
        store.record([item("a"), item("b")], [OutboxRow(k, c, HTML + k) for k in "ab" for c in range(1, 3000)])
        store.mark_sent_many([(i, i, time.time()) for i in range(1, 2000)])
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        first = store.pending(100)
        assert [r.id for r in first] == list(range(2000, 2100))
        nxt = store.pending(100, after=(first[-1].priority, first[-1].id or 0))
        assert [r.id for r in nxt] == list(range(2100, 2200))  # keyset paging: from where the last page ended
        for plan in (*_plans(store, lambda: store.pending(100)), *_plans(store, lambda: store.pending(100, after=(0, 2100)))):
            if "outbox" not in plan:
                continue  # the renderings' lookup by id
            print("\n" + plan)
            # The partial index, or (continuing within one priority) the id range itself: a seek, never a sort.
            assert ("ix_outbox_due" in plan or "rowid>?" in plan) and "TEMP B-TREE" not in plan, plan
        held = _plans(store, store.held_chats)
        assert all("ix_outbox_held" in p for p in held), held
    finally:
        store.close()


def test_update_alert_changes_pending_rows_and_returns_sent_messages(tmp_path: Path) -> None:
    """Story merging (later) edits a rendering: pending rows send the new text, sent ones can be edited."""
    store = Store(f"sqlite:///{tmp_path / 'edit.db'}")
    try:
        store.record([item("a")], [OutboxRow("a", c, "old") for c in (1, 2)])
        rows = store.pending(10)
        store.mark_sent(rows[0].id or 0, 55)
        assert store.update_alert(rows[0].alert_id or 0, "new") == [(rows[0].chat_id, 55)]
        assert [r.html for r in store.pending(10)] == ["new"]
        with store.engine.connect() as conn:
            assert conn.execute(select(s.alerts.c.updated_at)).scalar() is not None
    finally:
        store.close()


def test_status_codes_never_change() -> None:
    """Stored numbers: renumbering would silently change every existing row's meaning."""
    assert {st.value: code for st, code in STATUS_CODE.items()} == {
        "pending": 0, "sent": 1, "dropped": 2, "failed": 3, "held": 4, "summed": 5,
    }
    assert set(STATUS_CODE) == set(OutboxStatus)


def test_pre_serialised_bodies_are_the_same_bytes_and_follow_an_edited_rendering() -> None:
    import json

    from bot.telegram.fast_sender import HttpSender, _body

    sender = HttpSender("1:x", "http://127.0.0.1:9/bot", paid_broadcast=True)
    html = '🔴 <b>عاجل</b> | "مقتبس" \\ \n' + HTML
    rows = [OutboxRow("a", c, html, thread_id=t, alert_id=1, silent=q, preview=p)
            for c in (5, BIG_SUPER) for t in (None, 7) for q in (False, True) for p in (False, True)]
    for row in rows:
        assert sender.body(row) == _body(row, True)
    edited = OutboxRow("a", 5, html + " (محدث)", alert_id=1)
    assert json.loads(sender.body(edited))["text"] == html + " (محدث)"
    plain = HttpSender("1:x", "http://127.0.0.1:9/bot")
    assert json.loads(plain.body(OutboxRow("a", 5, "x", alert_id=2))) == {
        "chat_id": 5, "text": "x", "parse_mode": "HTML", "link_preview_options": {"is_disabled": True},
    }


def column_audience() -> tuple[Subscriptions, Item, FeedConfig]:
    """Chats that differ in what changes their alert: language, lead, time zone, forum thread, topics."""
    subs = Subscriptions()
    for chat in range(1, 301):
        info = ChatInfo(
            "en" if chat % 5 == 0 else "ar",
            thread_id=7 if chat % 11 == 0 else None,
            prefs=ChatPrefs(lead=chat % 3 != 0, timezone="Africa/Cairo" if chat % 4 == 0 else None),
        )
        subs.set_chat(chat, info)
        subs.add(chat, "الملف النووي")
        if chat % 7 == 0:
            subs.add(chat, "طهران")
    subs.add(9, "النووي", "exclude")
    item = Item("f", "n-1", "عاجل: اتصالات سرية بين طهران وواشنطن حول الملف النووي", "تمهيدًا لاستئناف المفاوضات النووية.")
    return subs, item, FeedConfig("f", "الأخبار", "https://news.example/f.xml", 60)


def test_column_wise_chunks_say_what_per_row_alerts_say() -> None:
    """`alert_columns` over `Subscriptions.members` gives the same rows, texts and priorities as `alerts_for` over `expand`."""
    subs, it, feed = column_audience()
    audience = subs.audience(it)
    policy, now = Policy(max_age_hours=None), 1_000.0
    rows: list[OutboxRow] = []
    for chunk in subs.expand(audience, first=20, chunk=100):
        rows += alerts_for(it, "k", feed, chunk, policy, now, {}, (), len(rows))
    cols: list[OutboxRow] = []
    for members in subs.members(audience, first=20, chunk=100):
        cols += alert_columns(it, "k", feed, members, policy, now, {}, (), len(cols)).rows()
    assert len(rows) == 299 and cols == rows
    assert [r.priority for r in cols[:31]] == [-1] + [0] * 29 + [1]  # a story's first recipients go first, across chunks
    assert len({(r.html, r.topics, r.thread_id, r.lang) for r in cols}) > 4  # several renderings in one chunk


def check_column_queue(url: str) -> None:
    """`queue_columns` writes what `queue` writes for the same chunk, skips chats that already have the story
    (check_taken), and files a later copy under the story's first item."""
    subs, it, feed = column_audience()
    policy, now = Policy(max_age_hours=None), 1_000.0
    members = next(subs.members(subs.audience(it), first=1000))
    store = Store(url)
    try:
        for key in ("a", "b"):
            cols = alert_columns(it, key, feed, members, policy, now, {}, (), 0)
            if key == "a":
                assert store.queue([item("a")], cols.rows(), now) == 299
            else:
                assert store.queue_columns([item("b")], cols, now) == 299
        pending = store.pending(10_000, now=now + 1)
        per_key = {k: [(r.chat_id, r.html, r.topics, r.thread_id, r.priority, r.lang, r.created_at) for r in pending if r.item_key == k]
                   for k in ("a", "b")}
        assert len(per_key["b"]) == 299 and per_key["b"] == per_key["a"]
        order = {c: i for i, (c, _, _) in enumerate(members)}
        b_rows = [r for r in pending if r.item_key == "b"]
        for group in {(r.alert_id, r.priority) for r in b_rows}:  # queued order kept for each rendering and priority
            chats = [r.chat_id for r in b_rows if (r.alert_id, r.priority) == group]
            assert chats == sorted(chats, key=order.__getitem__)
        assert [r.priority for r in b_rows] == sorted(r.priority for r in b_rows)
        # Again (a poll that fell over midway and starts over): nobody gets it twice.
        again = alert_columns(it, "b", feed, members, policy, now, {}, (), 0)
        assert store.queue_columns([item("b")], again, now, check_taken=True) == 0
        # A second copy of story b, seen in another feed once b is recorded: filed under b, only for chats b did not reach.
        store.record([item("b")], [], now)
        copy = ItemRecord("c", "g", "c", "نسخة", None, None, True, "feed_all", ("item:c", "item:b"))
        more = Subscriptions()
        for chat in (1, 2, 1000):
            more.add(chat, "الملف النووي")
        late = alert_columns(it, "c", feed, next(more.members(more.audience(it))), policy, now, {}, (), 0)
        assert store.queue_columns([copy], late, now, check_taken=True) == 1
        assert [r.item_key for r in store.pending(10_000, now=now + 1) if r.chat_id == 1000] == ["b"]
    finally:
        store.close()


def test_column_queue_writes_what_queue_writes(tmp_path: Path) -> None:
    check_column_queue(f"sqlite:///{tmp_path / 'bot.db'}")


def test_a_large_batch_is_queued_breaking_first_then_oldest(tmp_path: Path) -> None:
    """Large batches are written a rendering at a time (JSON arrays on SQLite): the refill's order stays
    breaking first, then oldest first, whatever order the rows came in."""
    store = Store(f"sqlite:///{tmp_path / 'bot.db'}")
    rows = []
    for chat in range(1, 301):  # two stories' rows interleaved, the newer one's first
        rows.append(OutboxRow("new", chat, "<b>جديد</b>", priority=1, created_at=20.0))
        rows.append(OutboxRow("old", chat, "<b>قديم</b>", priority=1, created_at=10.0))
    rows.append(OutboxRow("new", 999, "<b>جديد</b>", priority=0, created_at=20.0))
    assert store.record([item("new"), item("old")], rows, 30.0)[1] == 601
    got = [(r.priority, r.item_key, r.chat_id) for r in store.pending(1000, now=40.0)]
    assert got == [(0, "new", 999)] + [(1, "old", c) for c in range(1, 301)] + [(1, "new", c) for c in range(1, 301)]
    store.close()
