"""Tables and ordered migrations. Portable SQL: runs on SQLite and PostgreSQL.

Each migration is a function applied once, in order, inside a transaction;
`schema_version` records how far a database has come. New versions append a
migration; they never edit an old one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table


class _NulFree:
    """Drops NUL characters on the way in: PostgreSQL text cannot hold them
    (psycopg raises DataError) and a malformed feed can carry them. Same DDL
    as the wrapped type, so no migration is needed."""

    def process_bind_param(self, value, dialect):  # type: ignore[no-untyped-def]
        return value.replace("\x00", "") if isinstance(value, str) else value


class NulFreeText(_NulFree, TypeDecorator):  # type: ignore[type-arg]
    impl = Text
    cache_ok = True


class NulFreeString(_NulFree, TypeDecorator):  # type: ignore[type-arg]
    impl = String
    cache_ok = True


metadata = MetaData()

schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))

feeds = Table(
    "feeds",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("url", NulFreeText, nullable=False),  # current URL, after permanent redirects
    Column("etag", NulFreeText),
    Column("last_modified", NulFreeText),
    Column("next_check", Float, nullable=False, server_default=text("0")),
    Column("error_count", Integer, nullable=False, server_default=text("0")),
    Column("last_error", NulFreeText),
    Column("last_checked", Float),
    Column("last_success", Float),
    Column("item_errors", Integer, nullable=False, server_default=text("0")),  # entries skipped in the last poll
)

items = Table(
    "items",
    metadata,
    Column("key", String(64), primary_key=True),  # hash of feed id + item uid
    Column("feed_id", String(64), nullable=False),
    Column("uid", NulFreeText, nullable=False),
    Column("title", NulFreeText, nullable=False),
    Column("link", NulFreeText),
    Column("published", Float),
    Column("first_seen", Float, nullable=False),
    Column("breaking", Boolean, nullable=False),
    Column("reason", String(32)),
)

# Every way we can recognise a story again (its own key, its link, its
# headline): a second feed carrying the same story hits one of these.
story_keys = Table(
    "story_keys",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("item_key", String(64), nullable=False),
)

# (column, type, server default (None: nullable), DDL for ALTER TABLE ADD COLUMN)
_CHAT_SETTINGS: tuple[tuple[str, Any, str | None, str], ...] = (
    ("lang_locked", Boolean, "'0'", "BOOLEAN NOT NULL DEFAULT '0'"),
    ("timezone", String(64), None, "VARCHAR(64)"),
    ("quiet_start", Integer, None, "INTEGER"),
    ("quiet_end", Integer, None, "INTEGER"),
    ("quiet_mode", String(8), "'silent'", "VARCHAR(8) NOT NULL DEFAULT 'silent'"),
    ("silent", Boolean, "'0'", "BOOLEAN NOT NULL DEFAULT '0'"),
    ("previews", Boolean, "'0'", "BOOLEAN NOT NULL DEFAULT '0'"),
    ("lead", Boolean, "'1'", "BOOLEAN NOT NULL DEFAULT '1'"),
    ("ring_topics", NulFreeText, "''", "TEXT NOT NULL DEFAULT ''"),  # topic keys that ring even in quiet hours, one per line
)

chats = Table(
    "chats",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("kind", String(16), nullable=False, server_default=text("'private'")),
    Column("lang", String(8), nullable=False, server_default=text("'ar'")),
    Column("thread_id", BigInteger),
    Column("active", Boolean, nullable=False, server_default=text("'1'")),
    Column("paused", Boolean, nullable=False, server_default=text("'0'")),
    Column("all_breaking", Boolean, nullable=False, server_default=text("'0'")),
    Column("created_at", Float, nullable=False),
    # /settings (v4); see bot.core.prefs.ChatPrefs for their meaning and defaults.
    *(Column(name, type_, nullable=default is None, server_default=text(default) if default else None) for name, type_, default, _ in _CHAT_SETTINGS),
)

topics = Table(
    "topics",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("chat_id", BigInteger, ForeignKey("chats.id", ondelete="CASCADE", onupdate="CASCADE"), nullable=False),
    Column("text", NulFreeString(200), nullable=False),  # as the user wrote it
    Column("key", NulFreeString(400), nullable=False),  # normalized identity
    Column("kind", String(8), nullable=False, server_default=text("'topic'")),  # topic | exclude
    Column("created_at", Float, nullable=False),
    UniqueConstraint("chat_id", "key", "kind", name="uq_topic_per_chat"),
)

# The outbox as it was up to v4: the whole alert on every row (~1,110 bytes a
# recipient). Frozen here so that _v2 still creates exactly that; _v5 converts it.
_legacy = MetaData()
_outbox_v4 = Table(
    "outbox",
    _legacy,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_key", String(64), nullable=False),
    Column("chat_id", BigInteger, nullable=False),
    Column("thread_id", BigInteger),
    Column("html", NulFreeText, nullable=False),
    Column("topics", NulFreeText, nullable=False, server_default=text("''")),  # newline-separated
    Column("priority", Integer, nullable=False, server_default=text("0")),  # 0 = breaking
    Column("status", String(8), nullable=False, server_default=text("'pending'")),  # pending | sent | dropped
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_attempt", Float, nullable=False, server_default=text("0")),
    Column("created_at", Float, nullable=False),  # when the item was first seen
    Column("sent_at", Float),
    Column("message_id", BigInteger),
    Column("last_error", NulFreeText),
    UniqueConstraint("item_key", "chat_id", name="uq_alert_once"),
)
Index("ix_outbox_pending", _outbox_v4.c.status, _outbox_v4.c.priority, _outbox_v4.c.next_attempt, _outbox_v4.c.id)

# v5: each rendered alert is stored once per variant (story, language, topics
# shown, thread); the outbox row that sends it to one chat is a few integers.
# A variant's html may be updated later (an edited story): its rows keep
# their message_id, so the message already sent can be edited too.
alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_key", String(64), nullable=False),  # the story's canonical item, or summary:…
    Column("vkey", String(40), nullable=False),  # identity of the rendering among the story's variants
    Column("lang", String(8), nullable=False, server_default=text("'ar'")),
    Column("topics", NulFreeText, nullable=False, server_default=text("''")),  # newline-separated, as the chats wrote them
    Column("thread_id", BigInteger),
    Column("html", NulFreeText, nullable=False),
    Column("created_at", Float, nullable=False),  # when the item was first seen
    Column("updated_at", Float),  # when html was last replaced (None: never)
    UniqueConstraint("item_key", "vkey", name="uq_alert_variant"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("chat_id", BigInteger, nullable=False),
    Column("alert_id", Integer, nullable=False),  # alerts.id
    Column("status", SmallInteger, nullable=False, server_default=text("0")),  # bot.core.vocab.STATUS_CODE
    Column("priority", SmallInteger, nullable=False, server_default=text("0")),  # 0 = breaking
    Column("attempts", SmallInteger, nullable=False, server_default=text("0")),
    Column("next_attempt", Float, nullable=False, server_default=text("0")),
    Column("sent_at", Float),
    Column("message_id", BigInteger),
    Column("last_error", NulFreeText),
)

# The worker's refill reads this index in order (keyset paging on priority,
# id): only pending rows are in it, so its cost never grows with the queue
# nor with the rows already sent, and no sort is needed.
PENDING_WHERE = text("status = 0")
Index(
    "ix_outbox_due", outbox.c.priority, outbox.c.id, outbox.c.next_attempt,
    sqlite_where=PENDING_WHERE, postgresql_where=PENDING_WHERE,
)
# One alert of a story per chat (per variant here; across variants the store checks), and
# "which chats already have this story".
Index("uq_outbox_alert_chat", outbox.c.alert_id, outbox.c.chat_id, unique=True)
Index("ix_outbox_chat", outbox.c.chat_id)  # /stop, a gone chat, a migrated group
HELD_WHERE = text("status = 4")
Index("ix_outbox_held", outbox.c.chat_id, sqlite_where=HELD_WHERE, postgresql_where=HELD_WHERE)  # quiet hours: checked every second
Index("ix_alerts_created", alerts.c.created_at)  # retention

# Story merging (bot.core.merging): every outlet's copy of an alerted story,
# kept for the merge window, so a later copy can join it and the alert be
# re-rendered from all of them.
story_copies = Table(
    "story_copies",
    metadata,
    Column("item_key", String(64), primary_key=True),
    Column("story_key", String(64), nullable=False),  # the story's first item
    Column("feed_id", String(64), nullable=False),
    Column("source", NulFreeText, nullable=False),
    Column("headline", NulFreeText, nullable=False),
    Column("lead", NulFreeText, nullable=False, server_default=text("''")),
    Column("link", NulFreeText),
    Column("published", Float),
    Column("first_seen", Float, nullable=False),
)

# Alerts already sent that must be edited (a new outlet, a fuller text, a new
# topic). One pending row per outbox row: later changes fold into it, since
# the editor renders the story as it stands when the edit goes out.
edits = Table(
    "edits",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("outbox_id", BigInteger, nullable=False),
    Column("status", String(8), nullable=False, server_default=text("'pending'")),  # pending | done | failed
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_attempt", Float, nullable=False, server_default=text("0")),
    Column("created_at", Float, nullable=False),
    Column("last_error", NulFreeText),
)

Index("ix_story_copies_story", story_copies.c.story_key)
Index("ix_story_copies_first_seen", story_copies.c.first_seen)
Index("ix_edits_due", edits.c.status, edits.c.next_attempt)
Index("ix_edits_outbox", edits.c.outbox_id)

# What one chat's message of a story reads after edits, when that differs
# from its variant (alerts): topics another copy added for this chat, and the
# text last sent. Only rows of merged or changed stories have one.
edited_alerts = Table(
    "edited_alerts",
    metadata,
    Column("outbox_id", BigInteger, primary_key=True, autoincrement=False),
    Column("topics", NulFreeText),  # newline-separated; None: the variant's
    Column("html", NulFreeText),  # None: the variant's
)
Index("ix_topics_chat", topics.c.chat_id)
Index("ix_items_first_seen", items.c.first_seen)


def _v1_initial(conn: Connection) -> None:
    for table in (schema_version, feeds, items, story_keys):
        table.create(conn, checkfirst=True)
    for index in items.indexes:
        index.create(conn, checkfirst=True)


def _v2_subscribers_and_outbox(conn: Connection) -> None:
    for table in (chats, topics, _outbox_v4):
        table.create(conn, checkfirst=True)
    for index in (*topics.indexes, *_outbox_v4.indexes):
        index.create(conn, checkfirst=True)


def _v3_feed_item_errors(conn: Connection) -> None:
    if "item_errors" not in {c["name"] for c in inspect(conn).get_columns("feeds")}:
        conn.execute(text("ALTER TABLE feeds ADD COLUMN item_errors INTEGER NOT NULL DEFAULT 0"))


def _v4_chat_settings(conn: Connection) -> None:
    """/settings: quiet hours, time zone, sound, previews, alert length, a fixed language. Idempotent."""
    have = {c["name"] for c in inspect(conn).get_columns("chats")}
    for name, _type, _default, ddl in _CHAT_SETTINGS:
        if name not in have:
            conn.execute(text(f"ALTER TABLE chats ADD COLUMN {name} {ddl}"))


def variant_key(html: str, topics: str, thread_id: int | None, lang: str) -> str:
    """A variant's identity within its story: the same text to the same kind of place is stored once."""
    return hashlib.sha1(f"{lang}\x00{thread_id}\x00{topics}\x00{html}".encode()).hexdigest()


_V5_BATCH = 5000


def _v5_compact_outbox(conn: Connection) -> None:
    """The outbox stores each rendered alert once (alerts) and a few integers per recipient.

    Every row of the old outbox is kept, with its id, status, attempts,
    times and message id: pending and held alerts are sent as before.
    """
    conn.execute(text("ALTER TABLE outbox RENAME TO outbox_v4"))
    old = sql_table("outbox_v4", *(sql_column(c.name) for c in _outbox_v4.columns))
    alerts.create(conn, checkfirst=True)
    outbox.create(conn)  # with its indexes
    variants: dict[tuple[str, str], int] = {}
    langs = dict(conn.execute(select(chats.c.id, chats.c.lang)).all())
    last = -1
    max_id = 0
    while True:
        rows = conn.execute(select(old).where(old.c.id > last).order_by(old.c.id).limit(_V5_BATCH)).mappings().all()
        if not rows:
            break
        last = rows[-1]["id"]
        new_rows = []
        for r in rows:
            lang = str(langs.get(r["chat_id"], "ar"))
            vkey = variant_key(r["html"], r["topics"] or "", r["thread_id"], lang)
            alert_id = variants.get((r["item_key"], vkey))
            if alert_id is None:
                alert_id = conn.execute(insert(alerts).values(
                    item_key=r["item_key"], vkey=vkey, lang=lang, topics=r["topics"] or "", thread_id=r["thread_id"],
                    html=r["html"], created_at=r["created_at"],
                ).returning(alerts.c.id)).scalar_one()
                variants[(r["item_key"], vkey)] = alert_id
            new_rows.append({
                "id": r["id"], "chat_id": r["chat_id"], "alert_id": alert_id, "status": _V4_STATUS.get(r["status"], 3),
                "priority": r["priority"], "attempts": min(int(r["attempts"]), 32767), "next_attempt": r["next_attempt"],
                "sent_at": r["sent_at"], "message_id": r["message_id"], "last_error": r["last_error"],
            })
        conn.execute(insert(outbox), new_rows)
        max_id = max(max_id, int(last))
    conn.execute(text("DROP TABLE outbox_v4"))
    if conn.dialect.name == "postgresql" and max_id:
        # The ids were copied: the sequence must continue after them.
        conn.execute(text("SELECT setval(pg_get_serial_sequence('outbox', 'id'), :n)"), {"n": max_id})



def _v6_story_copies_and_edits(conn: Connection) -> None:
    """Story merging across outlets and edits of sent alerts. New tables only."""
    for table in (story_copies, edits, edited_alerts):
        table.create(conn, checkfirst=True)
    for index in (*story_copies.indexes, *edits.indexes):
        index.create(conn, checkfirst=True)



# The v4 statuses, as bot.core.vocab.STATUS_CODE numbers them (an unknown one is "failed": never sent).
_V4_STATUS = {"pending": 0, "sent": 1, "dropped": 2, "failed": 3, "held": 4, "summed": 5}


MIGRATIONS: tuple[Callable[[Connection], None], ...] = (
    _v1_initial, _v2_subscribers_and_outbox, _v3_feed_item_errors, _v4_chat_settings, _v5_compact_outbox,
    _v6_story_copies_and_edits,
)
LATEST = len(MIGRATIONS)


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer version of the bot."""


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(select(schema_version.c.version)).scalar() or 0


def migrate(conn: Connection, target: int = LATEST) -> int:
    """Apply the migrations a database lacks, up to `target`; returns the old version."""
    start = current_version(conn)
    if start > LATEST:
        raise SchemaTooNewError(f"its schema (v{start}) is newer than this program's (v{LATEST}); upgrade the bot")
    for version in range(start + 1, target + 1):
        MIGRATIONS[version - 1](conn)
        conn.execute(schema_version.delete())
        conn.execute(schema_version.insert().values(version=version))
    return start
