"""The store on PostgreSQL: the same behaviour as on SQLite, checked for real.

Runs only when AJEL_TEST_POSTGRES_URL points at a PostgreSQL database the
test user may create schemas in, e.g.

    AJEL_TEST_POSTGRES_URL=postgresql+psycopg://ajel:ajel@127.0.0.1:55432/ajel_test

Each test gets its own, freshly created schema (via the connection's
`search_path`), dropped afterwards, so tests never see each other's tables.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, insert, inspect, select, text, update
from sqlalchemy.engine import make_url

from bot.core.models import ItemRecord, OutboxRow
from bot.core.vocab import STATUS_CODE, OutboxStatus
from bot.storage import Store
from bot.storage import schema as s
from bot.storage.store import FeedState
from tests.pg_schema import empty_schema

PG_URL = os.environ.get("AJEL_TEST_POSTGRES_URL", "")

pytestmark = pytest.mark.skipif(
    not PG_URL,
    reason="PostgreSQL tests need AJEL_TEST_POSTGRES_URL (e.g. postgresql+psycopg://user:pw@127.0.0.1:5432/db)",
)

BIG_GROUP = -1234567890  # a basic group id
BIG_SUPER = -1001234567890  # the supergroup it becomes: beyond 32 bits
ARABIC = "غزة: وقف إطلاق النار «عاجل» – الأمم المتحدة"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL whose connections see only a new, empty schema."""
    with empty_schema(PG_URL, "t_") as url:
        yield url


@pytest.fixture
def store(pg_url: str) -> Iterator[Store]:
    st = Store(pg_url)
    assert st.engine.dialect.name == "postgresql"
    try:
        yield st
    finally:
        st.close()


def record(key: str, story: tuple[str, ...], breaking: bool = True, title: str = "عنوان") -> ItemRecord:
    return ItemRecord(key, "feed", "uid-" + key, title, None, None, breaking, "title_prefix" if breaking else None, story)


# --- schema and migrations ----------------------------------------------------


def test_fresh_database_is_at_latest_version(store: Store, pg_url: str) -> None:
    assert store.upgraded_from == 0
    with store.engine.connect() as conn:
        assert s.current_version(conn) == s.LATEST
        assert conn.execute(select(s.schema_version.c.version)).scalars().all() == [s.LATEST]
        # the tables really are in the per-test schema, not in public
        assert conn.execute(text("select current_schema()")).scalar() in pg_url
    store.close()
    again = Store(pg_url)  # reopening an up-to-date database changes nothing
    try:
        assert again.upgraded_from == s.LATEST
    finally:
        again.close()


def test_column_types_are_native(store: Store) -> None:
    cols = {c["name"]: c for c in inspect(store.engine).get_columns("chats")}
    assert type(cols["id"]["type"]).__name__ == "BIGINT"
    assert type(cols["active"]["type"]).__name__ == "BOOLEAN"
    assert type(cols["created_at"]["type"]).__name__ in ("DOUBLE_PRECISION", "DOUBLE", "FLOAT")
    ob = {c["name"]: c for c in inspect(store.engine).get_columns("outbox")}
    assert type(ob["chat_id"]["type"]).__name__ == "BIGINT"
    assert type(ob["message_id"]["type"]).__name__ == "BIGINT"


def test_boolean_server_defaults(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.execute(insert(s.chats).values(id=5, created_at=1.0))  # rely on server defaults
        row = conn.execute(select(s.chats).where(s.chats.c.id == 5)).mappings().one()
    assert (row["active"], row["paused"], row["all_breaking"]) == (True, False, False)
    assert (row["kind"], row["lang"]) == ("private", "ar")
    chat = store.chat(5)
    assert chat is not None and chat.active and not chat.paused and not chat.all_breaking


def test_upgrade_from_v1_keeps_data(pg_url: str) -> None:
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        assert s.migrate(conn, target=1) == 0
        assert s.current_version(conn) == 1
        assert not inspect(conn).has_table("outbox")
        conn.execute(insert(s.story_keys).values(key="link:abc", item_key="k1"))
        conn.execute(insert(s.feeds).values(id="bbc", url="https://x/rss", etag='"e1"', next_check=0, error_count=0))
    engine.dispose()
    store = Store(pg_url)
    try:
        assert store.upgraded_from == 1
        assert store.known_story_keys(["link:abc", "link:zzz"]) == {"link:abc"}
        assert store.feed_state("bbc", "https://default").etag == '"e1"'
        with store.engine.connect() as conn:
            assert s.current_version(conn) == s.LATEST
            assert conn.execute(select(s.outbox)).all() == []  # new tables exist
            assert conn.execute(select(s.chats)).all() == []
    finally:
        store.close()


def test_feed_state_insert_then_update(store: Store) -> None:
    now = time.time()
    store.save_feed_state(FeedState("aj", "https://a/rss", etag='W/"1"', next_check=now))
    store.save_feed_state(FeedState("aj", "https://b/rss", etag='W/"2"', next_check=now + 60, error_count=2, last_error="خطأ"))
    st = store.feed_state("aj", "https://default")
    assert (st.url, st.etag, st.error_count, st.last_error) == ("https://b/rss", 'W/"2"', 2, "خطأ")
    assert st.next_check == now + 60  # float timestamps round-trip exactly (double precision)
    assert [f.feed_id for f in store.feed_states()] == ["aj"]


# --- items and dedup (mirrors tests/test_storage.py) --------------------------


def test_same_item_is_never_recorded_twice(store: Store) -> None:
    a = record("a", ("item:a", "link:x"))
    assert store.record([a], [OutboxRow("a", 1, "x")])[1] == 1
    assert store.record([a], [OutboxRow("a", 1, "x")]) == ([], 0)
    assert len(store.pending()) == 1
    assert store.count_items() == 1


def test_same_story_from_second_feed_reaches_each_chat_once(store: Store) -> None:
    store.record([record("a", ("item:a", "link:same"))], [OutboxRow("a", 1, "first copy")])
    stored, queued = store.record(
        [record("b", ("item:b", "link:same"))], [OutboxRow("b", 1, "second copy"), OutboxRow("b", 2, "second copy")]
    )
    assert (len(stored), queued) == (1, 1)
    assert sorted((r.chat_id, r.item_key, r.html) for r in store.pending()) == [(1, "a", "first copy"), (2, "a", "second copy")]
    assert store.known_story_keys(["item:a", "item:b", "link:same", "link:other"]) == {"item:a", "item:b", "link:same"}


def test_concurrent_copies_in_one_batch_are_deduplicated(store: Store) -> None:
    copies = [record("a", ("item:a", "title:t")), record("b", ("item:b", "title:t"))]
    stored, queued = store.record(copies, [OutboxRow("a", 1, "x"), OutboxRow("b", 1, "y")])
    assert (len(stored), queued) == (2, 1)


def test_pending_orders_breaking_first_then_oldest(store: Store) -> None:
    store.record(
        [record(k, ("item:" + k,)) for k in "abc"],
        [OutboxRow("a", 1, "a", priority=1, created_at=1.0), OutboxRow("b", 1, "b", created_at=5.0), OutboxRow("c", 1, "c", created_at=3.0)],
    )
    assert [r.item_key for r in store.pending()] == ["c", "b", "a"]
    assert [r.item_key for r in store.pending(limit=2)] == ["c", "b"]


def test_outbox_lifecycle(store: Store) -> None:
    t0 = 1_700_000_000.25
    store.record(
        [record(k, ("item:" + k,), title=ARABIC) for k in "abcd"],
        [
            OutboxRow(k, BIG_SUPER, f"<b>{ARABIC}</b> {k}", topics=("غزة", "الأمم المتحدة"), thread_id=7, created_at=t0)
            for k in "abcd"
        ],
        now=t0,
    )
    rows = store.pending(now=t0)
    assert [r.item_key for r in rows] == ["a", "b", "c", "d"]
    a, b, c, d = rows
    assert (a.chat_id, a.thread_id, a.html, a.topics, a.attempts) == (BIG_SUPER, 7, f"<b>{ARABIC}</b> a", ("غزة", "الأمم المتحدة"), 0)
    assert store.next_due() == 0.0

    store.mark_sent(a.id or 0, 9_876_543_210, now=t0 + 2.5)  # message ids may exceed 32 bits
    store.retry_later(b.id or 0, at=t0 + 30, error="429 Too Many Requests " + "x" * 1000)
    store.drop(c.id or 0, "403: bot was blocked by the user")
    assert [r.item_key for r in store.pending(now=t0)] == ["d"]
    (later,) = [r for r in store.pending(now=t0 + 31) if r.item_key == "b"]
    assert later.attempts == 1
    store.retry_later(b.id or 0, at=t0 + 60, error="again")
    assert [r.attempts for r in store.pending(now=t0 + 61) if r.item_key == "b"] == [2]
    assert store.next_due() == 0.0  # d is still due at once

    store.mark_sent_many([(d.id or 0, 11, t0 + 4.0), (b.id or 0, None, t0 + 70.0)])
    assert store.outbox_counts() == {"sent": 3, "dropped": 1}
    assert store.pending(now=t0 + 1000) == []
    assert store.next_due() is None
    assert sorted(store.sent_delays(since=t0)) == [2.5, 4.0, 70.0]
    assert sorted(store.sent_delays(since=t0 + 3)) == [4.0, 70.0]
    with store.engine.connect() as conn:
        joined = s.outbox.join(s.alerts, s.alerts.c.id == s.outbox.c.alert_id)
        errs = dict(conn.execute(select(s.alerts.c.item_key, s.outbox.c.last_error).select_from(joined)).all())
        msg = conn.execute(select(s.outbox.c.message_id).select_from(joined).where(s.alerts.c.item_key == "a")).scalar()
    assert errs["c"] == "403: bot was blocked by the user"
    assert errs["a"] is None and errs["b"] is None  # cleared when sent
    assert msg == 9_876_543_210
    assert store.delete_outbox_for(BIG_SUPER) == 4
    assert store.outbox_counts() == {}


def test_arabic_text_round_trips(store: Store) -> None:
    store.upsert_chat(BIG_SUPER, "supergroup", "ar")
    assert store.add_topic(BIG_SUPER, "وقف إطلاق النار", "وقف اطلاق النار")
    store.record([record("a", ("item:a",), title=ARABIC)], [OutboxRow("a", BIG_SUPER, ARABIC, topics=("وقف إطلاق النار",))])
    with store.engine.connect() as conn:
        assert conn.execute(select(s.items.c.title)).scalar() == ARABIC
    (t,) = store.topics(BIG_SUPER)
    assert (t.text, t.key) == ("وقف إطلاق النار", "وقف اطلاق النار")
    (row,) = store.pending()
    assert (row.html, row.topics) == (ARABIC, ("وقف إطلاق النار",))


# --- chats and topics ---------------------------------------------------------


def test_upsert_chat_and_flags(store: Store) -> None:
    assert store.upsert_chat(BIG_SUPER, "supergroup", "ar", thread_id=12) is True
    assert store.upsert_chat(BIG_SUPER, "supergroup", "en", thread_id=None) is False  # already active
    chat = store.chat(BIG_SUPER)
    assert chat is not None
    assert (chat.id, chat.kind, chat.lang, chat.thread_id, chat.active, chat.paused, chat.all_breaking) == (
        BIG_SUPER, "supergroup", "en", None, True, False, False,
    )
    store.set_chat(BIG_SUPER, paused=True, all_breaking=True, lang="ar", thread_id=2**40)
    chat = store.chat(BIG_SUPER)
    assert chat is not None and (chat.paused, chat.all_breaking, chat.lang, chat.thread_id) == (True, True, "ar", 2**40)
    store.set_chat(BIG_SUPER, active=False)
    assert store.upsert_chat(BIG_SUPER, "supergroup", "ar") is True  # re-activated
    assert store.chat(-42) is None


def test_topics_add_duplicate_remove_clear(store: Store) -> None:
    store.upsert_chat(1, "private", "ar")
    assert store.add_topic(1, "غزة", "غزه") is True
    assert store.add_topic(1, "غزّة", "غزه") is False  # same key: IntegrityError handled
    assert store.add_topic(1, "غزة", "غزه", kind="exclude") is True  # same key, other kind
    assert store.add_topic(1, "لبنان", "لبنان") is True
    # the failed insert left the pool usable and nothing half-written
    assert [(t.text, t.kind) for t in store.topics(1)] == [("غزة", "topic"), ("غزة", "exclude"), ("لبنان", "topic")]
    assert [t.key for t in store.topics(1, "exclude")] == ["غزه"]
    assert store.add_topic(999, "x", "x") is False  # unknown chat: foreign key violation
    first = store.topics(1)[0]
    assert store.remove_topic(2, first.id) is None  # not that chat's topic
    removed = store.remove_topic(1, first.id)
    assert removed is not None and (removed.id, removed.text, removed.chat_id) == (first.id, "غزة", 1)
    assert store.remove_topic(1, first.id) is None
    assert store.add_topic(1, "غزة", "غزه") is True  # can be re-added after removal
    cleared = store.clear_topics(1)  # /clear: the topics; the excluded words stay
    assert sorted(t.key for t in cleared) == ["غزه", "لبنان"]
    assert [(t.text, t.kind) for t in store.topics(1)] == [("غزة", "exclude")]


def test_deactivate_chat_drops_its_queue(store: Store) -> None:
    store.upsert_chat(BIG_SUPER, "supergroup", "ar")
    store.upsert_chat(2, "private", "ar")
    store.record(
        [record(k, ("item:" + k,)) for k in "ab"],
        [OutboxRow("a", BIG_SUPER, "a"), OutboxRow("b", BIG_SUPER, "b"), OutboxRow("a", 2, "a")],
    )
    sent = next(r for r in store.pending() if r.chat_id == BIG_SUPER)
    store.mark_sent(sent.id or 0, 1)
    assert store.deactivate_chat(BIG_SUPER, "Forbidden: bot was kicked " + "!" * 600) == 1  # rowcount
    assert store.deactivate_chat(BIG_SUPER, "again") == 0
    chat = store.chat(BIG_SUPER)
    assert chat is not None and chat.active is False
    assert [r.chat_id for r in store.pending()] == [2]
    assert store.outbox_counts() == {"pending": 1, "sent": 1, "dropped": 1}
    with store.engine.connect() as conn:
        err = conn.execute(select(s.outbox.c.last_error).where(s.outbox.c.status == STATUS_CODE[OutboxStatus.DROPPED])).scalar()
    assert err is not None and len(err) == 500


def test_migrate_chat_moves_topics_and_queue(store: Store) -> None:
    store.upsert_chat(BIG_GROUP, "group", "ar", thread_id=None)
    store.set_chat(BIG_GROUP, all_breaking=True)
    store.add_topic(BIG_GROUP, "غزة", "غزه")
    store.add_topic(BIG_GROUP, "رياضة", "رياضه", kind="exclude")
    store.record([record(k, ("item:" + k,)) for k in "ab"], [OutboxRow("a", BIG_GROUP, "a"), OutboxRow("b", BIG_GROUP, "b")])
    sent = store.pending()[0]
    store.mark_sent(sent.id or 0, 5)
    before = store.topics(BIG_GROUP)

    store.migrate_chat(BIG_GROUP, BIG_SUPER)

    assert store.chat(BIG_GROUP) is None
    chat = store.chat(BIG_SUPER)
    assert chat is not None and (chat.kind, chat.lang, chat.all_breaking, chat.active) == ("supergroup", "ar", True, True)
    after = store.topics(BIG_SUPER)
    assert [(t.id, t.text, t.key, t.kind) for t in after] == [(t.id, t.text, t.key, t.kind) for t in before]
    assert store.topics(BIG_GROUP) == []
    assert [(r.chat_id, r.item_key) for r in store.pending()] == [(BIG_SUPER, "b")]  # pending follows
    with store.engine.connect() as conn:
        old_sent = conn.execute(select(s.outbox.c.chat_id).where(s.outbox.c.status == STATUS_CODE[OutboxStatus.SENT])).scalar()
    assert old_sent == BIG_GROUP  # history stays where it was sent
    assert store.chat_counts() == (1, 1)
    store.migrate_chat(BIG_GROUP, BIG_SUPER)  # a repeated migration event is harmless
    assert len(store.topics(BIG_SUPER)) == 2


def test_migrate_chat_when_new_id_already_known(store: Store) -> None:
    store.upsert_chat(BIG_GROUP, "group", "ar")
    store.add_topic(BIG_GROUP, "غزة", "غزه")
    store.upsert_chat(BIG_SUPER, "supergroup", "en")  # the supergroup wrote to us first
    store.add_topic(BIG_SUPER, "لبنان", "لبنان")
    store.migrate_chat(BIG_GROUP, BIG_SUPER)
    assert store.chat(BIG_GROUP) is None
    chat = store.chat(BIG_SUPER)
    assert chat is not None and chat.lang == "en"
    assert sorted(t.text for t in store.topics(BIG_SUPER)) == ["غزة", "لبنان"]


def test_chat_id_update_cascades_to_topics(store: Store) -> None:
    store.upsert_chat(BIG_GROUP, "group", "ar")
    store.add_topic(BIG_GROUP, "غزة", "غزه")
    with store.engine.begin() as conn:
        conn.execute(update(s.chats).where(s.chats.c.id == BIG_GROUP).values(id=BIG_SUPER))
    assert [t.chat_id for t in store.topics(BIG_SUPER)] == [BIG_SUPER]


def test_delete_chat_removes_everything_including_past_alerts(store: Store) -> None:
    store.upsert_chat(BIG_SUPER, "supergroup", "ar")
    store.upsert_chat(2, "private", "ar")
    store.add_topic(BIG_SUPER, "غزة", "غزه")
    store.add_topic(2, "غزة", "غزه")
    store.record([record(k, ("item:" + k,)) for k in "ab"], [OutboxRow("a", BIG_SUPER, "a"), OutboxRow("b", BIG_SUPER, "b"), OutboxRow("a", 2, "a")])
    store.mark_sent(store.pending()[0].id or 0, 1)
    store.delete_chat(BIG_SUPER)
    assert store.chat(BIG_SUPER) is None and store.topics(BIG_SUPER) == []
    assert [r.chat_id for r in store.pending()] == [2]
    # /stop deletes the chat's past alerts (with their topics) too (issue 8, item 11).
    assert store.outbox_counts() == {"pending": 1}
    assert [t.chat_id for t in store.topics(2)] == [2]


def test_subscribers_and_counts(store: Store) -> None:
    store.upsert_chat(1, "private", "ar")
    store.upsert_chat(BIG_SUPER, "supergroup", "en", thread_id=3)
    store.upsert_chat(3, "private", "ar")  # paused
    store.upsert_chat(4, "private", "ar")  # inactive
    for cid in (1, BIG_SUPER, 3, 4):
        store.add_topic(cid, "غزة", "غزه")
    store.add_topic(1, "رياضة", "رياضه", kind="exclude")
    store.set_chat(3, paused=True)
    store.deactivate_chat(4, "blocked")
    subs = {chat.id: (chat, [t.text for t in topics]) for chat, topics in store.subscribers()}
    assert set(subs) == {1, BIG_SUPER}
    assert subs[1][1] == ["غزة", "رياضة"]
    assert subs[BIG_SUPER][0].thread_id == 3 and subs[BIG_SUPER][1] == ["غزة"]
    assert store.chat_counts() == (3, 3)  # active chats (paused included); their "topic" topics


def test_migrate_chat_when_new_id_has_the_same_topic_and_alert(store: Store) -> None:
    store.upsert_chat(BIG_GROUP, "group", "ar")
    store.add_topic(BIG_GROUP, "غزة", "غزه")
    store.add_topic(BIG_GROUP, "لبنان", "لبنان")
    store.upsert_chat(BIG_SUPER, "supergroup", "ar")
    store.add_topic(BIG_SUPER, "غزّة", "غزه")  # same key: would violate uq_topic_per_chat
    store.record([record("a", ("item:a",))], [OutboxRow("a", BIG_GROUP, "old"), OutboxRow("a", BIG_SUPER, "new")])
    store.migrate_chat(BIG_GROUP, BIG_SUPER)  # would violate uq_alert_once too
    assert store.chat(BIG_GROUP) is None
    assert sorted(t.text for t in store.topics(BIG_SUPER)) == ["غزّة", "لبنان"]
    assert [(r.chat_id, r.html) for r in store.pending()] == [(BIG_SUPER, "new")]


# --- what PostgreSQL does differently ------------------------------------------


def test_nul_characters_are_dropped_not_fatal(store: Store) -> None:
    # A malformed feed can carry NULs; PostgreSQL text cannot store them.
    bad = ItemRecord("k", "feed", "g:g\x00x", "عاجل\x00 خبر", "http://x/\x00y", None, True, "title_prefix", ("item:k",))
    stored, queued = store.record([bad], [OutboxRow("k", 1, "<b>خبر\x00</b>", topics=("غزة\x00",))])
    assert (len(stored), queued) == (1, 1)
    with store.engine.connect() as conn:
        item = conn.execute(select(s.items.c.uid, s.items.c.title, s.items.c.link)).one()
    assert tuple(item) == ("g:gx", "عاجل خبر", "http://x/y")
    (row,) = store.pending()
    assert (row.html, row.topics) == ("<b>خبر</b>", ("غزة",))
    store.retry_later(row.id or 0, 0.0, "boom\x00")
    store.save_feed_state(FeedState("f", "https://x/\x00", etag='"\x00"', last_error="unparseable feed: \x00"))
    st = store.feed_state("f", "https://default")
    assert (st.url, st.etag, st.last_error) == ("https://x/", '""', "unparseable feed: ")
    store.upsert_chat(1, "private", "ar")
    assert store.add_topic(1, "غزة\x00", "غزه\x00") is True
    assert [(t.text, t.key) for t in store.topics(1)] == [("غزة", "غزه")]


def test_store_survives_server_dropping_its_connections(pg_url: str) -> None:
    app = "ajel_test_" + uuid.uuid4().hex[:8]
    url = make_url(pg_url).update_query_dict({"application_name": app}).render_as_string(hide_password=False)
    store = Store(url)
    admin = create_engine(PG_URL)
    try:
        store.upsert_chat(1, "private", "ar")  # leaves a connection in the pool
        with admin.begin() as conn:  # what a server restart or an idle timeout does
            killed = conn.execute(
                text("select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name = :a"), {"a": app}
            ).scalar()
        assert killed >= 1
        assert store.chat_counts() == (1, 0)  # the dead connection is replaced, not raised
    finally:
        store.close()
        admin.dispose()


# --- issue 14: the compact outbox ------------------------------------------------


def test_v5_migration_keeps_every_alert(pg_url: str) -> None:
    from tests.test_outbox_compact import check_v5_migration

    check_v5_migration(pg_url)


def test_column_queue_writes_what_queue_writes(pg_url: str) -> None:
    from tests.test_outbox_compact import check_column_queue

    check_column_queue(pg_url)


def test_refill_is_served_by_the_pending_index_without_a_sort(store: Store) -> None:
    """PostgreSQL can read the partial index in the refill's order: with sorting priced out, no Sort node remains."""
    store.record([record("a", ("item:a",))], [OutboxRow("a", c, "x") for c in range(1, 3001)])
    store.mark_sent_many([(i, i, time.time()) for i in range(1, 1001)])
    first = store.pending(100)
    assert [r.id for r in first] == list(range(1001, 1101))
    assert [r.id for r in store.pending(100, after=(0, 1100))] == list(range(1101, 1201))
    with store.engine.begin() as conn:
        conn.execute(text("ANALYZE outbox"))
        conn.execute(text("SET LOCAL enable_sort = off"))
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(conn.execute(text(
            "EXPLAIN SELECT id FROM outbox WHERE status = 0 AND next_attempt <= 1e12 ORDER BY priority, id LIMIT 1000"
        )).scalars())
    assert "ix_outbox_due" in plan and "Sort" not in plan, plan
