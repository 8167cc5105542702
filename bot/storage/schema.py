"""Tables and ordered migrations. Portable SQL: runs on SQLite and PostgreSQL.

Each migration is a function applied once, in order, inside a transaction;
`schema_version` records how far a database has come. New versions append a
migration; they never edit an old one.
"""

from __future__ import annotations

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
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    inspect,
    select,
    text,
)


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

outbox = Table(
    "outbox",
    metadata,
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
Index("ix_outbox_pending", outbox.c.status, outbox.c.priority, outbox.c.next_attempt, outbox.c.id)
Index("ix_topics_chat", topics.c.chat_id)
Index("ix_items_first_seen", items.c.first_seen)


def _v1_initial(conn: Connection) -> None:
    for table in (schema_version, feeds, items, story_keys):
        table.create(conn, checkfirst=True)
    for index in items.indexes:
        index.create(conn, checkfirst=True)


def _v2_subscribers_and_outbox(conn: Connection) -> None:
    for table in (chats, topics, outbox):
        table.create(conn, checkfirst=True)
    for index in (*topics.indexes, *outbox.indexes):
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


def _v5_story_copies_and_edits(conn: Connection) -> None:
    """Story merging across outlets and edits of sent alerts. New tables only."""
    for table in (story_copies, edits):
        table.create(conn, checkfirst=True)
    for index in (*story_copies.indexes, *edits.indexes):
        index.create(conn, checkfirst=True)


MIGRATIONS: tuple[Callable[[Connection], None], ...] = (
    _v1_initial, _v2_subscribers_and_outbox, _v3_feed_item_errors, _v4_chat_settings, _v5_story_copies_and_edits,
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
