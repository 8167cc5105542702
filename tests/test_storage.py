"""Storage: ordered migrations upgrade old files and keep their data; dedup is atomic."""

from pathlib import Path

from sqlalchemy import create_engine, insert, select

from bot.core.models import ItemRecord, OutboxRow
from bot.storage import Store
from bot.storage import schema as s


def record(key: str, story: tuple[str, ...], breaking: bool = True) -> ItemRecord:
    return ItemRecord(key, "feed", "uid-" + key, "عنوان", None, None, breaking, "title_prefix" if breaking else None, story)


def test_fresh_database_is_at_latest_version(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    with store.engine.connect() as conn:
        assert s.current_version(conn) == s.LATEST
    assert store.upgraded_from == 0


def test_upgrade_from_v1_keeps_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        s.migrate(conn, target=1)
        conn.execute(insert(s.story_keys).values(key="link:abc", item_key="k1"))
        conn.execute(insert(s.feeds).values(id="bbc", url="https://x/rss", etag='"e1"', next_check=0, error_count=0))
    engine.dispose()
    store = Store(url)
    assert store.upgraded_from == 1
    assert store.known_story_keys(["link:abc", "link:zzz"]) == {"link:abc"}
    assert store.feed_state("bbc", "https://default").etag == '"e1"'
    with store.engine.connect() as conn:
        assert s.current_version(conn) == s.LATEST
        assert conn.execute(select(s.outbox)).all() == []  # new table exists


def test_same_item_is_never_recorded_twice(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    a = record("a", ("item:a", "link:x"))
    assert store.record([a], [OutboxRow("a", 1, "x")])[1] == 1
    assert store.record([a], [OutboxRow("a", 1, "x")]) == ([], 0)
    assert len(store.pending()) == 1


def test_same_story_from_second_feed_reaches_each_chat_once(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    store.record([record("a", ("item:a", "link:same"))], [OutboxRow("a", 1, "first copy")])
    # A second feed carries the same story (same link). Chat 1 already has
    # it; chat 2's topic is only in this fuller copy, so chat 2 gets it.
    stored, queued = store.record(
        [record("b", ("item:b", "link:same"))], [OutboxRow("b", 1, "second copy"), OutboxRow("b", 2, "second copy")]
    )
    assert (len(stored), queued) == (1, 1)
    assert sorted((r.chat_id, r.item_key, r.html) for r in store.pending()) == [(1, "a", "first copy"), (2, "a", "second copy")]


def test_concurrent_copies_in_one_batch_are_deduplicated(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    copies = [record("a", ("item:a", "title:t")), record("b", ("item:b", "title:t"))]
    stored, queued = store.record(copies, [OutboxRow("a", 1, "x"), OutboxRow("b", 1, "y")])
    assert (len(stored), queued) == (2, 1)


def test_pending_orders_breaking_first_then_oldest(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    store.record(
        [record(k, ("item:" + k,)) for k in "abc"],
        [OutboxRow("a", 1, "a", priority=1, created_at=1.0), OutboxRow("b", 1, "b", created_at=5.0), OutboxRow("c", 1, "c", created_at=3.0)],
    )
    assert [r.item_key for r in store.pending()] == ["c", "b", "a"]


def test_sent_alert_is_not_pending(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    store.record([record("a", ("item:a",))], [OutboxRow("a", 1, "x")])
    (row,) = store.pending()
    store.mark_sent(row.id or 0, 42)
    assert store.pending() == [] and store.outbox_counts() == {"sent": 1}
