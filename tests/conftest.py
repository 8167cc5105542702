"""Shared pytest fixtures."""

import os
from collections.abc import Iterator

import pytest

from tests.feedserver import FeedServer

# Any storage call on an event-loop thread fails (in-process and in the bot
# processes the tests start): a blocking call on the loop is a bug.
os.environ["AJEL_STRICT_LOOP"] = "1"


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A fresh local HTTP feed server (127.0.0.1, ephemeral port) per test."""
    with FeedServer() as server:
        yield server
