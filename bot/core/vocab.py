"""Closed vocabularies: every value the pipeline, the store and the bot share.

They are `StrEnum`s so that they are stored and logged as plain strings
(existing databases keep working) while mypy catches a misspelt value.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

BreakingMode = Literal["marked", "all"]
SourceKind = Literal["feed", "telegram"]
Lang = Literal["ar", "en"]


class BreakingReason(StrEnum):
    FEED_ALL = "feed_all"
    CATEGORY = "category"
    TITLE_PREFIX = "title_prefix"
    TITLE_SUFFIX = "title_suffix"
    TITLE_HASHTAG = "title_hashtag"
    BODY_FIRST_LINE = "body_first_line"
    LINK_PATH = "link_path"


class MatchRule(StrEnum):
    EXACT = "exact"
    CLITIC = "clitic"
    NISBA = "nisba"
    FEMININE = "feminine"
    PLURAL = "plural"
    BROKEN_PLURAL = "broken_plural"
    PRONOUN = "pronoun"
    ALIAS = "alias"
    LATIN = "latin"
    QUOTED = "quoted"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DROPPED = "dropped"  # the chat is gone: never sent
    FAILED = "failed"  # Telegram refused it, or it kept failing: never sent again
    HELD = "held"  # quiet hours (held mode): waits for the summary at their end
    SUMMED = "summed"  # listed in a quiet-hours summary (itself an outbox row): never sent alone


# How the outbox stores a status since v5: a small integer (0 and 1 take no
# bytes in a SQLite record). Never renumber; append.
STATUS_CODE: dict[OutboxStatus, int] = {
    OutboxStatus.PENDING: 0,
    OutboxStatus.SENT: 1,
    OutboxStatus.DROPPED: 2,
    OutboxStatus.FAILED: 3,
    OutboxStatus.HELD: 4,
    OutboxStatus.SUMMED: 5,
}
STATUS_NAME: dict[int, OutboxStatus] = {code: name for name, code in STATUS_CODE.items()}


class TopicKind(StrEnum):
    TOPIC = "topic"
    EXCLUDE = "exclude"


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"
    SUPERGROUP = "supergroup"
    CHANNEL = "channel"


class Priority:
    """Outbox priority: lower is sent first.

    A story's first recipients (HEAD_SIZE of them) go ahead of the rest of
    any fan-out already in the queue: a new story must not wait minutes
    behind the previous one's thousands of messages; its remaining
    recipients then follow in the order the stories came. Its very first
    recipient goes ahead of the other stories' heads too: when one poll
    finds seven stories, the seventh's first message must not wait for six
    heads of 30 (7 s at 30/s, measured by bench-latency).
    """

    FIRST = -1  # negative: rows queued before it existed keep their meaning (0 and 1)
    BREAKING = 0
    BREAKING_BULK = 1
    FIRST_SIZE = 1
    HEAD_SIZE = 30  # about a second of sending at Telegram's free rate

    @staticmethod
    def of(n: int) -> int:
        """The priority of a fan-out's n-th row (from 0)."""
        return Priority.FIRST if n < Priority.FIRST_SIZE else Priority.BREAKING if n < Priority.HEAD_SIZE else Priority.BREAKING_BULK

    @staticmethod
    def run(offset: int, count: int) -> list[int]:
        """`of` for rows offset … offset + count - 1, built by runs (a chunk may hold 10,000 rows)."""
        first = min(max(0, Priority.FIRST_SIZE - offset), count)
        head = min(max(0, Priority.HEAD_SIZE - offset), count)
        return [Priority.FIRST] * first + [Priority.BREAKING] * (head - first) + [Priority.BREAKING_BULK] * (count - head)
